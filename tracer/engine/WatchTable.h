// SPDX-License-Identifier: MIT
#pragma once

#include <memory>
#include <vector>

#include "tracer/filter/SeccompPlan.h"
#include "tracer/ptrace/Call.h"
#include "tracer/watchers/Watcher.h"

namespace capmin::tracer {

// Which watchers want which calls, compiled once from their interests: the
// calls the seccomp filter must send, and the same register conditions
// tested in capmin on each call it sees, so that a watcher is handed what
// it declared, filter or no filter.
class WatchTable {
 public:
  void add(Watcher& watcher);
  // Every call some watcher needs the filter to send.
  void add_to_plan(SeccompPlan& plan) const;

  // The watchers that want this call at its entry, in registration order.
  std::vector<Watcher*> at_entry(const Call& call) const;
  // Whether some watcher may want this call's result.
  bool wants_result(const Call& call) const;
  // The watchers that want this result (negative errno on failure).
  std::vector<Watcher*> at_exit(const Call& call, long result) const;

 private:
  struct Compiled {
    Watcher* watcher;
    Interest::At at;
    std::vector<int> errnos;
    SeccompPlan when;  // this one call, narrowed as the filter narrows it
    bool matches(const Call& call) const;
  };
  const std::vector<Compiled>* for_call(const Call& call) const;
  void sort_by_registration(std::vector<Watcher*>& list) const;

  std::vector<Watcher*> watchers_;
  std::vector<Watcher*> every_entry_;  // Interest::kEveryCall at its entry
  // By native system-call number.
  std::vector<std::vector<Compiled>> by_nr_;
  std::vector<std::pair<long, Interest>> filtered_;  // what add_to_plan adds
};

}  // namespace capmin::tracer
