// SPDX-License-Identifier: MIT
#include "tracer/engine/WatchTable.h"

#include <algorithm>

#include "events/Errors.h"
#include "tracer/ptrace/Abi.h"

namespace capmin::tracer {

bool WatchTable::Compiled::matches(const Call& call) const {
  std::uint64_t args[6];
  std::copy(call.args.begin(), call.args.end(), args);
  return when.would_trace(static_cast<int>(call.native_nr), args);
}

void WatchTable::add(Watcher& watcher) {
  watchers_.push_back(&watcher);
  for (Interest& i : watcher.interests()) {
    if (i.syscall == Interest::kEveryCall) {
      every_entry_.push_back(&watcher);  // seen while followed only: the filter cannot say "all"
      continue;
    }
    const auto nr = syscall_number(Abi::Native, i.syscall);
    if (!nr) {
      continue;  // a call this architecture lacks (chmod on arm64)
    }
    if (static_cast<std::size_t>(*nr) >= by_nr_.size()) {
      by_nr_.resize(static_cast<std::size_t>(*nr) + 1);
    }
    Compiled c{&watcher, i.at, i.errnos, {}};
    c.when.trace_rule(static_cast<int>(*nr), i.syscall, i.when);
    by_nr_[static_cast<std::size_t>(*nr)].push_back(std::move(c));
    if (!i.followed_only) {
      filtered_.emplace_back(*nr, std::move(i));
    }
  }
}

void WatchTable::add_to_plan(SeccompPlan& plan) const {
  for (const auto& [nr, i] : filtered_) {
    plan.trace_rule(static_cast<int>(nr), i.syscall, i.when);
  }
}

const std::vector<WatchTable::Compiled>* WatchTable::for_call(const Call& call) const {
  if (call.native_nr < 0 || static_cast<std::size_t>(call.native_nr) >= by_nr_.size()) {
    return nullptr;
  }
  const auto& list = by_nr_[static_cast<std::size_t>(call.native_nr)];
  return list.empty() ? nullptr : &list;
}

namespace {
void add_once(std::vector<Watcher*>& out, Watcher* w) {
  if (std::find(out.begin(), out.end(), w) == out.end()) {
    out.push_back(w);
  }
}
}  // namespace

std::vector<Watcher*> WatchTable::at_entry(const Call& call) const {
  std::vector<Watcher*> out = every_entry_;
  if (const auto* list = for_call(call)) {
    for (const Compiled& c : *list) {
      if (c.at == Interest::At::Entry && c.matches(call)) {
        add_once(out, c.watcher);
      }
    }
  }
  sort_by_registration(out);
  return out;
}

bool WatchTable::wants_result(const Call& call) const {
  const auto* list = for_call(call);
  return list != nullptr && std::any_of(list->begin(), list->end(), [&](const Compiled& c) {
           return c.at != Interest::At::Entry && c.matches(call);
         });
}

std::vector<Watcher*> WatchTable::at_exit(const Call& call, long result) const {
  std::vector<Watcher*> out;
  const int err = result < 0 ? static_cast<int>(-result) : 0;
  if (const auto* list = for_call(call)) {
    for (const Compiled& c : *list) {
      const bool wanted =
          result >= 0 ? c.at == Interest::At::Success
                      : c.at == Interest::At::Failure &&
                            (c.errnos.empty() ||
                             std::find(c.errnos.begin(), c.errnos.end(), err) != c.errnos.end());
      if (wanted && c.matches(call)) {
        add_once(out, c.watcher);
      }
    }
  }
  if (err != 0) {
    for (Watcher* w : watchers_) {
      if (w->wants_failure(call.native_nr, err)) {
        add_once(out, w);
      }
    }
  }
  sort_by_registration(out);
  return out;
}

void WatchTable::sort_by_registration(std::vector<Watcher*>& list) const {
  std::sort(list.begin(), list.end(), [&](Watcher* a, Watcher* b) {
    return std::find(watchers_.begin(), watchers_.end(), a) <
           std::find(watchers_.begin(), watchers_.end(), b);
  });
}

}  // namespace capmin::tracer
