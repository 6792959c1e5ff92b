// SPDX-License-Identifier: MIT
#pragma once

#include <sys/types.h>

#include <map>
#include <optional>
#include <utility>

#include "tracer/watchers/Watcher.h"

namespace capmin::tracer {

// Files whose own handler decides at write(2), not at open(2): a sysctl
// under /proc/sys (net.ipv4.conf.*: NET_ADMIN; kptr_restrict: SYS_ADMIN),
// /proc/PID/oom_score_adj lowered (SYS_RESOURCE), files under /sys. The
// open succeeds and the write is refused, and write is not traced: io-heavy
// programs would stop at every one. So when the program opens such a file
// for writing, this watcher moves the descriptor it gets (fcntl F_DUPFD,
// then close, injected at the open's exit) to the top of its descriptor
// table, at or above a number fixed at launch (RLIMIT_NOFILE's soft limit
// less kSlots), and the seccomp filter sends only writes to descriptors
// that high. A refused write there is reported like any refusal (the
// rules' `delivery: write_time`), and probe mode retries it. The program
// sees a higher descriptor number than the kernel would have given it.
//
// A set-user-ID file (or set-group-ID and group-executable) opened for
// writing is moved the same way, for a refusal that is no error: the
// kernel clears those bits at the first write without CAP_FSETID
// (fs/inode.c:file_remove_privs). After a write there, the file is looked
// at again, and bits gone are reported as dropped (`delivery:
// setid_dropped`); the write cannot be retried (its data would be written
// twice), so it is inferred in both modes. A copy of the descriptor in a
// child process is not followed.
class WriteTimeFiles final : public Watcher {
 public:
  explicit WriteTimeFiles(EngineServices& engine);
  std::vector<Interest> interests() const override;
  void on_exit(pid_t tid, const Call& call, long result) override;

  // Whether the file at `path` (as /proc/TID/fd names it) refuses writes
  // in its handler.
  static bool checks_at_write(const std::string& path);
  static constexpr int kSlots = 32;

 private:
  std::optional<int> move_up(pid_t tid, const Call& call, int fd);
  void after_write(pid_t tid, const Call& call);
  int low_ = -1;  // the lowest descriptor whose writes are traced; -1: none
  // (process, moved descriptor) -> the set-id bits its file had
  std::map<std::pair<pid_t, int>, mode_t> setid_;
};

}  // namespace capmin::tracer
