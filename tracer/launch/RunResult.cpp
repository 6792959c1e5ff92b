// SPDX-License-Identifier: MIT
#include "tracer/launch/RunResult.h"

#include <errno.h>
#include <string.h>

namespace capmin::tracer {

std::string LaunchFailure::text() const {
  return err == 0 ? std::string(what) : std::string(what) + ": " + strerror(err);
}

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
