// SPDX-License-Identifier: MIT
#include "tracer/ptrace/WaitStatus.h"

#include <signal.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/wait.h>

#include "tracer/decode/FlagNames.h"

namespace capmin::tracer {

WaitStatus::Kind WaitStatus::kind() const {
  if (WIFEXITED(raw_)) {
    return Kind::Exited;
  }
  if (WIFSIGNALED(raw_)) {
    return Kind::Killed;
  }
  const int sig = WSTOPSIG(raw_);
  if (sig == (SIGTRAP | 0x80)) {
    return Kind::SyscallStop;
  }
  switch (ptrace_event()) {
    case 0:
      return Kind::SignalStop;
    case PTRACE_EVENT_SECCOMP:
      return Kind::SeccompStop;
    case PTRACE_EVENT_STOP:
      // ptrace(2): a group-stop of a seized tracee reports the stopping
      // signal; PTRACE_INTERRUPT and auto-attach report SIGTRAP.
      if (sig == SIGSTOP || sig == SIGTSTP || sig == SIGTTIN || sig == SIGTTOU) {
        return Kind::GroupStop;
      }
      return Kind::InterruptStop;
    default:
      return Kind::PtraceEvent;
  }
}

int WaitStatus::exit_code() const { return WEXITSTATUS(raw_); }
int WaitStatus::fatal_signal() const { return WTERMSIG(raw_); }
int WaitStatus::stop_signal() const { return WSTOPSIG(raw_); }
int WaitStatus::ptrace_event() const { return (raw_ >> 16) & 0xff; }

std::string WaitStatus::describe() const {
  switch (kind()) {
    case Kind::Exited:
      return "exited " + std::to_string(exit_code());
    case Kind::Killed:
      return "killed by " + signal_text(fatal_signal());
    case Kind::SyscallStop:
      return "syscall-stop";
    case Kind::SeccompStop:
      return "seccomp-stop";
    case Kind::PtraceEvent:
      return "ptrace-event " + std::to_string(ptrace_event());
    case Kind::GroupStop:
      return "group-stop";
    case Kind::InterruptStop:
      return "interrupt-stop";
    case Kind::SignalStop:
      return "signal-stop " + std::to_string(stop_signal());
  }
  return "?";
}

}  // namespace capmin::tracer
