// SPDX-License-Identifier: MIT
#include "tracer/watchers/PathSearches.h"

#include <errno.h>

#include <algorithm>

#include "tracer/engine/EventSink.h"

namespace capmin::tracer {

namespace {

std::string name_of(const std::string& path) {
  const auto slash = path.find_last_of('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

bool looks_like_search_step(const events::SyscallEvent& e) {
  static const char* const kCalls[] = {"execve", "execveat", "newfstatat", "stat",      "lstat",
                                       "statx",  "access",   "faccessat",  "faccessat2"};
  if (e.err != EACCES || std::none_of(std::begin(kCalls), std::end(kCalls),
                                      [&](const char* c) { return e.syscall == c; })) {
    return false;
  }
  const events::Arg* path = e.find("path");
  return path != nullptr && path->text.find('/') != std::string::npos;
}

}  // namespace

bool PathSearches::hold(pid_t tid, events::SyscallEvent& event) {
  if (!looks_like_search_step(event)) {
    return false;
  }
  held_.emplace_back(tid, std::move(event));
  if (held_.size() > kMaxHeld) {
    pass_on(std::move(held_.front().second));
    held_.pop_front();
  }
  return true;
}

void PathSearches::executed(const std::vector<std::string>& names) {
  for (auto it = held_.begin(); it != held_.end();) {
    const std::string searched = name_of(it->second.find("path")->text);
    auto same = std::find_if(names.begin(), names.end(), [&](const std::string& n) {
      return !n.empty() && name_of(n) == searched;
    });
    if (same == names.end()) {
      ++it;
      continue;
    }
    it->second.tolerated =
        "the program went on to execute " + *same + " from another directory (a PATH search)";
    pass_on(std::move(it->second));
    it = held_.erase(it);
  }
}

void PathSearches::task_gone(pid_t tid) {
  for (auto it = held_.begin(); it != held_.end();) {
    if (it->first == tid) {
      pass_on(std::move(it->second));
      it = held_.erase(it);
    } else {
      ++it;
    }
  }
}

void PathSearches::flush_all() {
  for (auto& [tid, event] : held_) {
    pass_on(std::move(event));
  }
  held_.clear();
}

void PathSearches::pass_on(events::SyscallEvent&& event) { sink_.on_refusal(std::move(event)); }

}  // namespace capmin::tracer
