// SPDX-License-Identifier: MIT
#include "tracer/watchers/AccessRewrite.h"

#include <fcntl.h>

#include "tracer/ptrace/ProcessInspector.h"
#include "tracer/ptrace/Tracee.h"

namespace capmin::tracer {

namespace {
constexpr const char* kRewritten = "faccessat2";
}  // namespace

std::vector<Interest> AccessRewrite::interests() const {
  std::vector<Interest> out;
  for (const char* call : {"access", "faccessat", kRewritten}) {
    out.push_back({call, Interest::At::Entry, {}, {}, false});
  }
  // Its end, whatever the result, ends the renaming.
  out.push_back({kRewritten, Interest::At::Success, {}, {}, false});
  out.push_back({kRewritten, Interest::At::Failure, {}, {}, false});
  return out;
}

Watcher::Entry AccessRewrite::on_entry(pid_t tid, Call& call) {
  static const long access = syscall_number(Abi::Native, "access").value_or(-1);
  static const long faccessat = syscall_number(Abi::Native, "faccessat").value_or(-1);
  const auto target = syscall_number(call.abi, kRewritten);
  auto creds = engine_.inspector().creds(tid);
  if (!target || !creds || creds->ruid != creds->euid || creds->rgid != creds->egid) {
    return Entry::Made;
  }
  const auto& a = call.args;
  std::array<std::uint64_t, 6> rewritten{};
  if (call.native_nr == access) {
    rewritten = {static_cast<std::uint32_t>(AT_FDCWD), a[0], a[1], AT_EACCESS, 0, 0};
  } else if (call.native_nr == faccessat) {
    rewritten = {a[0], a[1], a[2], AT_EACCESS, 0, 0};
  } else if ((a[3] & AT_EACCESS) == 0) {
    rewritten = {a[0], a[1], a[2], a[3] | AT_EACCESS, 0, 0};
  } else {
    return Entry::Made;  // faccessat2 that checks the effective set already
  }
  auto regs = Tracee(tid).regs_if_alive();
  if (!regs) {
    return Entry::Made;
  }
  regs->set_abi(call.abi);
  regs->set_syscall(*target, rewritten);
  if (Tracee(tid).set_regs_if_alive(*regs)) {
    rewritten_[tid] = syscall_name(Abi::Native, call.native_nr);
    call.nr = *target;
    call.native_nr = native_equivalent(call.abi, *target);
    call.args = rewritten;
  }
  return Entry::Made;
}

void AccessRewrite::on_exit(pid_t tid, const Call& call, long result) {
  (void)call;
  (void)result;
  rewritten_.erase(tid);
}

void AccessRewrite::annotate(pid_t tid, events::SyscallEvent& event) {
  if (auto it = rewritten_.find(tid); it != rewritten_.end() && event.syscall == kRewritten) {
    event.syscall = it->second;
  }
}

}  // namespace capmin::tracer
