// SPDX-License-Identifier: MIT
#pragma once

#include <sys/types.h>

#include <csignal>

namespace capmin::tracer {

// While it lives, signals meant for capmin reach the traced command instead,
// as `docker run` forwards them: SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1/2
// sent to capmin with kill(2) are passed to the command, and capmin goes on
// tracing until it ends, so the report still covers everything. A Ctrl-C at
// the terminal already reaches the command (same process group) and is not
// sent twice. A second SIGINT or SIGTERM within a few seconds asks for the
// whole traced tree to be killed (kill_requested()), and kills the command
// at once so that the tracer's wait returns whatever the program is doing.
class SignalForwarder {
 public:
  explicit SignalForwarder(pid_t target);
  ~SignalForwarder();
  SignalForwarder(const SignalForwarder&) = delete;
  SignalForwarder& operator=(const SignalForwarder&) = delete;

  static bool kill_requested();
  // Whether SIGINT, SIGTERM, SIGHUP or SIGQUIT has reached capmin while any
  // forwarder lived: the user asked it to stop, so it starts no more runs.
  static bool interrupted();
  // The command has been reaped: its pid may be reused, so nothing is sent
  // to it any more.
  static void target_gone();

 private:
  struct sigaction saved_[6];
};

}  // namespace capmin::tracer
