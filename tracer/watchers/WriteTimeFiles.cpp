// SPDX-License-Identifier: MIT
#include "tracer/watchers/WriteTimeFiles.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/resource.h>

#include <cctype>

#include "tracer/ptrace/ProcessInspector.h"
#include "tracer/ptrace/RemoteSyscall.h"

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
  }
  return out;
}

void WriteTimeFiles::on_exit(pid_t tid, const Call& call, long result) {
  static const long open = native("open");
  static const long openat = native("openat");
  if (call.native_nr != open && call.native_nr != openat) {
    // A refused write to a descriptor at the top: an EPERM or EACCES like
    // any other, which RuleRefusals reports; the rules say whose.
    return;
  }
  const std::uint64_t flags = open_flags(call);
  if (call.abi != Abi::Native || result < 0 || result >= low_ || (flags & O_ACCMODE) == O_RDONLY) {
    return;
  }
  const auto target = engine_.inspector().fd_target(tid, static_cast<int>(result));
  if (target && checks_at_write(*target)) {
    move_up(tid, call, static_cast<int>(result));
  }
}

void WriteTimeFiles::move_up(pid_t tid, const Call& call, int fd) {
  static const long fcntl_nr = native("fcntl");
  static const long close_nr = native("close");
  const std::uint64_t flags = open_flags(call);
  RemoteSyscall rs(tid, RemoteSyscall::At::Exit, call.abi);
  if (!rs.ok()) {
    engine_.died(tid, rs.death_status());
    return;
  }
  const int dup = (flags & O_CLOEXEC) != 0 ? F_DUPFD_CLOEXEC : F_DUPFD;
  const auto moved =
      rs.call(fcntl_nr, {static_cast<std::uint64_t>(fd), static_cast<std::uint64_t>(dup),
                         static_cast<std::uint64_t>(low_), 0, 0, 0});
  if (!moved) {
    engine_.died(tid, rs.death_status());
    return;
  }
  if (*moved < 0) {
    return;  // the program lowered its limit, or filled the top: left where it is
  }
  if (!rs.call(close_nr, {static_cast<std::uint64_t>(fd), 0, 0, 0, 0, 0})) {
    engine_.died(tid, rs.death_status());
    return;
  }
  rs.set_result(*moved);
}

}  // namespace capmin::tracer
