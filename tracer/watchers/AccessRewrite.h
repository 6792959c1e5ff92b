// SPDX-License-Identifier: MIT
#pragma once

#include <string>
#include <unordered_map>

#include "tracer/watchers/Watcher.h"

namespace capmin::tracer {

// access(2) for a real uid 0 checks with the permitted set as if it were
// effective (fs/open.c:access_override_creds()), so under probe mode, where
// the permitted set is full, it passes where Docker's empty permitted set
// fails it. With AT_EACCESS it checks the effective set, and when the real
// and effective ids agree that is the only difference: the call is made as
// faccessat2(..., AT_EACCESS) instead, and its refusal is named after the
// call the program made.
class AccessRewrite final : public Watcher {
 public:
  using Watcher::Watcher;
  std::vector<Interest> interests() const override;
  Entry on_entry(pid_t tid, Call& call) override;
  void on_exit(pid_t tid, const Call& call, long result) override;
  void annotate(pid_t tid, events::SyscallEvent& event) override;
  void on_task_exit(pid_t tid) override { rewritten_.erase(tid); }

 private:
  std::unordered_map<pid_t, std::string> rewritten_;  // the call it was, until its exit
};

}  // namespace capmin::tracer
