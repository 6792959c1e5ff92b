// SPDX-License-Identifier: MIT
#include "verify/RunOutcome.h"

#include <string.h>

namespace capmin::verify {

std::string RunOutcome::describe() const {
  if (!exec_refused.empty()) {
    return "execve refused: " + exec_refused;
  }
  if (check_passed) {
    return "the check passed (stopped)";
  }
  if (timed_out) {
    return "still running at the timeout (stopped)";
  }
  if (signal) {
    const char* abbrev = sigabbrev_np(*signal);
    return "killed by " +
           (abbrev != nullptr ? "SIG" + std::string(abbrev) : std::to_string(*signal));
  }
  return "exit " + std::to_string(exit_code);
}

}  // namespace capmin::verify
