// SPDX-License-Identifier: MIT
#include "verify/Verifier.h"

#include <algorithm>

#include "events/CapabilityNames.h"

namespace capmin::verify {

std::string Verification::summary() const {
  if (trials.empty()) {
    return "not run";
  }
  if (!works()) {
    return "does not work with " + events::cap_names_text(capabilities, "no capabilities") +
           " in " + runtime + ": " + trials.front().judgement.why;
  }
  if (!unnecessary.empty()) {
    return "works in " + runtime + ", but does as well without " +
           events::cap_names_text(unnecessary) + ": not needed";
  }
  if (minimal_checked && !capabilities.empty()) {
    return "verified in " + runtime + ": works with exactly " +
           events::cap_names_text(capabilities, "no capabilities") +
           (untested.empty()
                ? ", and fails without any one of them"
                : ", and fails without any one of them but " + events::cap_names_text(untested) +
                      ", whose absence no untraced run shows");
  }
  return "verified in " + runtime + ": works with " +
         events::cap_names_text(capabilities, "no capabilities");
}

Verification verify(Runtime& runtime, const std::vector<int>& caps, const Expectation& expected,
                    bool minimal, const std::vector<int>& kept) {
  Verification v;
  v.runtime = runtime.name();
  v.runtime_details = runtime.describe();
  v.criterion = expected.describe();
  v.capabilities = caps;
  std::sort(v.capabilities.begin(), v.capabilities.end());

  Trial full;
  full.outcome = runtime.run(v.capabilities);
  full.judgement = expected.judge(full.outcome);
  v.trials.push_back(std::move(full));
  if (!minimal || !v.works()) {
    return v;
  }
  v.minimal_checked = true;
  for (int cap : v.capabilities) {
    if (std::find(kept.begin(), kept.end(), cap) != kept.end()) {
      v.untested.push_back(cap);
      continue;
    }
    std::vector<int> fewer;
    std::copy_if(v.capabilities.begin(), v.capabilities.end(), std::back_inserter(fewer),
                 [cap](int c) { return c != cap; });
    Trial t;
    t.without = cap;
    t.outcome = runtime.run(fewer);
    // Without one capability, the program must do what it did with all of
    // them, and complain of nothing new.
    t.judgement = expected.judge(t.outcome, &v.trials.front().outcome.output);
    (t.judgement.passed ? v.unnecessary : v.necessary).push_back(cap);
    v.trials.push_back(std::move(t));
  }
  return v;
}

}  // namespace capmin::verify
