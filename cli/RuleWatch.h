// SPDX-License-Identifier: MIT
#pragma once

#include "analyzer/RuleTable.h"
#include "tracer/filter/RefusalFilter.h"

namespace capmin::cli {

// What the loaded rules (built-in and the user's) ask the tracer to watch:
// every system call a rule can match, with the rules' conditions (those on
// registers narrow the seccomp filter), and the errnos that are refusals.
// What the tracer needs for itself its watchers declare.
tracer::RuleWatch rule_watch(const analyzer::RuleTable& rules);

}  // namespace capmin::cli
