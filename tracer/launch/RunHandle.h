// SPDX-License-Identifier: MIT
#pragma once

#include <sys/types.h>

#include <mutex>

#include "events/UniqueFd.h"

namespace capmin::tracer {

// The program of one run, for another thread to signal: launch() hands it a
// pidfd of the child as soon as the child exists, and whoever ends the run
// early (verify::Deadline) sends signals through it. A pidfd names that one
// process for as long as it is held, so a signal sent after the program was
// reaped reaches nobody rather than a process that reused its pid, and no
// scan of /proc is needed to find it. Thread-safe. Knows nothing of how the
// program is waited for, nor of its children: only the program is signalled.
class RunHandle {
 public:
  RunHandle() = default;
  RunHandle(const RunHandle&) = delete;
  RunHandle& operator=(const RunHandle&) = delete;

  // The program exists: signal() reaches it from now on. Keeps a duplicate
  // of `pidfd` (close-on-exec), replacing the one of an earlier run. Throws
  // SystemError when it cannot duplicate it.
  void set(const events::UniqueFd& pidfd, pid_t pid = -1);
  // Sends `sig` to the program (pidfd_send_signal). False when it was not
  // sent: before set(), or once the program has been reaped (ESRCH).
  bool signal(int sig) const;
  // Whether set() has been called.
  bool started() const;
  // The pid set() was given (-1 if none): for /proc paths of the program
  // while it runs, such as its network namespace.
  pid_t pid() const;

 private:
  // Held while the descriptor is used or replaced, so that signal() never
  // sends through a number that was closed and reused meanwhile.
  mutable std::mutex mutex_;
  events::UniqueFd pidfd_;
  pid_t pid_ = -1;
};

}  // namespace capmin::tracer
