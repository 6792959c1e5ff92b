// SPDX-License-Identifier: MIT
#pragma once

#include <sys/types.h>

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "events/SyscallEvent.h"
#include "tracer/filter/SeccompPlan.h"
#include "tracer/ptrace/Call.h"

namespace capmin::tracer {

struct LaunchSpec;
class ProcessInspector;
class Prober;

// One kind of system call a watcher wants to see, and when: as it is made
// (entry), or at its result, when it succeeded or failed with one of some
// errnos. Its register conditions narrow both the seccomp filter and the
// calls handed to the watcher, from the one declaration.
struct Interest {
  enum class At { Entry, Success, Failure };
  // Every call at its entry, while the task is followed call by call.
  static constexpr const char* kEveryCall = "*";
  std::string syscall;  // native name, or kEveryCall
  At at = At::Success;
  std::vector<FieldCondition> when;  // conditions the filter cannot test count as true
  std::vector<int> errnos;           // At::Failure: which (empty: any)
  // Only seen while some watcher follows the task call by call: never
  // widens the filter (netlink reads: every read() would stop otherwise).
  bool followed_only = false;
};

// How a reported refusal may be retried in probe mode.
struct Retry {
  bool allowed = true;
  // Whether a retry's result shows the kernel allowed the call (default:
  // it succeeded, or failed for another reason).
  std::function<bool(long result)> cure;
  // Why not, when not allowed (for the report).
  std::string why_not;
};

// What the engine offers its watchers. Every refusal goes through report():
// facts, reachability, stack, probe, hold, sink, in that order.
class EngineServices {
 public:
  virtual ~EngineServices() = default;
  virtual bool probing() const = 0;
  virtual const LaunchSpec& spec() const = 0;
  virtual const ProcessInspector& inspector() const = 0;
  virtual Prober& prober() = 0;
  // The call decoded as an event (arguments, file facts, the caller's ids),
  // `err` its errno or 0.
  virtual events::SyscallEvent make_event(pid_t tid, const Call& call, int err) = 0;
  virtual void report(pid_t tid, events::SyscallEvent&& event, const Retry& retry = {}) = 0;
  // Straight to the sink: an event a watcher held back after report().
  virtual void pass_on(events::SyscallEvent&& event) = 0;
  // capmin undid a side effect of its own probing (counted in the stats).
  virtual void count_artefact() = 0;
  // The task's ids may have changed: its next event reads them afresh.
  virtual void credentials_changed(pid_t tid) = 0;
  // An injection consumed the thread's last wait status: the engine
  // accounts for the thread as gone.
  virtual void died(pid_t tid, std::optional<int> status) = 0;
};

// One behaviour of the tracer, in a file of its own: the calls it needs to
// see (which feed the seccomp filter), the per-task state it keeps, and the
// events it hooks. The engine calls the hooks; a watcher never waits for or
// resumes a task. After a hook that injects calls, the task may be gone
// (EngineServices::died): the engine checks before it goes on.
class Watcher {
 public:
  explicit Watcher(EngineServices& engine) : engine_(engine) {}
  virtual ~Watcher() = default;
  Watcher(const Watcher&) = delete;
  Watcher& operator=(const Watcher&) = delete;

  virtual std::vector<Interest> interests() const = 0;

  // What an entry hook did to the call.
  enum class Entry {
    Made,       // it goes on as it is (or as the watcher rewrote it)
    Restarted,  // the watcher ran calls of its own; the thread makes the call afresh
  };
  // At the entry of a call of interest; `call` may be rewritten (the
  // registers are the watcher's to set).
  virtual Entry on_entry(pid_t tid, Call& call) {
    (void)tid;
    (void)call;
    return Entry::Made;
  }
  // At the result of a call of interest.
  virtual void on_exit(pid_t tid, const Call& call, long result) {
    (void)tid;
    (void)call;
    (void)result;
  }
  // A failure this watcher wants beyond its interests' errnos (the rule
  // table's refusals); default: none.
  virtual bool wants_failure(long native_nr, int err) const {
    (void)native_nr;
    (void)err;
    return false;
  }
  // The thread executed a new program (it is its process's leader now).
  virtual void on_exec(pid_t tid) { (void)tid; }
  // Whether a child or thread of `parent` inherits some of this watcher's
  // state (if no watcher's does, the new task's id is not even read).
  virtual bool passes_on(pid_t parent) const {
    (void)parent;
    return false;
  }
  virtual void on_new_task(pid_t parent, pid_t child) {
    (void)parent;
    (void)child;
  }
  virtual void on_task_exit(pid_t tid) { (void)tid; }
  // Whether the thread must stop at every system call for now.
  virtual bool follows(pid_t tid) const {
    (void)tid;
    return false;
  }
  // The facts stage of report(): amend an event on its way to the sink.
  virtual void annotate(pid_t tid, events::SyscallEvent& event) {
    (void)tid;
    (void)event;
  }
  // The last stage before the sink: take the event (true) to pass it on
  // later with EngineServices::pass_on.
  virtual bool hold(pid_t tid, events::SyscallEvent& event) {
    (void)tid;
    (void)event;
    return false;
  }
  // The run is over: pass on whatever is held.
  virtual void on_run_end() {}

 protected:
  EngineServices& engine_;
};

}  // namespace capmin::tracer
