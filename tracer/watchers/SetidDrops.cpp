// SPDX-License-Identifier: MIT
#include "tracer/watchers/SetidDrops.h"

#include <fcntl.h>
#include <sys/stat.h>

#include <algorithm>
#include <string>

#include "events/SyscallSchema.h"
#include "tracer/ptrace/MemoryReader.h"
#include "tracer/ptrace/ProcessInspector.h"
#include "tracer/watchers/SetidBits.h"

namespace capmin::tracer {

namespace {

long native(const char* name) { return syscall_number(Abi::Native, name).value_or(-1); }

bool is_truncation(long nr) { return nr == native("truncate") || nr == native("ftruncate"); }

// Where each call names its file, and its open flags and mode.
struct Layout {
  int path = -1;   // argument index of the path, -1 for none
  int dirfd = -1;  // argument index of the directory, -1 for AT_FDCWD
  int fd = -1;     // argument index of a descriptor (ftruncate)
  int flags = -1;  // open flags, -1: none (creat: O_CREAT|O_WRONLY|O_TRUNC)
  int mode = -1;
};

Layout layout_of(long nr) {
  static const long open = native("open"), openat = native("openat"), creat = native("creat"),
                    truncate = native("truncate"), ftruncate = native("ftruncate"),
                    mknod = native("mknod"), mknodat = native("mknodat");
  if (nr == open) return {0, -1, -1, 1, 2};
  if (nr == openat) return {1, 0, -1, 2, 3};
  if (nr == creat) return {0, -1, -1, -1, 1};
  if (nr == truncate) return {0, -1, -1, -1, -1};
  if (nr == ftruncate) return {-1, -1, 0, -1, -1};
  if (nr == mknod) return {0, -1, -1, -1, 1};
  if (nr == mknodat) return {1, 0, -1, -1, 2};
  return {};
}

}  // namespace

std::vector<Interest> SetidDrops::interests() const {
  using C = FieldCondition;
  const std::string setgid_exec = std::to_string(S_ISGID | S_IXGRP);
  const std::vector<FieldCondition> truncating = {{"flags", C::Kind::AnyFlag, {"O_TRUNC"}}};
  const std::vector<FieldCondition> creating = {{"flags", C::Kind::AnyFlag, {"O_CREAT"}},
                                                {"mode", C::Kind::AllFlags, {setgid_exec}}};
  const std::vector<FieldCondition> made_setgid = {{"mode", C::Kind::AllFlags, {setgid_exec}}};
  std::vector<Interest> out;
  auto both = [&out](const char* call, const std::vector<FieldCondition>& when) {
    out.push_back({call, Interest::At::Entry, when, {}, false});
    out.push_back({call, Interest::At::Success, when, {}, false});
  };
  for (const char* call : {"open", "openat"}) {
    both(call, truncating);
    both(call, creating);
  }
  both("creat", {});
  both("truncate", {});
  both("ftruncate", {});
  both("mknod", made_setgid);
  both("mknodat", made_setgid);
  return out;
}

Watcher::Entry SetidDrops::on_entry(pid_t tid, Call& call) {
  before_.erase(tid);
  const Layout l = layout_of(call.native_nr);
  if (call.abi != Abi::Native || (l.path < 0 && l.fd < 0)) {
    return Entry::Made;
  }
  const auto arg = [&call](int i) { return call.args[static_cast<std::size_t>(i)]; };
  std::uint64_t flags = l.flags >= 0 ? arg(l.flags) : 0;
  if (call.native_nr == native("creat")) {
    flags = O_CREAT | O_WRONLY | O_TRUNC;
  }
  const bool is_mknod = call.native_nr == native("mknod") || call.native_nr == native("mknodat");
  const mode_t mode = l.mode >= 0 ? static_cast<mode_t>(arg(l.mode)) : 0;
  const bool creating =
      (is_mknod || (flags & O_CREAT) != 0) && (mode & (S_ISGID | S_IXGRP)) == (S_ISGID | S_IXGRP);
  Before b{call.native_nr, false, 0, AT_FDCWD, "", (flags & O_NOFOLLOW) == 0 && !is_mknod};
  if (l.fd >= 0) {
    b.at = static_cast<int>(arg(l.fd));
  } else {
    const auto path = ProcessMemory(tid).read_string(arg(l.path));
    if (!path || path->empty()) {
      return Entry::Made;
    }
    b.path = *path;
    b.at = l.dirfd >= 0 ? static_cast<int>(arg(l.dirfd)) : AT_FDCWD;
  }
  const auto info = engine_.inspector().stat_path(tid, b.at, b.path, b.follow);
  if (!info && creating) {
    b.create = true;  // not there yet: the call makes it
  } else if (info && (flags & O_EXCL) == 0 &&
             (is_truncation(call.native_nr) || (flags & O_TRUNC) != 0)) {
    b.bits = clearable_setid_bits(info->mode);
  }
  if (b.create || b.bits != 0) {
    before_[tid] = std::move(b);
  }
  return Entry::Made;
}

void SetidDrops::on_exit(pid_t tid, const Call& call, long result) {
  const auto it = before_.find(tid);
  if (it == before_.end()) {
    return;
  }
  Before b = std::move(it->second);
  before_.erase(it);
  if (b.native_nr != call.native_nr || result < 0) {
    return;
  }
  // An open's result is the file itself, wherever the path led.
  const bool opened = layout_of(call.native_nr).flags >= 0 || call.native_nr == native("creat");
  const ProcessInspector& proc = engine_.inspector();
  const auto after = opened ? proc.stat_path(tid, static_cast<int>(result), "", true)
                            : proc.stat_path(tid, b.at, b.path, b.follow);
  if (!after) {
    return;
  }
  const mode_t dropped =
      b.create ? (after->mode & S_ISGID) == 0 ? S_ISGID : 0 : b.bits & ~after->mode;
  if (dropped == 0) {
    return;
  }
  events::SyscallEvent ev = engine_.make_event(tid, call, 0);
  if (b.create) {
    const auto groups = proc.groups(tid);
    const auto creds = proc.creds(tid);
    const bool member =
        (creds && creds->fsgid == after->gid) ||
        (groups && std::find(groups->begin(), groups->end(), after->gid) != groups->end());
    ev.args.push_back({events::kSetidDroppedFields[0], member ? "yes" : "no", member ? 1 : 0});
  }
  ev.args.push_back({events::kSetidDroppedFields[1], setid_bit_names(dropped), dropped});
  ev.args.push_back(
      {events::kSetidDroppedFields[2], b.create ? "create" : "truncate", std::nullopt});
  engine_.report(tid, std::move(ev),
                 Retry{.allowed = false,
                       .cure = {},
                       .why_not = b.create ? "not retried: the file exists now, and a retry "
                                             "would not create it again"
                                           : "not retried: the file is truncated already"});
}

}  // namespace capmin::tracer
