// SPDX-License-Identifier: MIT
// The engine's one pipeline for refusals: every watcher's events are
// decoded here and take the same stages to the sink.
#include "tracer/decode/ArgDecoder.h"
#include "tracer/engine/Engine.h"
#include "tracer/ptrace/MemoryReader.h"

namespace capmin::tracer {

namespace {

// The inspector as the decoder of one task's call sees it: that task's ids
// come from the engine's copy (Task::creds), read once; every other
// question, another process's ids included, goes to /proc.
class KeptCreds final : public ProcessInspector {
 public:
  KeptCreds(const ProcessInspector& proc, pid_t tid, std::optional<Creds>& kept)
      : proc_(proc), tid_(tid), kept_(kept) {}
  std::optional<Creds> creds(pid_t tid) const override {
    if (tid != tid_) {
      return proc_.creds(tid);
    }
    if (!kept_) {
      kept_ = proc_.creds(tid);
    }
    return kept_;
  }
  std::optional<pid_t> tgid(pid_t tid) const override { return proc_.tgid(tid); }
  std::optional<std::vector<gid_t>> groups(pid_t tid) const override { return proc_.groups(tid); }
  std::optional<std::uint64_t> ambient_caps(pid_t tid) const override {
    return proc_.ambient_caps(tid);
  }
  std::optional<std::string> exe(pid_t tid) const override { return proc_.exe(tid); }
  std::optional<std::string> argv0(pid_t tid) const override { return proc_.argv0(tid); }
  std::optional<FileInfo> stat_path(pid_t tid, int dirfd, const std::string& path,
                                    bool follow) const override {
    return proc_.stat_path(tid, dirfd, path, follow);
  }
  std::optional<std::string> file_caps(pid_t tid, int dirfd,
                                       const std::string& path) const override {
    return proc_.file_caps(tid, dirfd, path);
  }
  std::optional<std::string> fd_target(pid_t tid, int fd) const override {
    return proc_.fd_target(tid, fd);
  }

 private:
  const ProcessInspector& proc_;
  pid_t tid_;
  std::optional<Creds>& kept_;
};

}  // namespace

void Engine::credentials_changed(pid_t tid) {
  if (auto it = tasks_.find(tid); it != tasks_.end()) {
    it->second.creds.reset();
  }
}

events::SyscallEvent Engine::make_event(pid_t tid, const Call& call, int err) {
  fault_.at("decode");
  Task& task = tasks_[tid];
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
  ev.nr = static_cast<int>(call.native_nr);
  if (call.native_nr >= 0) {
    auto name = names_.find(call.native_nr);
    if (name == names_.end()) {
      name = names_.emplace(call.native_nr, syscall_name(Abi::Native, call.native_nr)).first;
    }
    ev.syscall = name->second;
  } else {
    ev.syscall = syscall_name(call.abi, call.nr);
  }
  if (call.abi != Abi::Native) {
    ev.abi = abi_name(call.abi);
    ev.abi_syscall = syscall_name(call.abi, call.nr);
  }
  ev.err = err;
  ProcessMemory mem(tid);
  const KeptCreds proc(inspector_, tid, task.creds);
  ev.args = ArgDecoder(mem, &proc, tid).decode(ev.nr, call.args);
  return ev;
}

void Engine::report(pid_t tid, events::SyscallEvent&& ev, const Retry& retry) {
  // Facts and reachability: each watcher may amend the event, in order.
  for (const auto& w : watchers_) {
    w->annotate(tid, ev);
  }
  if (stacks_on_ && sink_.wants_stack(ev)) {
    ev.stack = stacks_.walk(tid);  // at the refusal, before any retry
  }
  std::optional<int> gone;
  if (!retry.allowed) {
    if (ev.probe_note.empty()) {
      ev.probe_note = retry.why_not;
    }
  } else if (probing() && ev.unreachable.empty() && alive(tid)) {
    // A retry where the container could not reach would prove nothing; one
    // that would act on the whole machine is not capmin's to make.
    if (const std::string host = candidates_->host_wide(ev); !host.empty()) {
      ev.probe_note = "not retried: allowed, it would change " + host +
                      ", which no namespace keeps to this run (--probe-unsafe retries it)";
    } else {
      gone = prober_.probe(tid, tasks_[tid].call.abi, candidates_->candidates(ev), ev, retry.cure);
      // A retry that worked made the call (a setuid, say) with no exit stop
      // of its own for the watchers to see.
      credentials_changed(tid);
      // A retried clone's child reported nothing to the main loop yet.
      for (const auto& [parent, child] : prober_.take_children()) {
        adopt(parent, child);
      }
    }
  }
  ++result_.stats.refusals;
  bool held = false;
  for (const auto& w : watchers_) {
    if (w->hold(tid, ev)) {
      held = true;
      break;
    }
  }
  if (!held) {
    pass_on(std::move(ev));
  }
  if (gone) {
    died(tid, gone);
  }
}

void Engine::pass_on(events::SyscallEvent&& event) {
  fault_.at("sink");
  sink_.on_refusal(std::move(event));
}

}  // namespace capmin::tracer
