// SPDX-License-Identifier: MIT
#include "tracer/engine/Engine.h"

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>

#include "events/Check.h"
#include "events/Errors.h"
#include "tracer/engine/SignalForwarder.h"
#include "tracer/launch/Launch.h"
#include "tracer/ptrace/CapSets.h"
#include "tracer/ptrace/StopWait.h"
#include "tracer/ptrace/Tracee.h"
#include "tracer/ptrace/WaitStatus.h"
#include "tracer/watchers/Registry.h"

namespace capmin::tracer {

namespace {

// "pid:[INODE]" of /proc/WHO/ns/pid; "" if it cannot be read.
std::string pid_namespace_of(const std::string& who) {
  char buf[64];
  const std::string link = "/proc/" + who + "/ns/pid";
  const ssize_t n = readlink(link.c_str(), buf, sizeof buf - 1);
  return n > 0 ? std::string(buf, static_cast<std::size_t>(n)) : std::string();
}

constexpr unsigned long kPtraceOptions = PTRACE_O_TRACESYSGOOD | PTRACE_O_TRACEFORK |
                                         PTRACE_O_TRACEVFORK | PTRACE_O_TRACECLONE |
                                         PTRACE_O_TRACEEXEC | PTRACE_O_EXITKILL;

}  // namespace

Engine::Engine(LaunchSpec spec, RuleWatch rules, EventSink& sink, CandidateSource* candidates)
    : spec_(std::move(spec)), sink_(sink), candidates_(candidates) {
  scoped_ = spec_.record_in_own_pid_namespace;
  if (scoped_) {
    own_pid_ns_ = pid_namespace_of("self");
  }
  watchers_ = make_watchers(*this, std::move(rules));
  for (const auto& w : watchers_) {
    table_.add(*w);
  }
  if (spec_.seccomp) {
    table_.add_to_plan(*spec_.seccomp);
    result_.stats.filtered_calls = spec_.seccomp->syscall_count();
  }
}

Engine::~Engine() = default;

pid_t Engine::spawn() {
  // Attach while the child waits to be released, so that nothing it does
  // runs untraced. PTRACE_SEIZE (not TRACEME) gives group-stops that can be
  // listened to, and its options pass to every task the child creates.
  const unsigned long options =
      kPtraceOptions | (spec_.seccomp ? static_cast<unsigned long>(PTRACE_O_TRACESECCOMP) : 0);
  LaunchedChild child = launch(spec_, [options](pid_t pid) {
    if (!Tracee::seize(pid, options)) {
      throw SystemError("ptrace(PTRACE_SEIZE)", errno);
    }
  });
  err_fd_ = std::move(child.failure);
  return child.pid;
}

RunResult Engine::run() {
  leader_ = spawn();
  tasks_.emplace(leader_, Task{});
  result_.stats.tasks = 1;
  SignalForwarder forwarder(leader_);
  try {
    trace_loop();
    for (const auto& w : watchers_) {
      w->on_run_end();
    }
  } catch (const std::exception& e) {
    // Nothing may be lost: what reached the sink stays there, the traced
    // tree is ended, and the caller writes the report with the error.
    result_.internal_error = e.what();
    end_after_internal_error();
  }
  result_.stats.injections = prober_.stats().injections;
  result_.stats.retries = prober_.stats().retries;
  return result_;
}

void Engine::trace_loop() {
  bool killing = false;
  for (;;) {
    // Checked at every turn, not only when waitpid is interrupted: a second
    // interrupt that arrives while a stop is being handled interrupts
    // nothing, and a busy program always has a stop to handle.
    if (SignalForwarder::kill_requested() && !killing) {
      kill_all();
      killing = true;
    }
    int status = 0;
    const pid_t tid = wait_for_stop(-1, &status);
    if (tid < 0) {
      if (errno == EINTR) {
        continue;
      }
      if (errno == ECHILD) {
        return;  // the last traced task is gone
      }
      throw SystemError("waitpid", errno);
    }
    on_stop(tid, status);
    if (killing && alive(tid)) {
      kill(tid, SIGKILL);  // a task that was being created while the others were killed
    }
  }
}

void Engine::end_after_internal_error() {
  // Held events go on as they are; then every task is killed and reaped, so
  // that no part of the program outlives capmin.
  try {
    for (const auto& w : watchers_) {
      w->on_run_end();
    }
  } catch (const std::exception&) {
    // the sink itself may be what failed: the error already says so
  }
  kill_all();
  int status = 0;
  for (pid_t tid; (tid = waitpid(-1, &status, __WALL)) > 0 || errno == EINTR;) {
    if (tid > 0 && !WIFEXITED(status) && !WIFSIGNALED(status)) {
      kill(tid, SIGKILL);  // a child created meanwhile, or one still stopped
      Tracee(tid).cont();
    } else if (tid == leader_) {
      on_exit_status(tid, status);
    }
  }
  tasks_.clear();
}

void Engine::kill_all() {
  for (const auto& [tid, task] : tasks_) {
    kill(tid, SIGKILL);
  }
}

void Engine::on_exit_status(pid_t tid, int raw_status) {
  for (const auto& w : watchers_) {
    w->on_task_exit(tid);
  }
  prober_.forget(tid);
  tasks_.erase(tid);
  if (tid != leader_) {
    return;
  }
  SignalForwarder::target_gone();  // its pid is free for reuse now
  const WaitStatus ws(raw_status);
  if (ws.kind() == WaitStatus::Kind::Exited) {
    result_.exit_code = ws.exit_code();
  } else if (ws.kind() == WaitStatus::Kind::Killed) {
    result_.signal = ws.fatal_signal();
  }
  if (!exec_seen_) {
    result_.launch_failure = read_launch_failure(err_fd_.get());
    if (!result_.launch_failure && ws.kind() == WaitStatus::Kind::Killed) {
      // A signal (the --timeout, ^C) ended it while capmin was still setting
      // it up: the command never ran, which its exit status would not say.
      LaunchFailure f{};
      f.stage = LaunchFailure::Stage::Setup;
      const char* name = sigabbrev_np(ws.fatal_signal());
      std::snprintf(f.what, sizeof f.what, "ended by SIG%s before the command's execve",
                    name != nullptr ? name : "?");
      result_.launch_failure = f;
    }
  }
}

void Engine::died(pid_t tid, std::optional<int> status) {
  // An injection consumed the thread's last wait status: account for it as
  // the main loop would have.
  on_exit_status(tid, status.value_or(0));
}

void Engine::on_stop(pid_t tid, int raw_status) {
  ++result_.stats.stops;
  const WaitStatus ws(raw_status);
  const auto kind = ws.kind();
  if (!alive(tid)) {
    // A new task may report before its parent's fork event; nothing else
    // of a task the engine does not know.
    CAPMIN_CHECK(kind == WaitStatus::Kind::InterruptStop || kind == WaitStatus::Kind::GroupStop ||
                 kind == WaitStatus::Kind::Exited || kind == WaitStatus::Kind::Killed)
        << "a " << ws.describe() << " of task " << tid << ", which capmin never saw start";
    Task& fresh = tasks_[tid];
    fresh.recorded = scoped_ && creator_recorded(tid);
    ++result_.stats.tasks;
  }
  Tracee t(tid);
  switch (kind) {
    case WaitStatus::Kind::Exited:
    case WaitStatus::Kind::Killed:
      on_exit_status(tid, raw_status);
      return;
    case WaitStatus::Kind::SyscallStop:
    case WaitStatus::Kind::SeccompStop: {
      if (kind == WaitStatus::Kind::SeccompStop && !armed_) {
        t.cont();  // capmin's own setup calls after the filter went in
        return;
      }
      ++result_.stats.syscall_stops;
      Task& task = tasks_[tid];
      if (!recording(task)) {
        t.cont();  // the runtime's own calls: not the program's
        return;
      }
      auto info = t.syscall_info_if_alive();
      if (info && info->op == PTRACE_SYSCALL_INFO_EXIT) {
        on_exit(tid, task, info->exit.rval);
      } else if (auto call = info ? call_from(*info) : std::nullopt) {
        // The entry stop and then the seccomp stop of one call, when the
        // task is followed call by call: its entry is handled once.
        if (!(info->op == PTRACE_SYSCALL_INFO_SECCOMP && task.entry_seen)) {
          on_entry(tid, task, *call);
        }
      }
      break;
    }
    case WaitStatus::Kind::PtraceEvent:
      if (ws.ptrace_event() == PTRACE_EVENT_EXEC) {
        on_exec(tid);
      } else if (ws.ptrace_event() == PTRACE_EVENT_FORK ||
                 ws.ptrace_event() == PTRACE_EVENT_VFORK ||
                 ws.ptrace_event() == PTRACE_EVENT_CLONE) {
        on_new_task(tid);
      }
      break;
    case WaitStatus::Kind::GroupStop:
      // The program stopped (SIGSTOP, SIGTSTP...): stay stopped until
      // SIGCONT, as without a tracer, but keep seeing events.
      t.listen();
      return;
    case WaitStatus::Kind::InterruptStop:
      break;
    case WaitStatus::Kind::SignalStop:
      if (!armed_ && tid == leader_ && ws.stop_signal() == SIGSTOP) {
        // The child's own signal that its setup is over (ChildSetup): the
        // next call is the command's execve. Swallowed.
        armed_ = true;
        break;
      }
      resume(tid, ws.stop_signal());  // signals reach the program unchanged
      return;
  }
  if (alive(tid)) {
    resume(tid);
  }
}

void Engine::on_entry(pid_t tid, Task& task, const Call& call) {
  task.call = call;
  task.entry_seen = true;
  for (Watcher* w : table_.at_entry(task.call)) {
    const Watcher::Entry what = w->on_entry(tid, task.call);
    if (!alive(tid)) {
      return;
    }
    if (what == Watcher::Entry::Restarted) {
      // The thread executes its syscall instruction again: a new entry.
      task.entry_seen = false;
      task.wants_result = false;
      return;
    }
  }
  task.wants_result = table_.wants_result(task.call);
}

void Engine::on_exit(pid_t tid, Task& task, long result) {
  const bool wanted = task.wants_result || (result < 0 && task.entry_seen);
  task.entry_seen = false;
  task.wants_result = false;
  if (!wanted) {
    return;
  }
  const Call call = task.call;  // the task may be gone after a watcher
  for (Watcher* w : table_.at_exit(call, result)) {
    w->on_exit(tid, call, result);
    if (!alive(tid)) {
      return;
    }
  }
}

void Engine::on_exec(pid_t tid) {
  Tracee t(tid);
  // An execve from a non-leader thread takes over the leader's tid; the old
  // tid is gone without an exit report.
  if (auto former = t.event_msg_if_alive(); former && static_cast<pid_t>(*former) != tid) {
    for (const auto& w : watchers_) {
      w->on_task_exit(static_cast<pid_t>(*former));
    }
    prober_.forget(static_cast<pid_t>(*former));
    tasks_.erase(static_cast<pid_t>(*former));
  }
  // After an execve the thread is its process's leader: tid is the tgid.
  // Its executable is looked up at its first refusal.
  Task& task = tasks_[tid];
  task.tgid = tid;
  task.exe.clear();
  task.creds.reset();  // a set-id program runs with other ids
  stacks_.forget_maps();
  if (tid == leader_ && !exec_seen_) {
    exec_seen_ = true;  // capmin's setup is over; the command runs
    err_fd_.reset();
    if (!scoped_) {
      start_recording(tid, task);
    }
  }
  if (scoped_ && !task.recorded) {
    const std::string ns = pid_namespace_of(std::to_string(tid));
    if (!ns.empty() && ns != own_pid_ns_) {
      start_recording(tid, task);  // the container's process, executed by its runtime
    }
  }
  if (!recording(task)) {
    return;
  }
  for (const auto& w : watchers_) {
    w->on_exec(tid);
  }
}

void Engine::start_recording(pid_t tid, Task& task) {
  task.recorded = true;
  result_.program_started = true;
  if (auto state = probing() ? capget_of(tid) : std::nullopt) {
    prober_.set_granted(state->permitted);  // what the program starts with
  }
}

bool Engine::creator_recorded(pid_t tid) const {
  std::ifstream status("/proc/" + std::to_string(tid) + "/status");
  for (std::string line; std::getline(status, line);) {
    if (line.rfind("Tgid:", 0) == 0 || line.rfind("PPid:", 0) == 0) {
      const auto it = tasks_.find(static_cast<pid_t>(std::strtol(line.c_str() + 5, nullptr, 10)));
      if (it != tasks_.end() && it->first != tid && it->second.recorded) {
        return true;
      }
    }
  }
  return false;
}

void Engine::on_new_task(pid_t parent) {
  // Only read the new task's id when it inherits something: a child or
  // thread starts with its parent's descriptors and capabilities, and a
  // recorded task's child is recorded.
  const auto p = tasks_.find(parent);
  bool inherits = prober_.kept(parent) != 0 || (scoped_ && p != tasks_.end() && p->second.recorded);
  for (const auto& w : watchers_) {
    inherits = inherits || w->passes_on(parent);
  }
  if (auto msg = inherits ? Tracee(parent).event_msg_if_alive() : std::nullopt) {
    adopt(parent, static_cast<pid_t>(*msg));
  }
}

void Engine::adopt(pid_t parent, pid_t child) {
  if (tasks_.try_emplace(child).second) {
    ++result_.stats.tasks;
  }
  if (const auto p = tasks_.find(parent); p != tasks_.end() && p->second.recorded) {
    tasks_[child].recorded = true;
  }
  prober_.inherit(parent, child);
  for (const auto& w : watchers_) {
    w->on_new_task(parent, child);
  }
}

bool Engine::followed(pid_t tid) const {
  for (const auto& w : watchers_) {
    if (w->follows(tid)) {
      return true;
    }
  }
  return false;
}

void Engine::resume(pid_t tid, int sig) {
  Tracee t(tid);
  // Until the command's execve, capmin's own setup is not traced. With a
  // filter, the program runs freely between the calls it sends us, except
  // on the way to the result of a call a watcher wants, and while a watcher
  // follows the task call by call.
  auto it = tasks_.find(tid);
  if (!armed_ || (it != tasks_.end() && !recording(it->second))) {
    t.cont(sig);
    return;
  }
  const bool stop_at_calls =
      !spec_.seccomp || (it != tasks_.end() && (it->second.wants_result || followed(tid)));
  if (stop_at_calls) {
    t.syscall(sig);
  } else {
    t.cont(sig);
  }
}

}  // namespace capmin::tracer
