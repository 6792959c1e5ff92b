// SPDX-License-Identifier: MIT
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <unordered_set>
#include <vector>

#include "tracer/filter/SeccompPlan.h"

namespace capmin::tracer {

// Which failed system calls are refusals worth an event: EPERM and EACCES
// from any call, and whatever (syscall, errno) pairs the rule table names
// besides (EROFS from an open, ENOMEM from mlock...). Asked at every failed
// syscall exit, so the first question is a table lookup on the errno alone.
class RefusalFilter {
 public:
  static constexpr int kMaxErrno = 256;

  RefusalFilter();
  void add_any(int err);      // this errno from any call
  void add(int nr, int err);  // this errno from this call only
  bool wants_errno(int err) const {
    return err > 0 && err < kMaxErrno && errno_seen_[static_cast<std::size_t>(err)];
  }
  bool wants(int nr, int err) const;

 private:
  std::array<bool, kMaxErrno> errno_seen_{};
  std::array<bool, kMaxErrno> errno_any_{};
  std::unordered_set<std::uint64_t> pairs_;
};

// What the rule table asks the tracer to watch: the calls its rules name,
// each with the rules' conditions (those on registers narrow the filter),
// and which errors are refusals.
struct RuleWatch {
  struct Call {
    std::string syscall;
    std::vector<FieldCondition> when;
  };
  std::vector<Call> calls;
  RefusalFilter errors;
};

}  // namespace capmin::tracer
