// SPDX-License-Identifier: MIT
// The tracer's watch on set-id bits the kernel drops without a word: a
// chmod that asks for S_ISGID on a file whose group the caller is not in
// succeeds, and leaves the bit out unless the caller holds CAP_FSETID
// (fs/attr.c:setattr_prepare() -> in_group_or_capable()). No errno says
// so; the file's mode after the call does.
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/syscall.h>

#include <algorithm>
#include <optional>

#include "events/SyscallNames.h"
#include "tracer/decode/ArgDecoder.h"
#include "tracer/engine/Tracer.h"

namespace capmin::tracer {

namespace {

// Which register holds the mode of a chmod-family call; -1 for others.
int mode_register(long nr) {
  static const long fchmodat2 = events::syscall_number("fchmodat2").value_or(-1);
  if (nr == SYS_chmod || nr == SYS_fchmod) {
    return 1;
  }
  if (nr == SYS_fchmodat || nr == fchmodat2) {
    return 2;
  }
  return -1;
}

// The file as the event's decoding found it after the call (file.*).
std::optional<ProcessInspector::FileInfo> file_facts(const events::SyscallEvent& ev) {
  const events::Arg* uid = ev.find("file.uid");
  const events::Arg* gid = ev.find("file.gid");
  const events::Arg* mode = ev.find("file.mode");
  if (uid == nullptr || gid == nullptr || mode == nullptr || !uid->value || !gid->value ||
      !mode->value) {
    return std::nullopt;
  }
  return ProcessInspector::FileInfo{static_cast<uid_t>(*uid->value),
                                    static_cast<gid_t>(*gid->value),
                                    static_cast<mode_t>(*mode->value)};
}

}  // namespace

void Tracer::check_setid_dropped(pid_t tid, Task& task, const Registers& regs) {
  const int mode_reg = mode_register(regs.syscall_nr());
  if (mode_reg < 0 || (regs.arg(mode_reg) & S_ISGID) == 0) {
    return;
  }
  // The file as the call left it: decoded with the event (file.*) from its
  // path, or, for fchmod, looked up through the descriptor.
  events::SyscallEvent ev = make_event(tid, regs, 0, task);
  const bool by_fd = regs.syscall_nr() == SYS_fchmod;
  int at = by_fd ? static_cast<int>(regs.arg(0)) : AT_FDCWD;
  std::string path;
  if (!by_fd) {
    const events::Arg* p = ev.find("path");
    const events::Arg* dirfd = ev.find("dirfd");
    if (p == nullptr || p->text == ArgDecoder::kUnreadable) {
      return;  // unreadable
    }
    path = p->text;
    if (dirfd != nullptr && dirfd->value) {
      at = static_cast<int>(*dirfd->value);
    }
  }
  auto file_now = [&]() { return inspector_.stat_path(tid, at, path, /*follow=*/true); };
  const auto file = by_fd ? file_now() : file_facts(ev);
  const events::Arg* fsgid = ev.find("caller.fsgid");
  if (!file || (file->mode & S_ISGID) != 0 || fsgid == nullptr || !fsgid->value) {
    return;  // kept (or the file is gone, or the caller: nothing to say)
  }
  const auto groups = inspector_.groups(tid);
  if (!groups) {
    return;
  }
  if (by_fd) {
    ev.args.push_back({"file.uid", std::to_string(file->uid), file->uid});
    ev.args.push_back({"file.gid", std::to_string(file->gid), file->gid});
  }
  const bool member = static_cast<gid_t>(*fsgid->value) == file->gid ||
                      std::find(groups->begin(), groups->end(), file->gid) != groups->end();
  ev.args.push_back({"caller.in_file_group", member ? "yes" : "no", member ? 1 : 0});
  ev.args.push_back({"dropped", "S_ISGID", S_ISGID});
  // Probe mode runs the chmod again with the candidates raised; it is cured
  // when the bit stays this time.
  deliver(tid, std::move(ev), [&](long result) {
    auto after = file_now();
    return result >= 0 && after && (after->mode & S_ISGID) != 0;
  });
}

}  // namespace capmin::tracer
