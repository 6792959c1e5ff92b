// SPDX-License-Identifier: MIT
#pragma once

#include <string>

namespace capmin::tracer {

// A value type over the raw status waitpid() returns for a ptraced task, sorted
// into the kinds of stop the event loop acts on. Built from an int, so every
// kind can be tested without a process.
class WaitStatus {
 public:
  enum class Kind {
    Exited,         // exit_code()
    Killed,         // fatal_signal()
    SyscallStop,    // PTRACE_O_TRACESYSGOOD: SIGTRAP|0x80
    SeccompStop,    // PTRACE_EVENT_SECCOMP
    PtraceEvent,    // fork/vfork/clone/exec/vfork-done/exit: ptrace_event()
    GroupStop,      // PTRACE_EVENT_STOP with a stopping signal (seized tracees)
    InterruptStop,  // PTRACE_EVENT_STOP after PTRACE_INTERRUPT or a new child's first stop
    SignalStop,     // signal-delivery stop: stop_signal() is pending for the task
  };

  explicit WaitStatus(int raw) : raw_(raw) {}

  Kind kind() const;
  int raw() const { return raw_; }
  int exit_code() const;     // Exited only
  int fatal_signal() const;  // Killed only
  int stop_signal() const;   // any stop
  int ptrace_event() const;  // PtraceEvent, SeccompStop, GroupStop, InterruptStop
  std::string describe() const;

 private:
  int raw_;
};

}  // namespace capmin::tracer
