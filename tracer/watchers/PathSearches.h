// SPDX-License-Identifier: MIT
#pragma once

#include <sys/types.h>

#include <cstddef>
#include <deque>
#include <string>
#include <utility>
#include <vector>

#include "events/SyscallEvent.h"

namespace capmin::tracer {

class EventSink;

// Holds back refusals that look like one step of a PATH search: an execve,
// stat or access of DIR/NAME refused with EACCES. Shells and execvp(3) try
// each PATH directory in turn and shrug such refusals off; if a program of
// the same NAME is then executed (by this task or, as shells do, by a child
// it forks), the refusal was worked around and is passed on marked
// `tolerated`. Otherwise it is passed on as it was when its task ends, when
// too many are held, or at the end of the run.
class PathSearches {
 public:
  explicit PathSearches(EventSink& sink) : sink_(sink) {}
  ~PathSearches() = default;
  PathSearches(const PathSearches&) = delete;
  PathSearches& operator=(const PathSearches&) = delete;

  // Takes the event if it looks like a PATH search step; false otherwise.
  bool hold(pid_t tid, events::SyscallEvent& event);
  // A program was executed, known by these paths or names (its executable,
  // its argv[0]).
  void executed(const std::vector<std::string>& names);
  // Whether any refusal is held (else an execve need not be named).
  bool holding() const { return !held_.empty(); }
  void task_gone(pid_t tid);
  void flush_all();

  static constexpr std::size_t kMaxHeld = 256;

 private:
  void pass_on(events::SyscallEvent&& event);

  EventSink& sink_;
  std::deque<std::pair<pid_t, events::SyscallEvent>> held_;
};

}  // namespace capmin::tracer
