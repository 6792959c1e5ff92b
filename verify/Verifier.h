// SPDX-License-Identifier: MIT
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "verify/Expectation.h"
#include "verify/Runtime.h"

namespace capmin::verify {

// One run of a verification.
struct Trial {
  std::optional<int> without;  // the capability left out; unset for the full set
  RunOutcome outcome;
  Judgement judgement;
};

// What running a program with a set of capabilities showed.
struct Verification {
  std::string runtime;          // Runtime::name()
  std::string runtime_details;  // Runtime::describe()
  std::string criterion;        // Expectation::describe()
  std::vector<int> capabilities;
  std::vector<Trial> trials;  // the full set first, then one per capability left out
  bool minimal_checked = false;
  std::vector<int> necessary;    // the run failed without each of these
  std::vector<int> unnecessary;  // ... and succeeded without each of these
  std::vector<int> untested;     // granted in every run, never left out (`kept`)

  // The program does what is expected with exactly `capabilities`.
  bool works() const { return !trials.empty() && trials.front().judgement.passed; }
  // It works, and (when checked) needs every one of them.
  bool passed() const { return works() && unnecessary.empty(); }
  // One line: what was shown, or why it failed.
  std::string summary() const;
};

// Runs the program with exactly `caps`; with `minimal`, and if that works,
// once more without each capability in turn, except those in `kept` (whose
// absence the kernel does not report, so no untraced run can judge it). A
// capability the program does as well without is a finding against the set.
Verification verify(Runtime& runtime, const std::vector<int>& caps, const Expectation& expected,
                    bool minimal, const std::vector<int>& kept = {});

}  // namespace capmin::verify
