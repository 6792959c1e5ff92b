// SPDX-License-Identifier: MIT
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>

#include "events/SyscallEvent.h"
#include "events/UniqueFd.h"
#include "tracer/engine/PathSearches.h"
#include "tracer/engine/Prober.h"
#include "tracer/engine/StackWalker.h"
#include "tracer/filter/RefusalFilter.h"
#include "tracer/launch/LaunchSpec.h"
#include "tracer/ptrace/ProcessInspector.h"

namespace capmin::tracer {

// Receives each refusal as the tracer sees it. Called on the tracer's thread,
// with the refused task stopped.
class EventSink {
 public:
  virtual ~EventSink() = default;
  virtual void on_refusal(events::SyscallEvent&& event) = 0;
  // Whether this refusal's call stack is still wanted: walking one costs
  // reads of the tracee, so a refusal already seen is not walked again.
  virtual bool wants_stack(const events::SyscallEvent& event) const {
    (void)event;
    return true;
  }
};

struct RunStats {
  std::uint64_t stops = 0;          // every waitpid report
  std::uint64_t syscall_stops = 0;  // entry and exit stops
  std::uint64_t refusals = 0;       // events sent to the sink
  std::uint64_t tasks = 0;          // threads and processes seen
  std::uint64_t injections = 0;     // system calls capmin ran inside the program
  std::uint64_t retries = 0;        // refused calls re-executed with a capability
  std::uint64_t artefacts = 0;      // probe-mode side effects undone (linkat)
};

struct RunResult {
  // How the command ended: an exit code, or the signal that killed it.
  int exit_code = 0;
  std::optional<int> signal;
  // Set when the command never started; the tracer records no events then.
  std::optional<LaunchFailure> launch_failure;
  RunStats stats;
  // The status capmin itself exits with: the command's, 128+signal, or
  // 125/126/127 when it could not be started.
  int status() const;
};

// Runs a command under ptrace and reports the system calls the kernel
// refuses it, following every process and thread it creates until the last
// one is gone. Owns the only waitpid() loop. Knows ptrace, registers and
// tracee memory; knows nothing of which capability a refusal needs.
class Tracer {
 public:
  // With `candidates` (probe mode, spec.caps == PermittedOnly) each refusal
  // is retried with the capabilities it names; without, refusals stand.
  Tracer(LaunchSpec spec, RefusalFilter filter, EventSink& sink,
         CandidateSource* candidates = nullptr);
  ~Tracer();
  Tracer(const Tracer&) = delete;
  Tracer& operator=(const Tracer&) = delete;

  // Whether refusals carry their call stacks (default on).
  void set_stacks(bool on) { stacks_on_ = on; }

  // Starts the command and traces it to the end. Throws SystemError when
  // capmin cannot start or attach to it at all.
  RunResult run();

 private:
  // What the tracer remembers of one thread between its stops.
  struct Task {
    long entry_nr = -1;                // the call whose exit stop comes next
    bool awaiting_exit = false;        // the filter sent a call: its exit stop is next
    bool clear_caps_at_entry = false;  // probe: execve handed it a full effective set
    std::string rewritten_from;        // probe: access() checked as faccessat2(AT_EACCESS)
    std::map<int, int> netlink;        // its netlink sockets: fd -> NETLINK_* protocol
    // probe: capabilities a retry proved and left in its effective set
    std::uint64_t kept_caps = 0;
    // It called capset since its last execve: it may hold capabilities
    // whatever its uid (PR_SET_KEEPCAPS, then capset).
    bool raised_caps_itself = false;
    // Whether a child or thread it creates starts with some of this.
    bool passes_on_state() const {
      return !netlink.empty() || kept_caps != 0 || raised_caps_itself;
    }
    // Looked up at its first refusal, kept until it executes another
    // program: /proc reads cost more than the rest of a refusal.
    pid_t tgid = 0;
    std::string exe;
  };

  pid_t spawn();
  void on_stop(pid_t tid, int raw_status);
  void on_exit_status(pid_t tid, int raw_status);
  void on_syscall_stop(pid_t tid);
  void on_seccomp_stop(pid_t tid);
  void on_syscall_entry(pid_t tid, Task& task, long nr);
  void on_syscall_exit(pid_t tid, Task& task, const Registers& regs);
  void on_exec(pid_t tid);
  void on_new_task(pid_t parent);
  void record(pid_t tid, Task& task, int err, const Registers& regs);
  // Hands a refusal on: its stack, probe mode's retry (cured as `cure`
  // says, if given), the sink.
  void deliver(pid_t tid, events::SyscallEvent&& ev, const Prober::Cure& cure = {});
  void check_setid_dropped(pid_t tid, Task& task, const Registers& regs);
  // Sets ev.unreachable when no capability granted to the container could
  // reach the refused call.
  void mark_unreachable(pid_t tid, const Task& task, events::SyscallEvent& ev);
  // After a successful call: a capset that leaves the thread an effective
  // set, or securebits set (SECBIT_NO_SETUID_FIXUP keeps it across uid
  // changes), means it may hold capabilities whatever its uid.
  void note_own_capability_management(pid_t tid, Task& task, const Registers& regs);
  events::SyscallEvent make_event(pid_t tid, const Registers& regs, int err, Task& task);
  void after_privilege_change(pid_t tid, Task& task, const Registers& regs);
  void undo_linkat_artefact(pid_t tid);
  void track_netlink(pid_t tid, Task& task, const Registers& regs);
  bool full_trace(const Task& task) const;
  bool needs_regs_on_success(const Task& task, long nr) const;
  void after_died(pid_t tid, std::optional<int> status);
  void resume(pid_t tid, int sig = 0);
  void kill_all();
  bool probing() const { return candidates_ != nullptr; }

  LaunchSpec spec_;
  RefusalFilter filter_;
  EventSink& sink_;
  CandidateSource* candidates_;
  Prober prober_;
  StackWalker stacks_;
  PathSearches searches_{sink_};
  bool stacks_on_ = true;
  ProcInspector inspector_;
  pid_t leader_ = -1;
  events::UniqueFd err_fd_;  // read end of the child's launch-failure pipe
  bool armed_ = false;       // capmin's setup is over: the command's execve comes next
  bool exec_seen_ = false;   // the command itself is running
  RunResult result_;
  std::unordered_map<pid_t, Task> tasks_;       // tasks still to be reaped
  std::unordered_map<int, std::string> names_;  // syscall names, looked up once
};

}  // namespace capmin::tracer
