// SPDX-License-Identifier: MIT
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "verify/Verifier.h"

namespace capmin::verify {

// What `capmin verify` prints when the runs are over: the runtime, the
// criterion, each run with its outcome, and the one-line result.
void write_text(const Verification& v, const std::vector<std::string>& argv, std::ostream& out);

}  // namespace capmin::verify
