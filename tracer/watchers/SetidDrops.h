// SPDX-License-Identifier: MIT
#pragma once

#include <sys/types.h>

#include <map>
#include <string>

#include "tracer/watchers/Watcher.h"

namespace capmin::tracer {

// Set-id bits the kernel drops from a file without a word, around a call
// that succeeds, seen by looking at the file before and after it:
//
// - A truncation (truncate, ftruncate, an open with O_TRUNC, creat) of a
//   set-user-ID file, or a set-group-ID one its group may execute, clears
//   those bits unless the caller holds CAP_FSETID (fs/open.c:do_truncate()
//   -> dentry_needs_remove_privs()).
// - A file created with S_ISGID and S_IXGRP in a set-group-ID directory,
//   whose group it inherits, loses S_ISGID when the caller is not in that
//   group and lacks CAP_FSETID (fs/inode.c:mode_strip_sgid()).
//
// Neither can be retried: the file is truncated or created already. The
// events carry `dropped` and `dropped_at` (truncate, create) for the rules
// (`delivery: setid_dropped`).
class SetidDrops final : public Watcher {
 public:
  using Watcher::Watcher;
  std::vector<Interest> interests() const override;
  Entry on_entry(pid_t tid, Call& call) override;
  void on_exit(pid_t tid, const Call& call, long result) override;
  void on_task_exit(pid_t tid) override { before_.erase(tid); }

 private:
  // What the call's entry found.
  struct Before {
    long native_nr;
    bool create;       // a creation, not a truncation
    mode_t bits;       // truncation: the set-id bits the file had
    int at;            // where to look again: the directory or the descriptor
    std::string path;  // "" for a descriptor
    bool follow;
  };
  std::map<pid_t, Before> before_;
};

}  // namespace capmin::tracer
