// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "tracer/launch/LaunchSpec.h"

namespace capmin::tracer {

struct RunStats {
  std::uint64_t stops = 0;           // every waitpid report
  std::uint64_t syscall_stops = 0;   // entry, exit and seccomp stops
  std::uint64_t refusals = 0;        // events sent to the sink
  std::uint64_t tasks = 0;           // threads and processes seen
  std::uint64_t injections = 0;      // system calls capmin ran inside the program
  std::uint64_t retries = 0;         // refused calls re-executed with a capability
  std::uint64_t artefacts = 0;       // probe-mode side effects undone (linkat)
  std::uint64_t filtered_calls = 0;  // system calls the seccomp filter sends (0: no filter)
};

struct RunResult {
  // How the command ended: an exit code, or the signal that killed it.
  int exit_code = 0;
  std::optional<int> signal;
  // Set when the command never started; the tracer records no events then.
  std::optional<LaunchFailure> launch_failure;
  // Set when capmin itself failed while tracing (a bug, or a failure it
  // cannot go on after): what happened. The traced tree was killed; what
  // was seen before is still reported.
  std::string internal_error;
  // Whether the program's own execve was seen: the command's, or with
  // LaunchSpec::record_in_own_pid_namespace the container's process.
  bool program_started = false;
  RunStats stats;
  // The status capmin itself exits with: the command's, 128+signal, or
  // 125/126/127 when it could not be started (125 also after an internal
  // error).
  int status() const;
};

}  // namespace capmin::tracer
