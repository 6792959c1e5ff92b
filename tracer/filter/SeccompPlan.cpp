// SPDX-License-Identifier: MIT
#include "tracer/filter/SeccompPlan.h"

#include <errno.h>
#include <netinet/in.h>
#include <sched.h>
#include <seccomp.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include <algorithm>
#include <cstdlib>
#include <optional>
#include <span>

#include "tracer/decode/FlagNames.h"

namespace capmin::tracer {

namespace {

constexpr std::uint64_t kInt = 0xffffffffu;  // int arguments: the low 32 bits

// Where a decoded argument lives: which register, which bits, and the names
// its values go by. Only arguments read straight from a register appear.
struct RegisterField {
  const char* syscall;
  const char* field;
  int arg;
  std::uint64_t mask;
  bool flags;  // a bit set (any_of/all_of) rather than one value
  std::span<const NamedValue> (*names)();
};

std::span<const NamedValue> all_socket_options() {
  static const std::vector<NamedValue> all = [] {
    std::vector<NamedValue> v;
    for (int level : {SOL_SOCKET, static_cast<int>(IPPROTO_IP), static_cast<int>(IPPROTO_IPV6),
                      static_cast<int>(IPPROTO_TCP), SOL_NETLINK}) {
      for (const NamedValue& nv : names::socket_options(level)) {
        v.push_back(nv);
      }
    }
    return v;
  }();
  return all;
}

std::span<const NamedValue> socket_protocols() {
  static const std::vector<NamedValue> all = [] {
    std::vector<NamedValue> v;
    for (const NamedValue& nv : names::ip_protocols()) {
      v.push_back(nv);
    }
    for (const NamedValue& nv : names::netlink_protocols()) {
      v.push_back(nv);
    }
    return v;
  }();
  return all;
}

std::span<const NamedValue> no_names() { return {}; }

const std::vector<RegisterField>& register_fields() {
  static const std::vector<RegisterField> t = {
      {"socket", "domain", 0, kInt, false, names::address_families},
      {"socket", "type", 1, 0xf, false, names::socket_types},
      {"socket", "protocol", 2, kInt, false, socket_protocols},
      {"socketpair", "domain", 0, kInt, false, names::address_families},
      {"socketpair", "type", 1, 0xf, false, names::socket_types},
      {"setsockopt", "level", 1, kInt, false, names::socket_levels},
      {"setsockopt", "option", 2, kInt, false, all_socket_options},
      {"getsockopt", "level", 1, kInt, false, names::socket_levels},
      {"getsockopt", "option", 2, kInt, false, all_socket_options},
      {"ioctl", "request", 1, kInt, false, names::ioctl_requests},
      {"clone", "flags", 0, ~std::uint64_t{0xff}, true, names::clone_flags},
      {"unshare", "flags", 0, kInt, true, names::clone_flags},
      {"setns", "nstype", 1, kInt, true, names::clone_flags},
      {"prctl", "option", 0, kInt, false, names::prctl_options},
      {"mmap", "flags", 3, kInt, true, names::mmap_flags},
      {"mlockall", "flags", 0, kInt, true, names::mlockall_flags},
      {"fcntl", "cmd", 1, kInt, false, names::fcntl_commands},
      {"shmctl", "cmd", 1, 0xff, false, names::ipc_commands},
      {"msgctl", "cmd", 1, 0xff, false, names::ipc_commands},
      {"semctl", "cmd", 2, 0xff, false, names::ipc_commands},
      {"clock_settime", "clock", 0, kInt, false, names::clocks},
      {"clock_adjtime", "clock", 0, kInt, false, names::clocks},
      {"timerfd_create", "clock", 0, kInt, false, names::clocks},
      {"timer_create", "clock", 0, kInt, false, names::clocks},
      {"clock_nanosleep", "clock", 0, kInt, false, names::clocks},
      {"setrlimit", "resource", 0, kInt, false, names::rlimits},
      {"prlimit64", "resource", 1, kInt, false, names::rlimits},
      {"sched_setscheduler", "policy", 1, kInt, false, names::sched_policies},
      {"setpriority", "which", 0, kInt, false, names::priority_which},
      {"ptrace", "request", 0, kInt, false, names::ptrace_requests},
      {"syslog", "action", 0, kInt, false, names::syslog_actions},
      {"bpf", "cmd", 0, kInt, false, names::bpf_commands},
      {"mmap", "addr", 0, ~std::uint64_t{0}, false, no_names},
      {"linkat", "flags", 4, kInt, true, names::at_flags},
  };
  return t;
}

const RegisterField* find_field(const std::string& syscall, const std::string& field) {
  for (const RegisterField& f : register_fields()) {
    if (syscall == f.syscall && field == f.field) {
      return &f;
    }
  }
  return nullptr;
}

std::optional<std::uint64_t> value_of(const RegisterField& f, const std::string& name) {
  for (const NamedValue& nv : f.names()) {
    if (name == nv.name) {
      return nv.value;
    }
  }
  // A number written as such in the rule.
  char* end = nullptr;
  const unsigned long long v = std::strtoull(name.c_str(), &end, 0);
  if (!name.empty() && end != nullptr && *end == '\0') {
    return v;
  }
  return std::nullopt;
}

// The alternatives one condition allows, as register tests; nullopt when the
// condition cannot be tested on registers.
std::optional<std::vector<RegisterTest>> alternatives(const std::string& syscall,
                                                      const FieldCondition& c) {
  const RegisterField* f = find_field(syscall, c.field);
  if (f == nullptr || c.kind == FieldCondition::Kind::Other) {
    return std::nullopt;
  }
  std::vector<RegisterTest> out;
  if (c.kind == FieldCondition::Kind::Less || c.kind == FieldCondition::Kind::LessEq ||
      c.kind == FieldCondition::Kind::Greater || c.kind == FieldCondition::Kind::GreaterEq) {
    auto v = c.names.empty() ? std::nullopt : value_of(*f, c.names[0]);
    if (!v || f->flags || f->mask != ~std::uint64_t{0}) {
      return std::nullopt;  // only whole-register numbers compare safely
    }
    using Op = RegisterTest::Op;
    const Op op = c.kind == FieldCondition::Kind::Less      ? Op::Lt
                  : c.kind == FieldCondition::Kind::LessEq  ? Op::Le
                  : c.kind == FieldCondition::Kind::Greater ? Op::Gt
                                                            : Op::Ge;
    out.push_back({f->arg, f->mask, *v, op});
    return out;
  }
  std::uint64_t all_bits = 0;
  for (const std::string& name : c.names) {
    auto v = value_of(*f, name);
    if (!v) {
      return std::nullopt;  // a name the filter cannot resolve: trace it all
    }
    if (c.kind == FieldCondition::Kind::OneOf) {
      if (f->flags) {
        return std::nullopt;  // equality on a flag word: leave it to the rule
      }
      out.push_back({f->arg, f->mask, *v & f->mask});
    } else if (c.kind == FieldCondition::Kind::AnyFlag) {
      if (*v == 0) {
        return std::nullopt;  // a zero flag (O_RDONLY) is always "present"
      }
      out.push_back({f->arg, *v & f->mask, *v & f->mask});
    } else {
      all_bits |= *v;
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

namespace {
scmp_arg_cmp to_scmp(const RegisterTest& t) {
  const auto arg = static_cast<unsigned>(t.arg);
  switch (t.op) {
    case RegisterTest::Op::Lt:
      return SCMP_CMP64(arg, SCMP_CMP_LT, t.value, 0);
    case RegisterTest::Op::Le:
      return SCMP_CMP64(arg, SCMP_CMP_LE, t.value, 0);
    case RegisterTest::Op::Gt:
      return SCMP_CMP64(arg, SCMP_CMP_GT, t.value, 0);
    case RegisterTest::Op::Ge:
      return SCMP_CMP64(arg, SCMP_CMP_GE, t.value, 0);
    case RegisterTest::Op::MaskedEq:
      break;
  }
  return SCMP_CMP64(arg, SCMP_CMP_MASKED_EQ, t.mask, t.value);
}
}  // namespace

int SeccompPlan::install() const {
  scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
  if (ctx == nullptr) {
    return ENOMEM;
  }
  // No no_new_privs: Docker does not set it, and it changes what set-id
  // programs do. The caller still holds CAP_SYS_ADMIN, which the kernel
  // accepts instead.
  int rc = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_NNP, 0);
  for (const auto& [nr, entry] : plan_) {
    if (rc != 0) {
      break;
    }
    if (entry.all) {
      rc = seccomp_rule_add(ctx, SCMP_ACT_TRACE(0), nr, 0);
      continue;
    }
    for (const RegisterMatch& m : entry.matches) {
      std::vector<scmp_arg_cmp> cmps;
      for (const RegisterTest& t : m) {
        cmps.push_back(to_scmp(t));
      }
      rc = seccomp_rule_add_array(ctx, SCMP_ACT_TRACE(0), nr, static_cast<unsigned>(cmps.size()),
                                  cmps.data());
      if (rc != 0) {
        break;
      }
    }
  }
  if (rc == 0) {
    rc = seccomp_load(ctx);
  }
  seccomp_release(ctx);
  return rc < 0 ? -rc : rc;
}

}  // namespace capmin::tracer
