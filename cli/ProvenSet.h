// SPDX-License-Identifier: MIT
#pragma once

#include <string>

#include "analyzer/CapabilityCatalog.h"
#include "analyzer/Profile.h"
#include "analyzer/RuleTable.h"
#include "cli/TraceRun.h"
#include "tracer/launch/LaunchSpec.h"
#include "verify/Expectation.h"
#include "verify/RunOutcome.h"
#include "verify/Runtime.h"

namespace capmin::cli {

// What the proven minimal set starts from: the first traced run and how to
// make more like it.
struct FirstRun {
  const tracer::LaunchSpec& spec;  // how it was launched (probe or deny)
  const TraceSettings& settings;   // how each later traced run goes
  verify::RunOutcome outcome;      // how it ended, with its output
  // Where standard input stood when it started, when that is a regular file
  // (each later run reads it from there again); -1 otherwise.
  long long stdin_offset = -1;
};

// What the proven minimal set needs from its surroundings.
struct ProofTools {
  const analyzer::RuleTable& rules;
  const analyzer::CapabilityCatalog& catalog;
  // Success, as the user said it, or else exit status 0 with no new
  // complaint (expect_no_new_complaints).
  const verify::Expectation& expected;
  // Where the untraced runs go: exactly the set, then without each member.
  verify::Runtime& runtime;
  // Whether capmin holds capabilities it can grant at all.
  bool can_grant = false;
};

// Turns `profile` (the first run's) into the proven minimal set: in probe
// mode each capability is withheld in turn, most powerful first, and the
// program re-run traced, so that a refusal it shrugs off leaves the set and
// a narrower capability can stand in for a broader one; then the set is run
// untraced exactly, and without each member. `capabilities` and `findings`
// then hold the proven set; `not_needed`, `minimal` and `verification` say
// how. When no run can decide (no criterion, nothing to grant), the profile
// stays as it was, marked unproven with the reason.
void prove_minimal(analyzer::Profile& profile, const FirstRun& first, const ProofTools& tools);

// How a traced run ended, as a verification judges it.
verify::RunOutcome traced_outcome(const tracer::RunResult& result, const std::string& stopped_by,
                                  std::string output);

}  // namespace capmin::cli
