// SPDX-License-Identifier: MIT
#include "tracer/launch/RunResult.h"

#include <errno.h>

namespace capmin::tracer {

int RunResult::status() const {
  if (!internal_error.empty()) {
    return 125;
  }
  if (launch_failure) {
    if (launch_failure->stage == LaunchFailure::Stage::Setup) {
      return 125;
    }
    return launch_failure->err == ENOENT || launch_failure->err == ENOTDIR ? 127 : 126;
  }
  return signal ? 128 + *signal : exit_code;
}

}  // namespace capmin::tracer
