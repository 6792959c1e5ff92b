// SPDX-License-Identifier: MIT
#pragma once

#include "tracer/watchers/Watcher.h"

namespace capmin::tracer {

// Probe mode: the program raises capabilities into its own effective set
// from the permitted set capmin left it (capset, PR_CAP_AMBIENT_RAISE).
// Under --cap-drop=ALL that call fails, so the program needs what it
// raised; the call succeeded here, so it is reported as the program's own
// proof, not retried.
class SelfRaise final : public Watcher {
 public:
  using Watcher::Watcher;
  std::vector<Interest> interests() const override;
  void on_exit(pid_t tid, const Call& call, long result) override;
};

}  // namespace capmin::tracer
