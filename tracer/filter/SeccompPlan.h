// SPDX-License-Identifier: MIT
#pragma once

#include <linux/filter.h>

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "tracer/ptrace/Abi.h"

namespace capmin::tracer {

// A filter as the kernel takes it: one BPF program, for every ABI.
using SeccompProgram = std::vector<sock_filter>;

// One test a seccomp filter can make on a register: (arg & mask) == value,
// or an unsigned comparison of the whole register with value.
struct RegisterTest {
  enum class Op { MaskedEq, Lt, Le, Gt, Ge };
  int arg;
  std::uint64_t mask;
  std::uint64_t value;
  Op op = Op::MaskedEq;
  bool operator==(const RegisterTest&) const = default;
  bool holds(std::uint64_t reg) const;
};
// Tests that must all hold.
using RegisterMatch = std::vector<RegisterTest>;

// A rule's condition on one decoded argument, in the terms the filter can
// use: the argument equals one of some names (eq/in), or has any / all of
// some flags. Any other condition cannot be tested on registers and counts
// as "maybe" (the call is traced).
struct FieldCondition {
  enum class Kind { OneOf, AnyFlag, AllFlags, Less, LessEq, Greater, GreaterEq, Other };
  std::string field;
  Kind kind = Kind::Other;
  std::vector<std::string> names;
};

// Which system calls the seccomp filter sends to the tracer
// (SECCOMP_RET_TRACE), and when: every call of a syscall, or only calls
// whose registers match. Everything else is SECCOMP_RET_ALLOW and never
// stops the program. Numbers and names are native; the same calls made
// through the 32-bit ABI (int $0x80) are sent too, whatever their
// registers. Built from the rule table: a rule's conditions on
// arguments that live in registers (socket's family and type, setsockopt's
// option, ioctl's request, clone's flags...) narrow the filter; anything
// else widens it to the whole syscall.
class SeccompPlan {
 public:
  // Every call of `nr` is traced.
  void trace_all(int nr);
  // Calls of `syscall` matching the rule's register-testable conditions are
  // traced; with none testable, all are.
  void trace_rule(int nr, const std::string& syscall, const std::vector<FieldCondition>& when);

  // The filter's BPF program (BpfProgram.h), generated in the parent. The
  // last plan compiled is remembered: the rounds of --iterate and --minimal
  // build the same plan. Throws SystemError when the program is longer than
  // the kernel takes (BPF_MAXINSNS).
  std::shared_ptr<const SeccompProgram> compile() const;
  // Installs them in the calling process (the child, before exec, while it
  // still holds CAP_SYS_ADMIN: no no_new_privs) with seccomp(2) alone,
  // which allocates nothing. Returns 0 or an errno.
  static int install(const SeccompProgram& program);

  std::size_t syscall_count() const { return plan_.size(); }
  bool traces_all(int nr) const;
  const std::vector<RegisterMatch>* matches(int nr) const;
  // Whether the filter would stop a call with these registers (for tests).
  bool would_trace(int nr, const std::uint64_t (&args)[6]) const;

 private:
  struct Entry {
    bool all = false;
    std::vector<RegisterMatch> matches;
    bool operator==(const Entry&) const = default;
  };

  std::map<int, Entry> plan_;
};

}  // namespace capmin::tracer
