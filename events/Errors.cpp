// SPDX-License-Identifier: MIT
#include "events/Errors.h"

#include <string.h>

namespace capmin {

SystemError::SystemError(const std::string& call, int err)
    : UserError(call + ": " + strerror(err)) {}

}  // namespace capmin
