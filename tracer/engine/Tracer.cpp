// SPDX-License-Identifier: MIT
#include "tracer/engine/Tracer.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>

#include "events/Errors.h"
#include "events/SyscallNames.h"
#include "tracer/decode/ArgDecoder.h"
#include "tracer/engine/SignalForwarder.h"
#include "tracer/launch/Launch.h"
#include "tracer/ptrace/CapSets.h"
#include "tracer/ptrace/MemoryReader.h"
#include "tracer/ptrace/StopWait.h"
#include "tracer/ptrace/Tracee.h"
#include "tracer/ptrace/WaitStatus.h"

namespace capmin::tracer {

namespace {

constexpr unsigned long kPtraceOptions = PTRACE_O_TRACESYSGOOD | PTRACE_O_TRACEFORK |
                                         PTRACE_O_TRACEVFORK | PTRACE_O_TRACECLONE |
                                         PTRACE_O_TRACEEXEC | PTRACE_O_EXITKILL;

}  // namespace

int RunResult::status() const {
  if (launch_failure) {
    if (launch_failure->stage == LaunchFailure::Stage::Setup) {
      return 125;
    }
    return launch_failure->err == ENOENT || launch_failure->err == ENOTDIR ? 127 : 126;
  }
  return signal ? 128 + *signal : exit_code;
}

Tracer::Tracer(LaunchSpec spec, RefusalFilter filter, EventSink& sink, CandidateSource* candidates)
    : spec_(std::move(spec)), filter_(std::move(filter)), sink_(sink), candidates_(candidates) {
  if (spec_.seccomp) {
    // What the tracer itself needs to see, whatever the rules say: netlink
    // sockets being opened (their replies carry refusals), and in probe mode
    // the linkat calls its own credential changes can break.
    spec_.seccomp->trace_rule(SYS_socket, "socket",
                              {{"domain", FieldCondition::Kind::OneOf, {"AF_NETLINK"}}});
    if (probing()) {
      spec_.seccomp->trace_rule(SYS_linkat, "linkat",
                                {{"flags", FieldCondition::Kind::AnyFlag, {"AT_EMPTY_PATH"}}});
    }
  }
}

Tracer::~Tracer() = default;

pid_t Tracer::spawn() {
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

RunResult Tracer::run() {
  leader_ = spawn();
  tasks_.emplace(leader_, Task{});
  result_.stats.tasks = 1;
  SignalForwarder forwarder(leader_);
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
        break;  // the last traced task is gone
      }
      throw SystemError("waitpid", errno);
    }
    on_stop(tid, status);
    if (killing && tasks_.count(tid) != 0) {
      kill(tid, SIGKILL);  // a task that was being created while the others were killed
    }
  }
  searches_.flush_all();
  result_.stats.injections = prober_.stats().injections;
  result_.stats.retries = prober_.stats().retries;
  return result_;
}

void Tracer::kill_all() {
  for (const auto& [tid, task] : tasks_) {
    kill(tid, SIGKILL);
  }
}

void Tracer::on_exit_status(pid_t tid, int raw_status) {
  searches_.task_gone(tid);
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
  }
}

void Tracer::on_stop(pid_t tid, int raw_status) {
  ++result_.stats.stops;
  if (tasks_.try_emplace(tid).second) {
    ++result_.stats.tasks;
  }
  const WaitStatus ws(raw_status);
  Tracee t(tid);
  switch (ws.kind()) {
    case WaitStatus::Kind::Exited:
    case WaitStatus::Kind::Killed:
      on_exit_status(tid, raw_status);
      return;
    case WaitStatus::Kind::SyscallStop:
      ++result_.stats.syscall_stops;
      on_syscall_stop(tid);
      return;
    case WaitStatus::Kind::SeccompStop:
      on_seccomp_stop(tid);
      return;
    case WaitStatus::Kind::PtraceEvent:
      if (ws.ptrace_event() == PTRACE_EVENT_EXEC) {
        on_exec(tid);
      } else if (ws.ptrace_event() == PTRACE_EVENT_FORK ||
                 ws.ptrace_event() == PTRACE_EVENT_VFORK ||
                 ws.ptrace_event() == PTRACE_EVENT_CLONE) {
        on_new_task(tid);
      }
      resume(tid);
      return;
    case WaitStatus::Kind::GroupStop:
      // The program stopped (SIGSTOP, SIGTSTP...): stay stopped until
      // SIGCONT, as without a tracer, but keep seeing events.
      t.listen();
      return;
    case WaitStatus::Kind::InterruptStop:
      resume(tid);
      return;
    case WaitStatus::Kind::SignalStop:
      if (!armed_ && tid == leader_ && ws.stop_signal() == SIGSTOP) {
        // The child's own signal that its setup is over (ChildSetup): the
        // next call is the command's execve. Swallowed.
        armed_ = true;
        resume(tid);
        return;
      }
      // Signals reach the program unchanged.
      resume(tid, ws.stop_signal());
      return;
  }
}

void Tracer::on_exec(pid_t tid) {
  Tracee t(tid);
  // An execve from a non-leader thread takes over the leader's tid; the old
  // tid is gone without an exit report.
  if (auto former = t.event_msg_if_alive(); former && static_cast<pid_t>(*former) != tid) {
    tasks_.erase(static_cast<pid_t>(*former));
  }
  // After an execve the thread is its process's leader: tid is the tgid.
  // Its executable is looked up at its first refusal (a /proc read costs
  // more than the stop), or now if a held PATH search may end here.
  Task& task = tasks_[tid];
  task.tgid = tid;
  task.exe.clear();
  if (searches_.holding()) {
    task.exe = inspector_.exe(tid).value_or("");
    searches_.executed({task.exe, inspector_.argv0(tid).value_or("")});
  }
  task.raised_caps_itself = false;
  stacks_.forget_maps();
  if (tid == leader_ && !exec_seen_) {
    exec_seen_ = true;  // capmin's setup is over; the command runs
    err_fd_.reset();
    if (auto state = probing() ? capget_of(tid) : std::nullopt) {
      prober_.set_granted(state->permitted);  // what the program starts with
    }
  }
  if (probing()) {
    // execve gave uid 0 (or the ambient set) a full effective set. No
    // syscall instruction of the new image is known yet, so the set is
    // emptied at the first syscall the new program makes, before it runs.
    tasks_[tid].clear_caps_at_entry = true;
  }
}

void Tracer::on_new_task(pid_t parent) {
  // A child or thread starts with its parent's descriptors, netlink sockets
  // included, and its parent's capabilities, those a retry left raised
  // included.
  auto it = tasks_.find(parent);
  if (it == tasks_.end() || !it->second.passes_on_state()) {
    return;  // nothing to inherit: the child's id is not even needed
  }
  auto msg = Tracee(parent).event_msg_if_alive();
  if (!msg) {
    return;
  }
  auto [child, fresh] = tasks_.try_emplace(static_cast<pid_t>(*msg));
  if (fresh) {
    ++result_.stats.tasks;
  }
  child->second.netlink = it->second.netlink;
  child->second.kept_caps = it->second.kept_caps;
  child->second.raised_caps_itself = it->second.raised_caps_itself;
}

bool Tracer::full_trace(const Task& task) const {
  // Every call of a task stops when there is no filter, and while it holds
  // netlink sockets, whose refusals arrive in replies to read.
  return !spec_.seccomp || !task.netlink.empty();
}

bool Tracer::needs_regs_on_success(const Task& task, long nr) const {
  switch (nr) {
    case SYS_socket:
      return true;
    case SYS_close:
    case SYS_read:
    case SYS_recvfrom:
    case SYS_recvmsg:
      return !task.netlink.empty();
    case SYS_capset:
      return true;  // a program's own capability management (mark_unreachable)
    case SYS_prctl:
      return probing() || spec_.caps == LaunchSpec::Caps::Grant;
    case SYS_setuid:
    case SYS_setreuid:
    case SYS_setresuid:
    case SYS_setfsuid:
      return probing();
    default:
      return false;
  }
}

void Tracer::on_syscall_stop(pid_t tid) {
  Task& task = tasks_[tid];
  Tracee t(tid);
  if (task.awaiting_exit && !full_trace(task)) {
    // The exit of a call the filter sent us: one register read gives the
    // call and its result.
    task.awaiting_exit = false;
    if (auto regs = t.regs_if_alive()) {
      on_syscall_exit(tid, task, *regs);
    }
  } else if (auto info = t.syscall_info_if_alive()) {
    if (info->op == PTRACE_SYSCALL_INFO_ENTRY) {
      task.entry_nr = static_cast<long>(info->entry.nr);
      on_syscall_entry(tid, task, task.entry_nr);
    } else if (info->op == PTRACE_SYSCALL_INFO_EXIT) {
      task.awaiting_exit = false;
      const long rval = info->exit.rval;
      const bool wanted = rval < 0 ? filter_.wants_errno(static_cast<int>(-rval)) ||
                                         (probing() && task.entry_nr == SYS_linkat)
                                   : needs_regs_on_success(task, task.entry_nr) ||
                                         filter_.wants_success(task.entry_nr);
      if (wanted) {
        if (auto regs = t.regs_if_alive()) {
          on_syscall_exit(tid, task, *regs);
        }
      } else {
        task.rewritten_from.clear();  // an access() rewritten at its entry ends here
      }
    }
  }
  if (tasks_.count(tid) != 0) {
    resume(tid);
  }
}

void Tracer::on_seccomp_stop(pid_t tid) {
  Tracee t(tid);
  if (!armed_) {
    t.cont();  // capmin's own setup calls after the filter went in
    return;
  }
  Task& task = tasks_[tid];
  if (probing()) {
    // Probe mode's bookkeeping needs the call at its entry (the access
    // rewrite).
    if (auto info = t.syscall_info_if_alive(); info && info->op == PTRACE_SYSCALL_INFO_SECCOMP) {
      task.entry_nr = static_cast<long>(info->seccomp.nr);
      on_syscall_entry(tid, task, task.entry_nr);
      if (tasks_.count(tid) == 0) {
        return;
      }
    }
  }
  // The filter said a rule may care: run to the exit stop for the result.
  task.awaiting_exit = true;
  t.syscall();
}

void Tracer::on_syscall_entry(pid_t tid, Task& task, long nr) {
  if (!probing()) {
    return;
  }
  if (task.clear_caps_at_entry) {
    task.clear_caps_at_entry = false;
    task.kept_caps = 0;
    if (auto died = prober_.clear_effective(tid, RemoteSyscall::At::Entry)) {
      after_died(tid, died);
    }
    return;  // the call is made again, and stops at its entry again
  }
  if (nr != SYS_access && nr != SYS_faccessat && nr != SYS_faccessat2) {
    return;
  }
  // access(2) for a real uid 0 checks with the permitted set as effective
  // (fs/open.c:access_override_creds), so it would pass where Docker's
  // empty permitted set fails. With AT_EACCESS it checks the effective set;
  // when real and effective ids agree that is the only difference.
  auto creds = inspector_.creds(tid);
  auto regs = Tracee(tid).regs_if_alive();
  if (!creds || !regs || creds->ruid != creds->euid || creds->rgid != creds->egid) {
    return;
  }
  auto a = regs->args();
  std::array<std::uint64_t, 6> rewritten{};
  if (nr == SYS_access) {
    rewritten = {static_cast<std::uint64_t>(AT_FDCWD), a[0], a[1], AT_EACCESS, 0, 0};
  } else if (nr == SYS_faccessat) {
    rewritten = {a[0], a[1], a[2], AT_EACCESS, 0, 0};
  } else {
    if (a[3] & AT_EACCESS) {
      return;
    }
    rewritten = {a[0], a[1], a[2], a[3] | AT_EACCESS, 0, 0};
  }
  regs->set_syscall(SYS_faccessat2, rewritten);
  if (Tracee(tid).set_regs_if_alive(*regs)) {
    task.rewritten_from = events::syscall_name(static_cast<int>(nr));
  }
}

void Tracer::on_syscall_exit(pid_t tid, Task& task, const Registers& regs) {
  const long nr = regs.syscall_nr();
  const long result = regs.result();
  if (result < 0) {
    const int err = static_cast<int>(-result);
    if (filter_.wants(static_cast<int>(nr), err)) {
      record(tid, task, err, regs);
    } else if (probing() && nr == SYS_linkat && err == ENOENT && (regs.arg(4) & AT_EMPTY_PATH)) {
      undo_linkat_artefact(tid);
    }
  } else {
    track_netlink(tid, task, regs);
    note_own_capability_management(tid, task, regs);
    if (filter_.wants_success(nr)) {
      check_setid_dropped(tid, task, regs);
    }
    if (probing() && tasks_.count(tid) != 0) {
      after_privilege_change(tid, task, regs);
    }
  }
  if (auto it = tasks_.find(tid); it != tasks_.end()) {
    it->second.rewritten_from.clear();
  }
}

void Tracer::undo_linkat_artefact(pid_t tid) {
  // linkat(fd, "", AT_EMPTY_PATH) without CAP_DAC_READ_SEARCH demands that
  // the fd was opened with the caller's current credentials
  // (fs/namei.c:do_linkat); every capset capmin injects gives the thread
  // new ones, so the kernel says ENOENT here where Docker would succeed. The
  // call is run again with CAP_DAC_READ_SEARCH, and the capability is not
  // counted: the refusal is capmin's own doing.
  events::SyscallEvent ev;
  ev.syscall = "linkat";
  ev.err = ENOENT;
  if (auto died = prober_.probe(tid, {{CAP_DAC_READ_SEARCH}}, ev, {}, /*keep=*/false)) {
    after_died(tid, died);
  }
  ++result_.stats.artefacts;
}

void Tracer::after_privilege_change(pid_t tid, Task& task, const Registers& regs) {
  const long nr = regs.syscall_nr();
  if (nr == SYS_setuid || nr == SYS_setreuid || nr == SYS_setresuid || nr == SYS_setfsuid) {
    // seteuid(0) copies the permitted set into the effective set;
    // setfsuid(0) restores the file-system capabilities.
    task.kept_caps = 0;
    if (auto died = prober_.clear_effective(tid, RemoteSyscall::At::Exit)) {
      after_died(tid, died);
    }
    return;
  }
  if (nr != SYS_capset && nr != SYS_prctl) {
    return;
  }
  auto state = capget_of(tid);
  if (!state) {
    return;
  }
  std::uint64_t raised = 0;
  if (nr == SYS_capset) {
    // What capmin left raised after a retry is not the program's doing.
    raised = state->effective & ~task.kept_caps;
    task.kept_caps &= state->effective;
    task.raised_caps_itself = task.raised_caps_itself || state->effective != 0;
  } else if (regs.arg(0) == PR_CAP_AMBIENT && regs.arg(1) == PR_CAP_AMBIENT_RAISE) {
    raised = std::uint64_t{1} << (regs.arg(2) & 63);
  }
  if (raised == 0) {
    return;
  }
  // The program took capabilities from its permitted set on its own: under
  // --cap-drop=ALL that call fails, so it needs them.
  events::SyscallEvent ev = make_event(tid, regs, 0, task);
  ev.probed = true;
  ev.self_raised = true;
  ev.confirmed = cap_list(raised);
  sink_.on_refusal(std::move(ev));
}

events::SyscallEvent Tracer::make_event(pid_t tid, const Registers& regs, int err, Task& task) {
  events::SyscallEvent ev;
  ev.tid = tid;
  if (task.tgid == 0) {
    task.tgid = inspector_.tgid(tid).value_or(tid);
  }
  if (task.exe.empty()) {
    task.exe = inspector_.exe(tid).value_or("?");
  }
  ev.pid = task.tgid;
  ev.exe = task.exe;
  ev.nr = static_cast<int>(regs.syscall_nr());
  if (!task.rewritten_from.empty()) {
    ev.syscall = task.rewritten_from;
  } else {
    auto name = names_.find(ev.nr);
    if (name == names_.end()) {
      name = names_.emplace(ev.nr, events::syscall_name(ev.nr)).first;
    }
    ev.syscall = name->second;
  }
  ev.err = err;
  ProcessMemory mem(tid);
  ev.args = ArgDecoder(mem, &inspector_, tid).decode(ev.nr, regs.args());
  return ev;
}

void Tracer::record(pid_t tid, Task& task, int err, const Registers& regs) {
  deliver(tid, make_event(tid, regs, err, task));
}

void Tracer::deliver(pid_t tid, events::SyscallEvent&& ev, const Prober::Cure& cure) {
  if (auto it = tasks_.find(tid); it != tasks_.end()) {
    const events::Arg* option = ev.find("option");
    if (ev.nr == SYS_capset ||
        (ev.nr == SYS_prctl && option != nullptr && option->text == "PR_SET_SECUREBITS")) {
      it->second.raised_caps_itself = true;  // it tried: in a container it may succeed
    }
    mark_unreachable(tid, it->second, ev);
  }
  if (stacks_on_ && sink_.wants_stack(ev)) {
    ev.stack = stacks_.walk(tid);  // at the refusal, before any retry
  }
  std::optional<int> died;
  // A retry where the container could not reach would prove nothing.
  if (probing() && ev.unreachable.empty()) {
    const auto candidates = candidates_->candidates(ev);
    died = prober_.probe(tid, candidates, ev, cure);
    if (auto it = tasks_.find(tid); it != tasks_.end() && !died) {
      it->second.kept_caps |= cap_mask(ev.confirmed);
    }
  }
  ++result_.stats.refusals;
  if (!searches_.hold(tid, ev)) {
    sink_.on_refusal(std::move(ev));
  }
  if (died) {
    after_died(tid, died);
  }
}

void Tracer::after_died(pid_t tid, std::optional<int> status) {
  // An injection consumed the thread's last wait status: account for it as
  // the main loop would have.
  on_exit_status(tid, status.value_or(0));
}

void Tracer::resume(pid_t tid, int sig) {
  Tracee t(tid);
  // Until the command's execve, capmin's own setup is not traced. With a
  // filter, the program runs freely between the calls it sends us, except
  // on the way to the exit of a call the filter sent, while it holds
  // netlink sockets, and right after an execve in probe mode (its first
  // call must stop so that the effective set can be emptied).
  if (!armed_) {
    t.cont(sig);
    return;
  }
  auto it = tasks_.find(tid);
  const bool stop_at_calls =
      !spec_.seccomp ||
      (it != tasks_.end() &&
       (full_trace(it->second) || it->second.awaiting_exit || it->second.clear_caps_at_entry));
  if (stop_at_calls) {
    t.syscall(sig);
  } else {
    t.cont(sig);
  }
}

}  // namespace capmin::tracer
