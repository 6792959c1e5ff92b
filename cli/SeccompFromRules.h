// SPDX-License-Identifier: MIT
#pragma once

#include "analyzer/RuleTable.h"
#include "tracer/filter/SeccompPlan.h"

namespace capmin::cli {

// The seccomp plan for a run: every system call some loaded rule (built-in or
// the user's) can match, narrowed by the rules' register-testable conditions,
// plus what probe mode's bookkeeping needs to see.
tracer::SeccompPlan seccomp_from_rules(const analyzer::RuleTable& rules, bool probe);

}  // namespace capmin::cli
