// SPDX-License-Identifier: MIT
#include "verify/Ablation.h"

#include <algorithm>
#include <set>

namespace capmin::verify {

namespace {

bool holds(const std::vector<int>& v, int cap) {
  return std::find(v.begin(), v.end(), cap) != v.end();
}

}  // namespace

Ablation ablate(const std::vector<int>& found, const std::vector<int>& order,
                const std::vector<int>& untestable, const WithheldRun& run) {
  Ablation a;
  a.set = found;
  std::sort(a.set.begin(), a.set.end());
  std::vector<int> dropped;
  std::set<int> tried(untestable.begin(), untestable.end());
  for (;;) {
    // The most powerful capability of the current set not yet withheld: a
    // set adopted on the way may bring new ones, which are tried in turn.
    auto next = std::find_if(order.begin(), order.end(),
                             [&](int cap) { return holds(a.set, cap) && tried.count(cap) == 0; });
    if (next == order.end()) {
      break;
    }
    AblationStep step;
    step.capability = *next;
    tried.insert(*next);
    step.withheld = dropped;
    // Every capability before it in the order that the set does not hold is
    // withheld too: what takes its place must be narrower, never a broader
    // one the kernel would accept as well (DAC_OVERRIDE for DAC_READ_SEARCH).
    for (auto c = order.begin(); c != next; ++c) {
      if (!holds(a.set, *c) && !holds(step.withheld, *c)) {
        step.withheld.push_back(*c);
      }
    }
    step.withheld.push_back(*next);
    std::sort(step.withheld.begin(), step.withheld.end());
    step.outcome = run(step.capability, step.withheld);
    step.dropped = step.outcome.judgement.passed;
    if (step.dropped) {
      dropped.push_back(*next);
      a.set.clear();
      for (int cap : step.outcome.found) {
        if (!holds(step.withheld, cap) && !holds(a.set, cap)) {
          a.set.push_back(cap);
        }
      }
      std::sort(a.set.begin(), a.set.end());
      a.adopted = static_cast<int>(a.steps.size());
    }
    a.steps.push_back(std::move(step));
  }
  return a;
}

}  // namespace capmin::verify
