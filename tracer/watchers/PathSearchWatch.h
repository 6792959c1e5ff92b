// SPDX-License-Identifier: MIT
#pragma once

#include "tracer/engine/EventSink.h"
#include "tracer/watchers/PathSearches.h"
#include "tracer/watchers/Watcher.h"

namespace capmin::tracer {

// Holds back the refusals of a PATH search until it is known whether the
// program went on to run the same name from another directory
// (PathSearches), which it learns at each execve.
class PathSearchWatch final : public Watcher, private EventSink {
 public:
  explicit PathSearchWatch(EngineServices& engine) : Watcher(engine), searches_(*this) {}
  std::vector<Interest> interests() const override { return {}; }
  bool hold(pid_t tid, events::SyscallEvent& event) override { return searches_.hold(tid, event); }
  void on_exec(pid_t tid) override;
  void on_task_exit(pid_t tid) override { searches_.task_gone(tid); }
  void on_run_end() override { searches_.flush_all(); }

 private:
  void on_refusal(events::SyscallEvent&& event) override { engine_.pass_on(std::move(event)); }

  PathSearches searches_;
};

}  // namespace capmin::tracer
