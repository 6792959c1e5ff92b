// SPDX-License-Identifier: MIT
#include "tracer/Tracer.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>

#include "events/Errors.h"
#include "events/SyscallNames.h"
#include "tracer/ArgDecoder.h"
#include "tracer/CapSets.h"
#include "tracer/MemoryReader.h"
#include "tracer/SignalForwarder.h"
#include "tracer/Tracee.h"
#include "tracer/WaitStatus.h"

namespace capmin::tracer {

namespace {

constexpr unsigned long kPtraceOptions = PTRACE_O_TRACESYSGOOD | PTRACE_O_TRACEFORK |
                                         PTRACE_O_TRACEVFORK | PTRACE_O_TRACECLONE |
                                         PTRACE_O_TRACEEXEC | PTRACE_O_EXITKILL;

void close_fd(int& fd) {
  if (fd >= 0) {
    close(fd);
    fd = -1;
  }
}

}  // namespace

int RunResult::status() const {
  if (launch_failure) {
    if (launch_failure->stage == LaunchFailure::Stage::Setup) {
      return 125;
    }
    return launch_failure->err == ENOENT || launch_failure->err == ENOTDIR ? 127 : 126;
  }
  return signal ? 128 + *signal : exit_code;
}

Tracer::Tracer(LaunchSpec spec, RefusalFilter filter, EventSink& sink, CandidateSource* candidates)
    : spec_(std::move(spec)), filter_(std::move(filter)), sink_(sink), candidates_(candidates) {}

Tracer::~Tracer() { close_fd(err_fd_); }

pid_t Tracer::spawn() {
  int sync[2];
  int err[2];
  if (pipe2(sync, O_CLOEXEC) != 0) {
    throw SystemError("pipe2", errno);
  }
  if (pipe2(err, O_CLOEXEC) != 0) {
    const int e = errno;
    close(sync[0]);
    close(sync[1]);
    throw SystemError("pipe2", e);
  }
  const pid_t pid = fork();
  if (pid < 0) {
    const int e = errno;
    for (int fd : {sync[0], sync[1], err[0], err[1]}) {
      close(fd);
    }
    throw SystemError("fork", e);
  }
  if (pid == 0) {
    close(sync[1]);
    close(err[0]);
    run_child(spec_, sync[0], err[1]);
  }
  close(sync[0]);
  close(err[1]);
  err_fd_ = err[0];
  // Attach while the child waits on the pipe, so that nothing it does runs
  // untraced. PTRACE_SEIZE (not TRACEME) gives group-stops that can be
  // listened to, and its options pass to every task the child creates.
  const unsigned long options =
      kPtraceOptions | (spec_.seccomp ? static_cast<unsigned long>(PTRACE_O_TRACESECCOMP) : 0);
  if (!Tracee::seize(pid, options)) {
    const int e = errno;
    kill(pid, SIGKILL);
    close(sync[1]);
    waitpid(pid, nullptr, 0);
    throw SystemError("ptrace(PTRACE_SEIZE)", e);
  }
  const char go = 'g';
  [[maybe_unused]] ssize_t n = write(sync[1], &go, 1);
  close(sync[1]);
  return pid;
}

RunResult Tracer::run() {
  leader_ = spawn();
  tasks_.emplace(leader_, Task{});
  result_.stats.tasks = 1;
  SignalForwarder forwarder(leader_);
  bool killed_all = false;
  for (;;) {
    int status = 0;
    const pid_t tid = waitpid(-1, &status, __WALL);
    if (tid < 0) {
      if (errno == EINTR) {
        if (SignalForwarder::kill_requested() && !killed_all) {
          kill_all();
          killed_all = true;
        }
        continue;
      }
      if (errno == ECHILD) {
        break;  // the last traced task is gone
      }
      throw SystemError("waitpid", errno);
    }
    on_stop(tid, status);
  }
  result_.stats.injections = prober_.stats().injections;
  result_.stats.retries = prober_.stats().retries;
  return result_;
}

void Tracer::kill_all() {
  for (const auto& [tid, task] : tasks_) {
    kill(tid, SIGKILL);
  }
}

void Tracer::on_exit_status(pid_t tid, int raw_status) {
  tasks_.erase(tid);
  if (tid != leader_) {
    return;
  }
  const WaitStatus ws(raw_status);
  if (ws.kind() == WaitStatus::Kind::Exited) {
    result_.exit_code = ws.exit_code();
  } else if (ws.kind() == WaitStatus::Kind::Killed) {
    result_.signal = ws.fatal_signal();
  }
  if (!exec_seen_) {
    LaunchFailure f{};
    if (read(err_fd_, &f, sizeof f) == static_cast<ssize_t>(sizeof f)) {
      result_.launch_failure = f;
    }
  }
}

void Tracer::on_stop(pid_t tid, int raw_status) {
  ++result_.stats.stops;
  if (tasks_.try_emplace(tid).second) {
    ++result_.stats.tasks;
  }
  const WaitStatus ws(raw_status);
  Tracee t(tid);
  switch (ws.kind()) {
    case WaitStatus::Kind::Exited:
    case WaitStatus::Kind::Killed:
      on_exit_status(tid, raw_status);
      return;
    case WaitStatus::Kind::SyscallStop:
      ++result_.stats.syscall_stops;
      on_syscall_stop(tid);
      return;
    case WaitStatus::Kind::SeccompStop:
      on_seccomp_stop(tid);
      return;
    case WaitStatus::Kind::PtraceEvent:
      if (ws.ptrace_event() == PTRACE_EVENT_EXEC) {
        on_exec(tid);
      }
      resume(tid);
      return;
    case WaitStatus::Kind::GroupStop:
      // The program stopped (SIGSTOP, SIGTSTP...): stay stopped until
      // SIGCONT, as without a tracer, but keep seeing events.
      t.listen();
      return;
    case WaitStatus::Kind::InterruptStop:
      resume(tid);
      return;
    case WaitStatus::Kind::SignalStop:
      if (!armed_ && tid == leader_ && ws.stop_signal() == SIGSTOP) {
        // The child's own signal that its setup is over (ChildSetup): the
        // next call is the command's execve. Swallowed.
        armed_ = true;
        resume(tid);
        return;
      }
      // Signals reach the program unchanged.
      resume(tid, ws.stop_signal());
      return;
  }
}

void Tracer::on_exec(pid_t tid) {
  Tracee t(tid);
  // An execve from a non-leader thread takes over the leader's tid; the old
  // tid is gone without an exit report.
  if (auto former = t.event_msg_if_alive(); former && static_cast<pid_t>(*former) != tid) {
    tasks_.erase(static_cast<pid_t>(*former));
  }
  if (tid == leader_ && !exec_seen_) {
    exec_seen_ = true;  // capmin's setup is over; the command runs
    close_fd(err_fd_);
  }
  if (probing()) {
    // execve gave uid 0 (or the ambient set) a full effective set. No
    // syscall instruction of the new image is known yet, so the set is
    // emptied at the first syscall the new program makes, before it runs.
    tasks_[tid].clear_caps_at_entry = true;
  }
}

void Tracer::on_syscall_stop(pid_t tid) {
  Tracee t(tid);
  auto info = t.syscall_info_if_alive();
  if (info) {
    Task& task = tasks_[tid];
    if (info->op == PTRACE_SYSCALL_INFO_ENTRY) {
      task.entry_nr = static_cast<long>(info->entry.nr);
      on_syscall_entry(tid, task, task.entry_nr);
    } else if (info->op == PTRACE_SYSCALL_INFO_EXIT) {
      on_syscall_exit(tid, task, info->exit.rval);
    }
  }
  if (tasks_.count(tid) != 0) {
    resume(tid);
  }
}

void Tracer::on_seccomp_stop(pid_t tid) {
  Tracee t(tid);
  if (!armed_) {
    t.cont();  // capmin's own setup calls after the filter went in
    return;
  }
  if (probing()) {
    // Probe mode's bookkeeping needs the call at its entry (access
    // rewrite) and at its exit (uid and capability changes).
    if (auto info = t.syscall_info_if_alive(); info && info->op == PTRACE_SYSCALL_INFO_SECCOMP) {
      Task& task = tasks_[tid];
      task.entry_nr = static_cast<long>(info->seccomp.nr);
      on_syscall_entry(tid, task, task.entry_nr);
      if (tasks_.count(tid) == 0) {
        return;
      }
    }
  }
  // The filter said a rule may care: run to the exit stop for the result.
  t.syscall();
}

void Tracer::on_syscall_entry(pid_t tid, Task& task, long nr) {
  if (!probing()) {
    return;
  }
  if (task.clear_caps_at_entry) {
    task.clear_caps_at_entry = false;
    if (auto died = prober_.clear_effective(tid, RemoteSyscall::At::Entry)) {
      after_died(tid, died);
    }
    return;  // the call is made again, and stops at its entry again
  }
  static const long access_nr = events::syscall_number("access").value_or(-1);
  static const long faccessat_nr = events::syscall_number("faccessat").value_or(-1);
  static const long faccessat2_nr = events::syscall_number("faccessat2").value_or(-1);
  if (nr != access_nr && nr != faccessat_nr && nr != faccessat2_nr) {
    return;
  }
  // access(2) for a real uid 0 checks with the permitted set as effective
  // (fs/open.c:access_override_creds), so it would pass where Docker's
  // empty permitted set fails. With AT_EACCESS it checks the effective set;
  // when real and effective ids agree that is the only difference.
  auto creds = inspector_.creds(tid);
  auto regs = Tracee(tid).regs_if_alive();
  if (!creds || !regs || creds->ruid != creds->euid || creds->rgid != creds->egid) {
    return;
  }
  auto a = regs->args();
  std::array<std::uint64_t, 6> rewritten{};
  if (nr == access_nr) {
    rewritten = {static_cast<std::uint64_t>(AT_FDCWD), a[0], a[1], AT_EACCESS, 0, 0};
  } else if (nr == faccessat_nr) {
    rewritten = {a[0], a[1], a[2], AT_EACCESS, 0, 0};
  } else {
    if (a[3] & AT_EACCESS) {
      return;
    }
    rewritten = {a[0], a[1], a[2], a[3] | AT_EACCESS, 0, 0};
  }
  regs->set_syscall(faccessat2_nr, rewritten);
  if (Tracee(tid).set_regs_if_alive(*regs)) {
    task.rewritten_from = events::syscall_name(static_cast<int>(nr));
  }
}

void Tracer::on_syscall_exit(pid_t tid, Task& task, long result) {
  if (result < 0) {
    if (filter_.wants_errno(static_cast<int>(-result))) {
      record(tid, task, static_cast<int>(-result));
    }
  } else if (probing()) {
    after_privilege_change(tid, task, task.entry_nr);
  }
  if (auto it = tasks_.find(tid); it != tasks_.end()) {
    it->second.rewritten_from.clear();
  }
}

void Tracer::after_privilege_change(pid_t tid, Task& task, long nr) {
  static const std::unordered_map<long, int> kinds = [] {
    std::unordered_map<long, int> m;
    for (const char* n : {"setuid", "setreuid", "setresuid", "setfsuid"}) {
      m.emplace(events::syscall_number(n).value_or(-1), 1);
    }
    m.emplace(events::syscall_number("capset").value_or(-1), 2);
    m.emplace(events::syscall_number("prctl").value_or(-1), 3);
    return m;
  }();
  auto kind = kinds.find(nr);
  if (kind == kinds.end()) {
    return;
  }
  if (kind->second == 1) {
    // seteuid(0) copies the permitted set into the effective set;
    // setfsuid(0) restores the file-system capabilities.
    if (auto died = prober_.clear_effective(tid, RemoteSyscall::At::Exit)) {
      after_died(tid, died);
    }
    return;
  }
  auto regs = Tracee(tid).regs_if_alive();
  auto state = capget_of(tid);
  if (!regs || !state) {
    return;
  }
  std::uint64_t raised = 0;
  if (kind->second == 2) {
    raised = state->effective;
  } else if (regs->arg(0) == PR_CAP_AMBIENT && regs->arg(1) == PR_CAP_AMBIENT_RAISE) {
    raised = std::uint64_t{1} << (regs->arg(2) & 63);
  }
  if (raised == 0) {
    return;
  }
  // The program took capabilities from its permitted set on its own: under
  // --cap-drop=ALL that call fails, so it needs them.
  events::SyscallEvent ev = make_event(tid, *regs, 0, task);
  ev.probed = true;
  ev.self_raised = true;
  ev.confirmed = cap_list(raised);
  sink_.on_refusal(std::move(ev));
}

events::SyscallEvent Tracer::make_event(pid_t tid, const Registers& regs, int err,
                                        const Task& task) {
  events::SyscallEvent ev;
  ev.tid = tid;
  ev.pid = inspector_.tgid(tid).value_or(tid);
  ev.exe = inspector_.exe(tid).value_or("?");
  ev.nr = static_cast<int>(regs.syscall_nr());
  if (!task.rewritten_from.empty()) {
    ev.syscall = task.rewritten_from;
  } else {
    auto name = names_.find(ev.nr);
    if (name == names_.end()) {
      name = names_.emplace(ev.nr, events::syscall_name(ev.nr)).first;
    }
    ev.syscall = name->second;
  }
  ev.err = err;
  ProcessMemory mem(tid);
  ev.args = ArgDecoder(mem, &inspector_, tid).decode(ev.nr, regs.args());
  return ev;
}

void Tracer::record(pid_t tid, Task& task, int err) {
  auto regs = Tracee(tid).regs_if_alive();
  if (!regs) {
    return;
  }
  if (!filter_.wants(static_cast<int>(regs->syscall_nr()), err)) {
    return;
  }
  events::SyscallEvent ev = make_event(tid, *regs, err, task);
  std::optional<int> died;
  if (probing()) {
    const auto candidates = candidates_->candidates(ev);
    died = prober_.probe(tid, candidates, ev);
  }
  ++result_.stats.refusals;
  sink_.on_refusal(std::move(ev));
  if (died) {
    after_died(tid, died);
  }
}

void Tracer::after_died(pid_t tid, std::optional<int> status) {
  // An injection consumed the thread's last wait status: account for it as
  // the main loop would have.
  on_exit_status(tid, status.value_or(0));
}

void Tracer::resume(pid_t tid, int sig) {
  Tracee t(tid);
  // Until the command's execve, capmin's own setup is not traced. With a
  // filter, the program runs freely between the calls it sends us, except
  // right after an execve in probe mode, when its first call must stop so
  // that the effective set can be emptied.
  if (!armed_) {
    t.cont(sig);
    return;
  }
  if (!spec_.seccomp) {
    t.syscall(sig);
    return;
  }
  auto it = tasks_.find(tid);
  if (it != tasks_.end() && it->second.clear_caps_at_entry) {
    t.syscall(sig);
  } else {
    t.cont(sig);
  }
}

}  // namespace capmin::tracer
