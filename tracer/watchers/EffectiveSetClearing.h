// SPDX-License-Identifier: MIT
#pragma once

#include <unordered_set>

#include "tracer/watchers/Watcher.h"

namespace capmin::tracer {

// Probe mode keeps the program's capabilities permitted but never
// effective. The kernel fills the effective set again in two places: an
// execve by uid 0 (security/commoncap.c:cap_bprm_creds_from_file(), the
// legacy root rule) and a change back to uid 0 (cap_emulate_setxuid()
// copies permitted into effective; setfsuid(0) restores the file-system
// capabilities). After each, capmin empties the set inside the thread
// before it runs on: after an execve at the first system call of the new
// program (no instruction of it is known earlier), after a uid change at
// the call's exit.
class EffectiveSetClearing final : public Watcher {
 public:
  using Watcher::Watcher;
  std::vector<Interest> interests() const override;
  void on_exec(pid_t tid) override { pending_.insert(tid); }
  bool follows(pid_t tid) const override { return pending_.count(tid) != 0; }
  Entry on_entry(pid_t tid, Call& call) override;
  void on_exit(pid_t tid, const Call& call, long result) override;
  void on_task_exit(pid_t tid) override { pending_.erase(tid); }

 private:
  std::unordered_set<pid_t> pending_;  // executed a program, first call not seen yet
};

}  // namespace capmin::tracer
