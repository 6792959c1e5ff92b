// SPDX-License-Identifier: MIT
#pragma once

#include <optional>
#include <string>

namespace capmin::verify {

// How one run of the program ended.
struct RunOutcome {
  int exit_code = 0;
  std::optional<int> signal;  // the signal that killed it, when the runtime can tell
  // It was still running when the timeout came, and was stopped then.
  bool timed_out = false;
  // The --check command passed while it ran, and it was stopped then.
  bool check_passed = false;
  // Its standard output and standard error, when they were captured.
  std::string output;
  // Why it never started: the kernel refused its execve with EPERM or
  // EACCES, as it does a file with capabilities the bounding set lacks.
  // Empty when it ran.
  std::string exec_refused;

  // As a shell sees it: the exit code, or 128+N for signal N.
  int status() const { return !exec_refused.empty() ? 126 : signal ? 128 + *signal : exit_code; }
  // "exit 0", "killed by SIGKILL", "still running at the timeout (stopped)",
  // "execve refused: Operation not permitted".
  std::string describe() const;
};

}  // namespace capmin::verify
