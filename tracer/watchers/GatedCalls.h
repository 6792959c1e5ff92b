// SPDX-License-Identifier: MIT
#pragma once

#include "tracer/watchers/Watcher.h"

namespace capmin::tracer {

// The calls a container engine's default seccomp profile lets through only
// with a capability in the bounding set, or never (LaunchSpec::gated_calls).
// Made, whatever the kernel answered, each goes to the sink marked `gated`,
// so that the output can say what that profile would have done with it: a
// profile refuses before the kernel checks anything, so a call the kernel
// allows without a capability may still need one there. They are not
// refusals: a refused one is judged by the rules as any other.
class GatedCalls final : public Watcher {
 public:
  using Watcher::Watcher;
  std::vector<Interest> interests() const override;
  void on_exit(pid_t tid, const Call& call, long result) override;
};

}  // namespace capmin::tracer
