// SPDX-License-Identifier: MIT
#pragma once

#include <functional>
#include <vector>

#include "verify/Expectation.h"

namespace capmin::verify {

// What one run with some capabilities withheld showed: the capabilities its
// refusals needed, and whether it did its job.
struct WithheldOutcome {
  std::vector<int> found;
  Judgement judgement;
};

// Runs the program (in probe mode) with `withheld` out of its reach, to try
// it without `capability`.
using WithheldRun =
    std::function<WithheldOutcome(int capability, const std::vector<int>& withheld)>;

// One capability withheld, and what that showed.
struct AblationStep {
  int capability = 0;
  // It, every capability dropped before it, and those before it in the
  // order that the set did not hold.
  std::vector<int> withheld;
  WithheldOutcome outcome;
  bool dropped = false;  // the program did its job without it
};

struct Ablation {
  std::vector<int> set;  // what is left, sorted
  std::vector<AblationStep> steps;
  // The step whose run's set was adopted last; -1: the first run's.
  int adopted = -1;
};

// Starting from `found` (the first probe run's set), withholds each
// capability of the current set in `order` (most powerful first, every
// capability listed), each once, never those in `untestable`; with it, every
// capability before it in the order that the set does not hold, so that only
// narrower ones can stand in for it. When a run succeeds without it, the
// capability is dropped for good and that run's set (which may hold narrower
// capabilities that stood in for it) becomes the current set; when it fails,
// the capability stays.
Ablation ablate(const std::vector<int>& found, const std::vector<int>& order,
                const std::vector<int>& untestable, const WithheldRun& run);

}  // namespace capmin::verify
