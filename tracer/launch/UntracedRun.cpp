// SPDX-License-Identifier: MIT
#include "tracer/launch/UntracedRun.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "events/Errors.h"
#include "tracer/engine/SignalForwarder.h"

namespace capmin::tracer {

RunResult run_untraced(LaunchSpec spec) {
  spec.traced = false;
  int sync[2];
  int err[2];
  if (pipe2(sync, O_CLOEXEC) != 0 || pipe2(err, O_CLOEXEC) != 0) {
    throw SystemError("pipe2", errno);
  }
  const pid_t pid = fork();
  if (pid < 0) {
    throw SystemError("fork", errno);
  }
  if (pid == 0) {
    close(sync[1]);
    close(err[0]);
    run_child(spec, sync[0], err[1]);
  }
  close(sync[0]);
  close(err[1]);
  const char go = 'g';
  [[maybe_unused]] ssize_t n = write(sync[1], &go, 1);
  close(sync[1]);

  RunResult result;
  {
    SignalForwarder forwarder(pid);
    int status = 0;
    while (waitpid(pid, &status, 0) < 0) {
      if (errno != EINTR) {
        close(err[0]);
        throw SystemError("waitpid", errno);
      }
      if (SignalForwarder::kill_requested()) {
        kill(pid, SIGKILL);
      }
    }
    if (WIFEXITED(status)) {
      result.exit_code = WEXITSTATUS(status);
    } else if (WIFSIGNALED(status)) {
      result.signal = WTERMSIG(status);
    }
  }
  // The pipe closed at execve; bytes in it mean the command never ran.
  LaunchFailure f{};
  if (read(err[0], &f, sizeof f) == static_cast<ssize_t>(sizeof f)) {
    result.launch_failure = f;
  }
  close(err[0]);
  return result;
}

}  // namespace capmin::tracer
