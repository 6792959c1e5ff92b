// SPDX-License-Identifier: MIT
#include "tracer/filter/SeccompPlan.h"

#include <errno.h>
#include <linux/seccomp.h>
#include <netinet/in.h>
#include <sched.h>
#include <seccomp.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <mutex>
#include <optional>
#include <span>

#include "events/Errors.h"
#include "events/SyscallNames.h"
#include "events/UniqueFd.h"
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
    if (v.size() != 1 || f->flags || !f->whole_value) {
      return std::nullopt;  // only whole-register numbers compare safely
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

namespace {

// A filter context that allows what it does not trace. A call of another
// ABI than the context's own is allowed too (SCMP_FLTATR_ACT_BADARCH):
// libseccomp's default kills the program for it, where without capmin the
// kernel would have run it (x32, or an ABI not traced).
scmp_filter_ctx new_context(std::uint32_t arch) {
  scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
  if (ctx == nullptr) {
    return nullptr;
  }
  // No no_new_privs: Docker does not set it, and it changes what set-id
  // programs do. The caller still holds CAP_SYS_ADMIN, which the kernel
  // accepts instead.
  int rc = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_NNP, 0);
  rc = rc != 0 ? rc : seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_ALLOW);
  // A binary tree over the call numbers: a watched call is found in about
  // eight comparisons rather than after every other watched call.
  rc = rc != 0 ? rc : seccomp_attr_set(ctx, SCMP_FLTATR_CTL_OPTIMIZE, 2);
  if (rc == 0 && arch != SCMP_ARCH_NATIVE && seccomp_arch_native() != arch) {
    rc = seccomp_arch_remove(ctx, SCMP_ARCH_NATIVE);
    rc = rc != 0 ? rc : seccomp_arch_add(ctx, arch);
  }
  if (rc != 0) {
    seccomp_release(ctx);
    return nullptr;
  }
  return ctx;
}

}  // namespace

int SeccompPlan::add_native_rules(void* context) const {
  auto* ctx = static_cast<scmp_filter_ctx>(context);
  for (const auto& [nr, entry] : plan_) {
    if (entry.all) {
      if (const int rc = seccomp_rule_add(ctx, SCMP_ACT_TRACE(0), nr, 0); rc != 0) {
        return rc;
      }
      continue;
    }
    for (const RegisterMatch& m : entry.matches) {
      std::vector<scmp_arg_cmp> cmps;
      for (const RegisterTest& t : m) {
        cmps.push_back(to_scmp(t));
      }
      const int rc = seccomp_rule_add_array(ctx, SCMP_ACT_TRACE(0), nr,
                                            static_cast<unsigned>(cmps.size()), cmps.data());
      if (rc != 0) {
        return rc;
      }
    }
  }
  return 0;
}

int SeccompPlan::add_compat_rules(void* context, Abi abi) const {
  // Every call of the plan, by its names in the other ABI, without register
  // tests: its registers differ, and such calls are rare. libseccomp takes
  // the number the native ABI gives a name (a negative pseudo-number for a
  // call it lacks, chown32) and finds the call in the context's ABI by name
  // (socket also as socketcall(SYS_SOCKET)).
  auto* ctx = static_cast<scmp_filter_ctx>(context);
  for (const auto& [nr, entry] : plan_) {
    for (const std::string& name : names_in(abi, syscall_name(Abi::Native, nr))) {
      const int number = seccomp_syscall_resolve_name(name.c_str());
      if (number == __NR_SCMP_ERROR) {
        continue;
      }
      if (const int rc = seccomp_rule_add(ctx, SCMP_ACT_TRACE(0), number, 0); rc != 0) {
        return rc;
      }
    }
  }
  return 0;
}

namespace {

// One context's program, as libseccomp writes it, read back from a memfd.
int export_program(scmp_filter_ctx ctx, std::vector<sock_filter>& out) {
  const events::UniqueFd fd(memfd_create("capmin-seccomp", MFD_CLOEXEC));
  if (!fd) {
    return errno;
  }
  if (const int rc = seccomp_export_bpf(ctx, fd.get()); rc != 0) {
    return -rc;
  }
  const off_t size = lseek(fd.get(), 0, SEEK_END);
  if (size <= 0 || size % static_cast<off_t>(sizeof(sock_filter)) != 0) {
    return EINVAL;
  }
  out.resize(static_cast<std::size_t>(size) / sizeof(sock_filter));
  return pread(fd.get(), out.data(), static_cast<std::size_t>(size), 0) == size ? 0 : EIO;
}

}  // namespace

std::shared_ptr<const SeccompPrograms> SeccompPlan::compile() const {
  static std::mutex mutex;
  static std::map<int, Entry> last_plan;
  static std::shared_ptr<const SeccompPrograms> last;
  const std::lock_guard<std::mutex> lock(mutex);
  if (last && last_plan == plan_) {
    return last;
  }
  // One filter per ABI rather than one merged filter: the kernel runs every
  // filter a process has and takes the strictest answer, and each answers
  // ALLOW for the other ABI's calls (SCMP_FLTATR_ACT_BADARCH). libseccomp
  // generates the merged program about five times slower (some 20 ms for
  // the built-in rules, against 4 ms for the two); the second filter costs
  // the program a few instructions per call.
  auto programs = std::make_shared<SeccompPrograms>();
  auto generate = [&programs](scmp_filter_ctx ctx, int rc) {
    if (ctx == nullptr) {
      return ENOMEM;
    }
    if (rc == 0) {
      rc = export_program(ctx, programs->programs.emplace_back());
    } else {
      rc = -rc;
    }
    seccomp_release(ctx);
    return rc;
  };
  scmp_filter_ctx native = new_context(SCMP_ARCH_NATIVE);
  int rc = generate(native, native == nullptr ? 0 : add_native_rules(native));
  for (const Abi abi : compat_abis()) {
    if (rc != 0) {
      break;
    }
    scmp_filter_ctx compat = new_context(seccomp_arch(abi));
    rc = generate(compat, compat == nullptr ? 0 : add_compat_rules(compat, abi));
  }
  if (rc != 0) {
    throw SystemError("seccomp_export_bpf", rc);
  }
  last_plan = plan_;
  last = std::move(programs);
  return last;
}

int SeccompPlan::install(const SeccompPrograms& filter) {
  for (const auto& program : filter.programs) {
    sock_fprog prog{static_cast<unsigned short>(program.size()),
                    const_cast<sock_filter*>(program.data())};
    if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog) != 0) {
      return errno;
    }
  }
  return 0;
}

}  // namespace capmin::tracer
