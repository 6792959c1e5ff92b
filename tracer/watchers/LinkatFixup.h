// SPDX-License-Identifier: MIT
#pragma once

#include "tracer/watchers/Watcher.h"

namespace capmin::tracer {

// linkat(fd, "", AT_EMPTY_PATH) without CAP_DAC_READ_SEARCH demands that
// the descriptor was opened with the caller's current credentials
// (fs/namei.c:do_linkat()); every capset probe mode injects gives the
// thread new ones, so the kernel says ENOENT where Docker would succeed.
// The call is run again with CAP_DAC_READ_SEARCH, which is then lowered
// and not counted: the refusal is capmin's own doing.
class LinkatFixup final : public Watcher {
 public:
  using Watcher::Watcher;
  std::vector<Interest> interests() const override;
  void on_exit(pid_t tid, const Call& call, long result) override;
};

}  // namespace capmin::tracer
