// SPDX-License-Identifier: MIT
#pragma once

#include <map>
#include <unordered_map>

#include "tracer/watchers/Watcher.h"

namespace capmin::tracer {

// Refusals of rtnetlink, nfnetlink, genetlink and audit requests come back
// in NLMSG_ERROR replies while the sendmsg itself succeeds. A task that
// opens a netlink socket is followed call by call until it closes it, and
// its replies are read; each refusal in one is reported on the read that
// brought it, with the protocol and the refused request named. It is not
// retried (the request is gone by then), so it is inferred even in probe
// mode.
class NetlinkSockets final : public Watcher {
 public:
  using Watcher::Watcher;
  std::vector<Interest> interests() const override;
  void on_exit(pid_t tid, const Call& call, long result) override;
  bool follows(pid_t tid) const override { return sockets_.count(tid) != 0; }
  bool passes_on(pid_t parent) const override { return sockets_.count(parent) != 0; }
  // A child or thread starts with its parent's descriptors.
  void on_new_task(pid_t parent, pid_t child) override;
  void on_task_exit(pid_t tid) override { sockets_.erase(tid); }

 private:
  void read_replies(pid_t tid, const Call& call, long got, int protocol);

  // Per task: its netlink sockets, fd -> NETLINK_* protocol.
  std::unordered_map<pid_t, std::map<int, int>> sockets_;
};

}  // namespace capmin::tracer
