// SPDX-License-Identifier: MIT
#include "tracer/launch/UntracedRun.h"

#include <errno.h>
#include <signal.h>
#include <sys/wait.h>

#include "events/Errors.h"
#include "tracer/engine/SignalForwarder.h"
#include "tracer/launch/Launch.h"
#include "tracer/launch/Pidfd.h"

namespace capmin::tracer {

RunResult run_untraced(LaunchSpec spec) {
  spec.traced = false;
  const LaunchedChild child = launch(spec);

  RunResult result;
  {
    SignalForwarder forwarder(child.pid);
    int status = 0;
    while (waitpid(child.pid, &status, 0) < 0) {
      if (errno != EINTR) {
        throw SystemError("waitpid", errno);
      }
      if (SignalForwarder::kill_requested()) {
        pidfd_send_signal_raw(child.pidfd.get(), SIGKILL);
      }
    }
    if (WIFEXITED(status)) {
      result.exit_code = WEXITSTATUS(status);
    } else if (WIFSIGNALED(status)) {
      result.signal = WTERMSIG(status);
    }
  }
  // The pipe closed at execve; bytes in it mean the command never ran.
  result.launch_failure = read_launch_failure(child.failure.get());
  return result;
}

}  // namespace capmin::tracer
