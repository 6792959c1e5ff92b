// SPDX-License-Identifier: MIT
#include "tracer/filter/SeccompPlan.h"

#include <errno.h>
#include <linux/seccomp.h>
#include <netinet/in.h>
#include <sched.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <mutex>
#include <optional>
#include <set>
#include <span>

#include "events/Errors.h"
#include "events/SyscallNames.h"
#include "tracer/filter/BpfProgram.h"
#include "tracer/filter/RegisterFields.h"
#include "tracer/ptrace/Abi.h"

namespace capmin::tracer {

namespace {

// The alternatives one condition allows, as register tests; nullopt when the
// condition cannot be tested on registers.
std::optional<std::vector<RegisterTest>> alternatives(const std::string& syscall,
                                                      const FieldCondition& c) {
  const auto f = register_field(syscall, c.field);
  if (!f || c.kind == FieldCondition::Kind::Other) {
    return std::nullopt;
  }
  std::vector<RegisterTest> out;
  if (c.kind == FieldCondition::Kind::Less || c.kind == FieldCondition::Kind::LessEq ||
      c.kind == FieldCondition::Kind::Greater || c.kind == FieldCondition::Kind::GreaterEq) {
    const auto v = c.names.empty() ? std::vector<std::uint64_t>{} : f->values(c.names[0]);
    if (v.size() != 1 || f->flags || !(f->whole_value || f->unsigned_low)) {
      return std::nullopt;  // only whole-register or unsigned low-word numbers compare safely
    }
    using Op = RegisterTest::Op;
    const Op op = c.kind == FieldCondition::Kind::Less      ? Op::Lt
                  : c.kind == FieldCondition::Kind::LessEq  ? Op::Le
                  : c.kind == FieldCondition::Kind::Greater ? Op::Gt
                                                            : Op::Ge;
    out.push_back({f->arg, f->mask, v[0], op});
    return out;
  }
  std::uint64_t all_bits = 0;
  for (const std::string& name : c.names) {
    const auto values = f->values(name);
    if (values.empty()) {
      return std::nullopt;  // a name the filter cannot resolve: trace it all
    }
    for (const std::uint64_t v : values) {
      if (c.kind == FieldCondition::Kind::OneOf) {
        if (f->flags) {
          return std::nullopt;  // equality on a flag word: leave it to the rule
        }
        out.push_back({f->arg, f->mask, v & f->mask});
      } else if (c.kind == FieldCondition::Kind::AnyFlag) {
        if ((v & f->mask) == 0) {
          return std::nullopt;  // a zero flag (O_RDONLY) is always "present"
        }
        out.push_back({f->arg, v & f->mask, v & f->mask});
      } else if (values.size() == 1) {
        all_bits |= v;
      } else {
        return std::nullopt;  // all of several encodings: leave it to the rule
      }
    }
  }
  if (c.kind == FieldCondition::Kind::AllFlags) {
    out.push_back({f->arg, all_bits & f->mask, all_bits & f->mask});
  }
  return out;
}

// Adds `t` to a conjunction; false if the two tests on one register can
// never hold together. libseccomp takes one comparison per register: two
// that cannot be merged keep the first, which only widens the filter.
bool conjoin(RegisterMatch& m, const RegisterTest& t) {
  for (RegisterTest& e : m) {
    if (e.arg == t.arg) {
      if (e.op != RegisterTest::Op::MaskedEq || t.op != RegisterTest::Op::MaskedEq) {
        return true;
      }
      const std::uint64_t overlap = e.mask & t.mask;
      if ((e.value & overlap) != (t.value & overlap)) {
        return false;
      }
      e.mask |= t.mask;
      e.value |= t.value;
      return true;
    }
  }
  m.push_back(t);
  return true;
}

}  // namespace

void SeccompPlan::trace_all(int nr) {
  Entry& e = plan_[nr];
  e.all = true;
  e.matches.clear();
}

void SeccompPlan::trace_rule(int nr, const std::string& syscall,
                             const std::vector<FieldCondition>& when) {
  Entry& e = plan_[nr];
  if (e.all) {
    return;
  }
  std::vector<RegisterMatch> product = {{}};
  bool testable = false;
  for (const FieldCondition& c : when) {
    auto alts = alternatives(syscall, c);
    if (!alts) {
      continue;  // not testable: the filter lets the rule decide
    }
    testable = true;
    std::vector<RegisterMatch> next;
    for (const RegisterMatch& m : product) {
      for (const RegisterTest& t : *alts) {
        RegisterMatch extended = m;
        if (conjoin(extended, t)) {
          next.push_back(std::move(extended));
        }
      }
    }
    product = std::move(next);
  }
  if (!testable) {
    trace_all(nr);
    return;
  }
  for (RegisterMatch& m : product) {
    if (std::find(e.matches.begin(), e.matches.end(), m) == e.matches.end()) {
      e.matches.push_back(std::move(m));
    }
  }
}

bool SeccompPlan::traces_all(int nr) const {
  auto it = plan_.find(nr);
  return it != plan_.end() && it->second.all;
}

const std::vector<RegisterMatch>* SeccompPlan::matches(int nr) const {
  auto it = plan_.find(nr);
  return it == plan_.end() ? nullptr : &it->second.matches;
}

bool SeccompPlan::would_trace(int nr, const std::uint64_t (&args)[6]) const {
  auto it = plan_.find(nr);
  if (it == plan_.end()) {
    return false;
  }
  if (it->second.all) {
    return true;
  }
  return std::any_of(
      it->second.matches.begin(), it->second.matches.end(), [&](const RegisterMatch& m) {
        return std::all_of(m.begin(), m.end(),
                           [&](const RegisterTest& t) { return t.holds(args[t.arg]); });
      });
}

bool RegisterTest::holds(std::uint64_t reg) const {
  if (op != Op::MaskedEq && (mask >> 32) == 0) {
    reg &= mask;  // an order on the low word alone (an unsigned int)
  }
  switch (op) {
    case Op::MaskedEq:
      return (reg & mask) == value;
    case Op::Lt:
      return reg < value;
    case Op::Le:
      return reg <= value;
    case Op::Gt:
      return reg > value;
    case Op::Ge:
      return reg >= value;
  }
  return true;
}

std::shared_ptr<const SeccompProgram> SeccompPlan::compile() const {
  static std::mutex mutex;
  static std::map<int, Entry> last_plan;
  static std::shared_ptr<const SeccompProgram> last;
  const std::lock_guard<std::mutex> lock(mutex);
  if (last && last_plan == plan_) {
    return last;
  }
  std::vector<AbiCalls> abis;
  abis.push_back({audit_arch(Abi::Native), foreign_numbers_from(Abi::Native), {}});
  for (const auto& [nr, entry] : plan_) {
    if (entry.all || !entry.matches.empty()) {
      abis.back().calls[nr] = entry.all ? std::vector<RegisterMatch>{} : entry.matches;
    }
  }
  // The other ABIs' calls are sent whatever their registers, which differ
  // there, and such calls are rare: by every name the native call has in
  // the ABI, and through its multiplexers.
  for (const Abi abi : compat_abis()) {
    AbiCalls& calls = abis.emplace_back(AbiCalls{audit_arch(abi), foreign_numbers_from(abi), {}});
    std::set<long> whole;
    for (const auto& [nr, entry] : plan_) {
      const std::string native = syscall_name(Abi::Native, nr);
      for (const std::string& name : names_in(abi, native)) {
        if (const auto number = syscall_number(abi, name)) {
          whole.insert(*number);
          calls.calls[*number].clear();
        }
      }
      for (const Multiplexed& m : multiplexed(abi, native)) {
        if (whole.count(m.nr) == 0) {
          calls.calls[m.nr].push_back({RegisterTest{0, m.mask, m.call}});
        }
      }
    }
  }
  auto program = std::make_shared<const SeccompProgram>(generate_program(abis));
  if (program->size() > BPF_MAXINSNS) {
    throw SystemError("a seccomp filter of " + std::to_string(program->size()) + " instructions",
                      E2BIG);
  }
  last_plan = plan_;
  last = std::move(program);
  return last;
}

int SeccompPlan::install(const SeccompProgram& program) {
  sock_fprog prog{static_cast<unsigned short>(program.size()),
                  const_cast<sock_filter*>(program.data())};
  return syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog) == 0 ? 0 : errno;
}

}  // namespace capmin::tracer
