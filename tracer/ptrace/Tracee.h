// SPDX-License-Identifier: MIT
#pragma once

#include <sys/ptrace.h>
#include <sys/types.h>

#include <optional>

#include "tracer/ptrace/Registers.h"

namespace capmin::tracer {

// One traced thread, and the only place capmin calls ptrace(2). Every call
// can find the thread gone (killed, exited, exec'd away): that is an answer,
// reported as false or nullopt, never an error.
class Tracee {
 public:
  explicit Tracee(pid_t tid) : tid_(tid) {}
  pid_t tid() const { return tid_; }

  static bool seize(pid_t tid, unsigned long options);

  std::optional<Registers> regs_if_alive() const;
  bool set_regs_if_alive(const Registers& regs) const;
  // PTRACE_GET_SYSCALL_INFO: which kind of syscall stop this is, and the
  // result at an exit stop.
  std::optional<__ptrace_syscall_info> syscall_info_if_alive() const;
  std::optional<unsigned long> event_msg_if_alive() const;

  // Restarts: to the next syscall stop, to the next event, or (group-stop)
  // without ending the stop. `sig` is the signal to deliver, or 0.
  bool syscall(int sig = 0) const;
  bool cont(int sig = 0) const;
  bool listen() const;
  // PTRACE_INTERRUPT: the thread traps (PTRACE_EVENT_STOP) before it runs
  // any more of its own code: a group-stop if its group is stopped, else an
  // interrupt stop.
  bool interrupt() const;

 private:
  pid_t tid_;
};

}  // namespace capmin::tracer
