// SPDX-License-Identifier: MIT
#include "tracer/Tracer.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/ptrace.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>

#include "events/Errors.h"
#include "events/SyscallNames.h"
#include "tracer/ArgDecoder.h"
#include "tracer/MemoryReader.h"
#include "tracer/SignalForwarder.h"
#include "tracer/Tracee.h"
#include "tracer/WaitStatus.h"

namespace capmin::tracer {

namespace {

constexpr unsigned long kPtraceOptions =
    PTRACE_O_TRACESYSGOOD | PTRACE_O_TRACEFORK | PTRACE_O_TRACEVFORK | PTRACE_O_TRACECLONE |
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

Tracer::Tracer(LaunchSpec spec, RefusalFilter filter, EventSink& sink)
    : spec_(std::move(spec)), filter_(std::move(filter)), sink_(sink) {}

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
  if (!Tracee::seize(pid, kPtraceOptions)) {
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
  live_.insert(leader_);
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
  return result_;
}

void Tracer::kill_all() {
  for (pid_t tid : live_) {
    kill(tid, SIGKILL);
  }
}

void Tracer::on_stop(pid_t tid, int raw_status) {
  ++result_.stats.stops;
  if (live_.insert(tid).second) {
    ++result_.stats.tasks;
  }
  const WaitStatus ws(raw_status);
  Tracee t(tid);
  switch (ws.kind()) {
    case WaitStatus::Kind::Exited:
    case WaitStatus::Kind::Killed:
      live_.erase(tid);
      if (tid == leader_) {
        if (ws.kind() == WaitStatus::Kind::Exited) {
          result_.exit_code = ws.exit_code();
        } else {
          result_.signal = ws.fatal_signal();
        }
        if (!exec_seen_) {
          LaunchFailure f{};
          if (read(err_fd_, &f, sizeof f) == static_cast<ssize_t>(sizeof f)) {
            result_.launch_failure = f;
          }
        }
      }
      return;
    case WaitStatus::Kind::SyscallStop:
      ++result_.stats.syscall_stops;
      on_syscall_stop(tid);
      return;
    case WaitStatus::Kind::SeccompStop:
      // Reached only with a filter installed: run to the syscall's exit stop.
      t.syscall();
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
    live_.erase(static_cast<pid_t>(*former));
  }
  if (tid == leader_ && !exec_seen_) {
    exec_seen_ = true;  // capmin's setup is over; the command runs
    close_fd(err_fd_);
  }
}

void Tracer::on_syscall_stop(pid_t tid) {
  Tracee t(tid);
  auto info = t.syscall_info_if_alive();
  if (info && info->op == PTRACE_SYSCALL_INFO_EXIT && info->exit.is_error) {
    const int err = static_cast<int>(-info->exit.rval);
    if (filter_.wants_errno(err)) {
      record(tid, err);
    }
  }
  resume(tid);
}

void Tracer::record(pid_t tid, int err) {
  Tracee t(tid);
  auto regs = t.regs_if_alive();
  if (!regs) {
    return;
  }
  const int nr = static_cast<int>(regs->syscall_nr());
  if (!filter_.wants(nr, err)) {
    return;
  }
  events::SyscallEvent ev;
  ev.tid = tid;
  ev.pid = inspector_.tgid(tid).value_or(tid);
  ev.exe = inspector_.exe(tid).value_or("?");
  ev.nr = nr;
  auto name = names_.find(nr);
  if (name == names_.end()) {
    name = names_.emplace(nr, events::syscall_name(nr)).first;
  }
  ev.syscall = name->second;
  ev.err = err;
  ProcessMemory mem(tid);
  ev.args = ArgDecoder(mem, &inspector_, tid).decode(nr, regs->args());
  ++result_.stats.refusals;
  sink_.on_refusal(std::move(ev));
}

void Tracer::resume(pid_t tid, int sig) {
  Tracee t(tid);
  // Until the command itself runs, capmin's own setup is not traced.
  if (exec_seen_) {
    t.syscall(sig);
  } else {
    t.cont(sig);
  }
}

}  // namespace capmin::tracer
