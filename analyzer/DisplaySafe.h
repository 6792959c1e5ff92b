// SPDX-License-Identifier: MIT
#pragma once

#include "analyzer/Profile.h"

namespace capmin::analyzer {

// A Profile holds its text as every output shows it: each string passed
// through events::escape_bytes, so that no emitter can write a raw control
// byte to a terminal or invalid UTF-8 to a JSON or YAML document, and the
// exact bytes can be recovered with events::unescape_bytes. The Analyzer
// makes what it builds display-safe (after matching and grouping on the raw
// bytes); a front end that adds to a Profile afterwards passes what it adds
// through these. Each takes raw text and must be applied once.
Evidence display_safe(Evidence raw);
RunInfo display_safe(RunInfo raw);
Verification display_safe(Verification raw);
MinimalProof display_safe(MinimalProof raw);

}  // namespace capmin::analyzer
