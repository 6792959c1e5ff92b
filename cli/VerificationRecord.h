// SPDX-License-Identifier: MIT
#pragma once

#include "analyzer/Profile.h"
#include "verify/Verifier.h"

namespace capmin::cli {

// A verification as the profile's report records it.
analyzer::Verification verification_record(const verify::Verification& v);

}  // namespace capmin::cli
