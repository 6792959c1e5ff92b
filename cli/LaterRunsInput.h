// SPDX-License-Identifier: MIT
#pragma once

#include <string>
#include <vector>

#include "verify/Runtime.h"

namespace capmin::cli {

// Where standard input stands now, if it is a regular file; else -1. Taken
// before the first run of a profile.
long long stdin_offset();

// Standard input for the later runs: a regular file is read again from
// where the first run started; a pipe or socket, which the first run may
// have drained, is replaced by /dev/null while they last (the report says
// so); a terminal stays.
class LaterRunsInput {
 public:
  // `offset`: stdin_offset() before the first run.
  explicit LaterRunsInput(long long offset);
  ~LaterRunsInput();
  LaterRunsInput(const LaterRunsInput&) = delete;
  LaterRunsInput& operator=(const LaterRunsInput&) = delete;

  // Before each later run.
  void before_run() const;
  bool replaced() const { return replaced_; }

 private:
  long long offset_;
  int saved_ = -1;
  bool replaced_ = false;
};

// A runtime whose every run starts with standard input as the first had it.
class SameInputRuntime final : public verify::Runtime {
 public:
  SameInputRuntime(verify::Runtime& inner, const LaterRunsInput& input)
      : inner_(inner), input_(input) {}
  std::string name() const override { return inner_.name(); }
  std::string describe() const override { return inner_.describe(); }
  verify::RunOutcome run(const std::vector<int>& caps) override;

 private:
  verify::Runtime& inner_;
  const LaterRunsInput& input_;
};

}  // namespace capmin::cli
