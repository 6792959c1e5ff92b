// SPDX-License-Identifier: MIT
#pragma once

#include "tracer/watchers/Watcher.h"

namespace capmin::tracer {

// Set-id bits the kernel drops without a word: a chmod that asks for
// S_ISGID on a file whose group the caller is not in succeeds, and leaves
// the bit out unless the caller holds CAP_FSETID (fs/attr.c:
// setattr_prepare() -> in_group_or_capable()). No errno says so; the file's
// mode after the call does. Probe mode runs the chmod again with the
// candidates raised; it is cured when the bit stays.
class SetidChmod final : public Watcher {
 public:
  using Watcher::Watcher;
  std::vector<Interest> interests() const override;
  void on_exit(pid_t tid, const Call& call, long result) override;
};

}  // namespace capmin::tracer
