// SPDX-License-Identifier: MIT
#include "cli/VerificationRecord.h"

namespace capmin::cli {

analyzer::Verification verification_record(const verify::Verification& v) {
  analyzer::Verification r;
  r.runtime = v.runtime;
  r.details = v.runtime_details;
  r.criterion = v.criterion;
  r.capabilities = v.capabilities;
  r.works = v.works();
  r.passed = v.passed();
  r.unnecessary = v.unnecessary;
  for (const verify::Trial& t : v.trials) {
    analyzer::VerificationRun run;
    run.without = t.without;
    run.passed = t.judgement.passed;
    run.outcome = t.outcome.describe();
    run.why = t.judgement.why;
    r.runs.push_back(std::move(run));
  }
  r.summary = v.summary();
  return r;
}

}  // namespace capmin::cli
