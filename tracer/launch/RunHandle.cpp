// SPDX-License-Identifier: MIT
#include "tracer/launch/RunHandle.h"

#include <errno.h>
#include <fcntl.h>

#include "events/Errors.h"
#include "tracer/launch/Pidfd.h"

namespace capmin::tracer {

void RunHandle::set(const events::UniqueFd& pidfd, pid_t pid) {
  events::UniqueFd copy(fcntl(pidfd.get(), F_DUPFD_CLOEXEC, 0));
  if (!copy) {
    throw SystemError("fcntl(F_DUPFD_CLOEXEC) of a pidfd", errno);
  }
  const std::lock_guard<std::mutex> lock(mutex_);
  pidfd_ = std::move(copy);
  pid_ = pid;
}

bool RunHandle::signal(int sig) const {
  const std::lock_guard<std::mutex> lock(mutex_);
  return pidfd_ && pidfd_send_signal_raw(pidfd_.get(), sig) == 0;
}

bool RunHandle::started() const {
  const std::lock_guard<std::mutex> lock(mutex_);
  return pidfd_.valid();
}

pid_t RunHandle::pid() const {
  const std::lock_guard<std::mutex> lock(mutex_);
  return pid_;
}

}  // namespace capmin::tracer
