// SPDX-License-Identifier: MIT
#pragma once

#include <sys/types.h>

#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "events/UniqueFd.h"
#include "tracer/engine/EventSink.h"
#include "tracer/engine/Prober.h"
#include "tracer/engine/StackWalker.h"
#include "tracer/engine/TestFault.h"
#include "tracer/engine/WatchTable.h"
#include "tracer/filter/RefusalFilter.h"
#include "tracer/launch/LaunchSpec.h"
#include "tracer/launch/RunResult.h"
#include "tracer/ptrace/Call.h"
#include "tracer/ptrace/ProcessInspector.h"
#include "tracer/watchers/Watcher.h"

namespace capmin::tracer {

// Runs a command under ptrace and follows every process and thread it
// creates until the last one is gone. Owns the task table, the only
// waitpid() loop, the classification of stops, when each task is resumed
// and how, and the one pipeline every refusal takes to the sink. What the
// tracer does with system calls lives in watchers (tracer/watchers/), which
// declare the calls they need; the engine builds the seccomp filter from
// those declarations and hands each watcher what it declared. Knows ptrace;
// knows nothing of which capability a refusal needs.
class Engine final : public EngineServices {
 public:
  // With `candidates` (probe mode, spec.caps == PermittedOnly) each refusal
  // is retried with the capabilities it names; without, refusals stand.
  // With spec.seccomp set, the filter sends the calls the watchers need.
  Engine(LaunchSpec spec, RuleWatch rules, EventSink& sink, CandidateSource* candidates = nullptr);
  ~Engine() override;

  // Whether refusals carry their call stacks (default on).
  void set_stacks(bool on) { stacks_on_ = on; }

  // Starts the command and traces it to the end. Throws SystemError when
  // capmin cannot start or attach to it at all. A failure of capmin's own
  // while tracing ends the traced tree and is returned in
  // RunResult::internal_error with everything seen so far delivered.
  RunResult run();

  // EngineServices, for the watchers.
  bool probing() const override { return candidates_ != nullptr; }
  const LaunchSpec& spec() const override { return spec_; }
  const ProcessInspector& inspector() const override { return inspector_; }
  Prober& prober() override { return prober_; }
  events::SyscallEvent make_event(pid_t tid, const Call& call, int err) override;
  void report(pid_t tid, events::SyscallEvent&& event, const Retry& retry = {}) override;
  void pass_on(events::SyscallEvent&& event) override;
  void count_artefact() override { ++result_.stats.artefacts; }
  void credentials_changed(pid_t tid) override;
  void died(pid_t tid, std::optional<int> status) override;

 private:
  // What the engine remembers of one thread between its stops.
  struct Task {
    Call call;                  // the call in progress, from its entry or seccomp stop
    bool entry_seen = false;    // its entry was handled: a seccomp stop after it adds nothing
    bool wants_result = false;  // some watcher wants its exit stop
    // Looked up at its first refusal, kept until it executes another
    // program: /proc reads cost more than the rest of a refusal.
    pid_t tgid = 0;
    std::string exe;
    // Its ids, from its first refusal until it changes them
    // (watchers/CredentialChanges) or executes another program.
    std::optional<ProcessInspector::Creds> creds;
    // spec.record_in_own_pid_namespace: it is the container's (it executed
    // a program in another pid namespace, or descends from one that did).
    bool recorded = false;
  };

  pid_t spawn();
  void trace_loop();
  void end_after_internal_error();
  void on_stop(pid_t tid, int raw_status);
  void on_exit_status(pid_t tid, int raw_status);
  void on_entry(pid_t tid, Task& task, const Call& call);
  void on_exit(pid_t tid, Task& task, long result);
  void on_exec(pid_t tid);
  void on_new_task(pid_t parent);
  // `child` is a new task of `parent`'s: it inherits what the parent passes on.
  void adopt(pid_t parent, pid_t child);
  bool followed(pid_t tid) const;
  // Whether what the task does is recorded and handed to the watchers.
  bool recording(const Task& task) const { return !scoped_ || task.recorded; }
  // The task's first stop came before its creator's event: whether its
  // process or its parent is recorded (/proc/TID/status).
  bool creator_recorded(pid_t tid) const;
  // From this execve on, the task's calls are the program's.
  void start_recording(pid_t tid, Task& task);
  bool alive(pid_t tid) const { return tasks_.count(tid) != 0; }
  void resume(pid_t tid, int sig = 0);
  void kill_all();

  LaunchSpec spec_;
  EventSink& sink_;
  CandidateSource* candidates_;
  Prober prober_;
  StackWalker stacks_;
  ProcInspector inspector_;
  TestFault fault_;
  std::vector<std::unique_ptr<Watcher>> watchers_;
  WatchTable table_;
  bool stacks_on_ = true;
  bool scoped_ = false;     // spec.record_in_own_pid_namespace
  std::string own_pid_ns_;  // capmin's pid namespace ("pid:[INODE]"), when scoped_
  pid_t leader_ = -1;
  events::UniqueFd err_fd_;  // read end of the child's launch-failure pipe
  bool armed_ = false;       // capmin's setup is over: the command's execve comes next
  bool exec_seen_ = false;   // the command itself is running
  RunResult result_;
  std::unordered_map<pid_t, Task> tasks_;        // tasks still to be reaped
  std::unordered_map<long, std::string> names_;  // native syscall names, looked up once
};

}  // namespace capmin::tracer
