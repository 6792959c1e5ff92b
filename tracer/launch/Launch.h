// SPDX-License-Identifier: MIT
#pragma once

#include <sys/types.h>

#include <functional>
#include <optional>

#include "events/UniqueFd.h"
#include "tracer/launch/LaunchSpec.h"

namespace capmin::tracer {

// A child started by launch(), released to set itself up and execute its
// command. It is the caller's to wait for.
struct LaunchedChild {
  pid_t pid = -1;
  // Refers to this child and nothing else, whatever later becomes of its pid:
  // for pidfd_send_signal, and for poll (readable once it has exited).
  events::UniqueFd pidfd;
  // The read end of the launch-failure pipe, for read_launch_failure().
  events::UniqueFd failure;
};

// What runs after the fork while the child still waits to be released: the
// tracer's PTRACE_SEIZE. Throws to abandon the launch.
using AttachStep = std::function<void(pid_t child)>;

// Forks a child that runs run_child(spec) and waits until it is released;
// opens a pidfd for it, hands that to spec.handle (if set), runs `attach`
// (if given), and releases the child. If any of that fails, the child is
// killed and reaped before it has run anything of its own, and the error
// (SystemError, or whatever `attach` threw) propagates.
LaunchedChild launch(const LaunchSpec& spec, const AttachStep& attach = {});

// Why the child never reached its command, if it did not: the LaunchFailure
// it wrote to the failure pipe. Call once the child has exited, or has
// executed its command (execve closed the pipe): the read waits for the
// write end to close.
std::optional<LaunchFailure> read_launch_failure(int failure_fd);

// A pidfd for `pid` (pidfd_open; close-on-exec). Free of pid reuse only for
// a child of the caller's that nobody has reaped yet. Throws SystemError.
events::UniqueFd open_pidfd(pid_t pid);

}  // namespace capmin::tracer
