// SPDX-License-Identifier: MIT
#include "tracer/watchers/WriteTimeFiles.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/resource.h>
#include <sys/stat.h>

#include <cctype>

#include "events/SyscallSchema.h"
#include "tracer/ptrace/ProcessInspector.h"
#include "tracer/ptrace/RemoteSyscall.h"
#include "tracer/watchers/SetidBits.h"

namespace capmin::tracer {

namespace {

long native(const char* name) { return syscall_number(Abi::Native, name).value_or(-1); }

// The open's flags, by the call's layout.
std::uint64_t open_flags(const Call& call) {
  static const long open = native("open");
  return call.native_nr == open ? call.args[1] : call.args[2];
}

bool starts_with(const std::string& s, const char* prefix) { return s.rfind(prefix, 0) == 0; }

}  // namespace

WriteTimeFiles::WriteTimeFiles(EngineServices& engine) : Watcher(engine) {
  // The program starts with capmin's limits; below a few hundred
  // descriptors, the top ones are too likely to be the program's own.
  rlimit nofile{};
  if (getrlimit(RLIMIT_NOFILE, &nofile) == 0 && nofile.rlim_cur != RLIM_INFINITY &&
      nofile.rlim_cur >= 256 && nofile.rlim_cur <= (1u << 30)) {
    low_ = static_cast<int>(nofile.rlim_cur) - kSlots;
  }
}

bool WriteTimeFiles::checks_at_write(const std::string& path) {
  if (starts_with(path, "/proc/sys/") || starts_with(path, "/sys/")) {
    return true;
  }
  // /proc/PID/oom_score_adj, /proc/PID/oom_adj (fs/proc/base.c:__set_oom_adj),
  // also as /proc/PID/task/TID/...
  if (!starts_with(path, "/proc/")) {
    return false;
  }
  const std::size_t slash = path.rfind('/');
  const std::string leaf = path.substr(slash + 1);
  return leaf == "oom_score_adj" || leaf == "oom_adj";
}

std::vector<Interest> WriteTimeFiles::interests() const {
  if (low_ < 0) {
    return {};
  }
  std::vector<Interest> out;
  for (const char* open : {"open", "openat"}) {
    out.push_back({open, Interest::At::Success, {}, {}, false});
  }
  const std::vector<FieldCondition> high = {
      {"fd", FieldCondition::Kind::GreaterEq, {std::to_string(low_)}}};
  for (const char* write : {"write", "pwrite64", "writev"}) {
    out.push_back({write, Interest::At::Failure, high, {EPERM, EACCES}, false});
    out.push_back({write, Interest::At::Success, high, {}, false});
  }
  return out;
}

void WriteTimeFiles::on_exit(pid_t tid, const Call& call, long result) {
  static const long open = native("open");
  static const long openat = native("openat");
  if (call.native_nr != open && call.native_nr != openat) {
    // A refused write to a descriptor at the top is an EPERM or EACCES like
    // any other, which RuleRefusals reports; one that went through may have
    // cleared set-id bits.
    if (result >= 0 && !setid_.empty()) {
      after_write(tid, call);
    }
    return;
  }
  const std::uint64_t flags = open_flags(call);
  if (call.abi != Abi::Native || result < 0 || result >= low_ || (flags & O_ACCMODE) == O_RDONLY) {
    return;
  }
  const int fd = static_cast<int>(result);
  const ProcessInspector& proc = engine_.inspector();
  const auto target = proc.fd_target(tid, fd);
  if (target && checks_at_write(*target)) {
    move_up(tid, call, fd);
    return;
  }
  const auto info = proc.stat_path(tid, fd, "", /*follow=*/true);
  const mode_t setid = info ? clearable_setid_bits(info->mode) : 0;
  const auto tgid = proc.tgid(tid);
  if (setid != 0 && tgid) {
    if (const auto moved = move_up(tid, call, fd)) {
      setid_[{*tgid, *moved}] = setid;
    }
  }
}

void WriteTimeFiles::after_write(pid_t tid, const Call& call) {
  const ProcessInspector& proc = engine_.inspector();
  const auto tgid = proc.tgid(tid);
  const int fd = static_cast<int>(call.args[0]);
  const auto it = tgid ? setid_.find({*tgid, fd}) : setid_.end();
  if (it == setid_.end()) {
    return;
  }
  const auto info = proc.stat_path(tid, fd, "", /*follow=*/true);
  const mode_t dropped = info ? it->second & ~info->mode : 0;
  if (dropped == 0) {
    return;  // still there (the thread holds CAP_FSETID)
  }
  setid_.erase(it);
  events::SyscallEvent ev = engine_.make_event(tid, call, 0);
  ev.args.push_back({events::kSetidDroppedFields[1], setid_bit_names(dropped), dropped});
  engine_.report(tid, std::move(ev),
                 Retry{.allowed = false,
                       .cure = {},
                       .why_not = "not retried: the write happened, and its data would be "
                                  "written twice"});
}

std::optional<int> WriteTimeFiles::move_up(pid_t tid, const Call& call, int fd) {
  static const long fcntl_nr = native("fcntl");
  static const long close_nr = native("close");
  const std::uint64_t flags = open_flags(call);
  RemoteSyscall rs(tid, RemoteSyscall::At::Exit, call.abi);
  if (!rs.ok()) {
    engine_.died(tid, rs.death_status());
    return std::nullopt;
  }
  const int dup = (flags & O_CLOEXEC) != 0 ? F_DUPFD_CLOEXEC : F_DUPFD;
  const auto moved =
      rs.call(fcntl_nr, {static_cast<std::uint64_t>(fd), static_cast<std::uint64_t>(dup),
                         static_cast<std::uint64_t>(low_), 0, 0, 0});
  if (!moved) {
    engine_.died(tid, rs.death_status());
    return std::nullopt;
  }
  if (*moved < 0) {
    return std::nullopt;  // the program lowered its limit, or filled the top: left where it is
  }
  if (!rs.call(close_nr, {static_cast<std::uint64_t>(fd), 0, 0, 0, 0, 0})) {
    engine_.died(tid, rs.death_status());
    return std::nullopt;
  }
  rs.set_result(*moved);
  return static_cast<int>(*moved);
}

}  // namespace capmin::tracer
