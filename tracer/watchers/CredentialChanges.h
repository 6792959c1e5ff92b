// SPDX-License-Identifier: MIT
#pragma once

#include "tracer/watchers/Watcher.h"

namespace capmin::tracer {

// The engine keeps each task's user and group ids (the caller.* facts of
// its refusals) from its first refusal on, instead of reading
// /proc/TID/status at every one: only the task's own calls change them.
// This watcher sees each such call that succeeds and has the engine read
// them afresh; an execve (a set-id program) does the same in the engine.
class CredentialChanges final : public Watcher {
 public:
  using Watcher::Watcher;
  std::vector<Interest> interests() const override;
  void on_exit(pid_t tid, const Call& call, long result) override;
};

}  // namespace capmin::tracer
