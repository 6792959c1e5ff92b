// SPDX-License-Identifier: MIT
#pragma once

#include <unordered_set>

#include "tracer/watchers/Watcher.h"

namespace capmin::tracer {

// Refusals no container grant could cure. A program started as root that
// moves to another effective uid loses its effective set there, in a
// container exactly as here (security/commoncap.c:cap_emulate_setxuid()),
// and after a full setuid its permitted set too. A refusal in such a thread
// (lighttpd's worker unlinking its pid file, sshd reading authorized_keys
// as the user) is not a need for a capability: granting one changes
// nothing. Unless the thread raised capabilities itself since its last
// execve (capset, as programs that keep some with PR_SET_KEEPCAPS do) or
// set securebits, holds ambient capabilities, or runs a program with file
// capabilities, which the container's bounding set would let in.
class Reachability final : public Watcher {
 public:
  using Watcher::Watcher;
  std::vector<Interest> interests() const override;
  void on_exit(pid_t tid, const Call& call, long result) override;
  void on_exec(pid_t tid) override { manages_own_.erase(tid); }
  bool passes_on(pid_t parent) const override { return manages_own_.count(parent) != 0; }
  void on_new_task(pid_t parent, pid_t child) override;
  void on_task_exit(pid_t tid) override { manages_own_.erase(tid); }
  // Sets event.unreachable when no capability granted to the container
  // could reach the refused call.
  void annotate(pid_t tid, events::SyscallEvent& event) override;

 private:
  // Threads that manage their own capabilities since their last execve:
  // they may hold some whatever their uid.
  std::unordered_set<pid_t> manages_own_;
};

}  // namespace capmin::tracer
