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
  // Its standard output and standard error, when they were captured.
  std::string output;

  // As a shell sees it: the exit code, or 128+N for signal N.
  int status() const { return signal ? 128 + *signal : exit_code; }
  // "exit 0", "killed by SIGKILL", "still running at the timeout (stopped)".
  std::string describe() const;
};

}  // namespace capmin::verify
