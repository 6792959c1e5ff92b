// SPDX-License-Identifier: MIT
#pragma once

#include "tracer/filter/RefusalFilter.h"
#include "tracer/watchers/Watcher.h"

namespace capmin::tracer {

// The refusals the rule table is about: a call it names that failed with an
// errno it counts (EPERM, EACCES, and those its rules name for the call).
// With no filter, or while a task is followed call by call, EPERM and
// EACCES from any call, so that refusals no rule covers are seen too.
class RuleRefusals final : public Watcher {
 public:
  RuleRefusals(EngineServices& engine, RuleWatch rules)
      : Watcher(engine), rules_(std::move(rules)) {}
  std::vector<Interest> interests() const override;
  bool wants_failure(long native_nr, int err) const override {
    return rules_.errors.wants(static_cast<int>(native_nr), err);
  }
  void on_exit(pid_t tid, const Call& call, long result) override;

 private:
  RuleWatch rules_;
};

}  // namespace capmin::tracer
