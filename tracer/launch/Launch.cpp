// SPDX-License-Identifier: MIT
#include "tracer/launch/Launch.h"

#include <errno.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "events/Errors.h"
#include "tracer/launch/ChildPrep.h"
#include "tracer/launch/Pidfd.h"
#include "tracer/launch/RunHandle.h"

namespace capmin::tracer {

namespace {

// The child waits on the sync pipe: SIGKILL ends it before it has run
// anything of the command, and the wait makes sure it is gone.
void kill_and_reap(pid_t pid) {
  kill(pid, SIGKILL);
  while (waitpid(pid, nullptr, 0) < 0 && errno == EINTR) {
  }
}

}  // namespace

events::UniqueFd open_pidfd(pid_t pid) {
  events::UniqueFd pidfd(pidfd_open_raw(pid));
  if (!pidfd) {
    throw SystemError("pidfd_open", errno);
  }
  return pidfd;
}

LaunchedChild launch(const LaunchSpec& spec, const AttachStep& attach) {
  const ChildPrep prep = prepare_child(spec);
  events::Pipe sync = events::make_pipe();
  events::Pipe failure = events::make_pipe();
  // fork, not clone3(CLONE_PIDFD): glibc's fork leaves malloc usable in
  // the child of a threaded capmin, and run_child needs it (libcap). The pidfd is opened below
  // instead, while the child cannot have been reaped.
  const pid_t pid = fork();
  if (pid < 0) {
    throw SystemError("fork", errno);
  }
  if (pid == 0) {
    // The child never returns (run_child executes the command or calls
    // _exit), so no destructor runs here: the parent's ends are closed by
    // hand. The write end above all: the child's read of the sync pipe must
    // see end-of-file if the parent gives up.
    sync.write.reset();
    failure.read.reset();
    run_child(spec, prep, sync.read.get(), failure.write.get());
  }
  sync.read.reset();
  failure.write.reset();
  LaunchedChild child{pid, {}, std::move(failure.read)};
  try {
    child.pidfd = open_pidfd(pid);
    if (spec.handle != nullptr) {
      spec.handle->set(child.pidfd, pid);
    }
    if (attach) {
      attach(pid);
    }
  } catch (...) {
    kill_and_reap(pid);
    throw;
  }
  const char go = 'g';
  [[maybe_unused]] ssize_t n = write(sync.write.get(), &go, 1);
  return child;
}

std::optional<LaunchFailure> read_launch_failure(int failure_fd) {
  LaunchFailure f{};
  ssize_t n;
  while ((n = read(failure_fd, &f, sizeof f)) < 0 && errno == EINTR) {
  }
  // Less than a whole record (none: the command started) is no failure.
  if (n != static_cast<ssize_t>(sizeof f)) {
    return std::nullopt;
  }
  return f;
}

}  // namespace capmin::tracer
