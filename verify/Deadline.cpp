// SPDX-License-Identifier: MIT
#include "verify/Deadline.h"

#include <signal.h>

#include <algorithm>

namespace capmin::verify {

Deadline::Deadline(std::optional<std::chrono::milliseconds> after, Stop stop, Check check,
                   std::chrono::milliseconds grace)
    : stop_(std::move(stop)), check_(std::move(check)) {
  if (after) {
    thread_ = std::thread([this, after, grace] { wait_and_stop(*after, grace); });
  }
}

Deadline::~Deadline() {
  {
    const std::lock_guard<std::mutex> lock(mutex_);
    cancelled_ = true;
  }
  cancelled_cv_.notify_all();
  if (thread_.joinable()) {
    thread_.join();
  }
}

bool Deadline::fired() const {
  const std::lock_guard<std::mutex> lock(mutex_);
  return fired_;
}

bool Deadline::check_passed() const {
  const std::lock_guard<std::mutex> lock(mutex_);
  return check_passed_;
}

void Deadline::wait_and_stop(std::chrono::milliseconds after, std::chrono::milliseconds grace) {
  sigset_t all;
  sigfillset(&all);
  pthread_sigmask(SIG_BLOCK, &all, nullptr);
  std::unique_lock<std::mutex> lock(mutex_);
  const auto end = std::chrono::steady_clock::now() + after;
  for (;;) {
    const auto now = std::chrono::steady_clock::now();
    if (now >= end) {
      fired_ = true;
      break;
    }
    const auto slice =
        check_ ? std::min<std::chrono::steady_clock::duration>(kCheckEvery, end - now) : end - now;
    if (cancelled_cv_.wait_for(lock, slice, [this] { return cancelled_; })) {
      return;
    }
    if (check_) {
      lock.unlock();  // the check takes its time; the run may end meanwhile
      const bool passed = check_();
      lock.lock();
      if (cancelled_) {
        return;
      }
      if (passed) {
        check_passed_ = true;
        break;
      }
    }
  }
  lock.unlock();
  stop_(SIGTERM);
  lock.lock();
  if (cancelled_cv_.wait_for(lock, grace, [this] { return cancelled_; })) {
    return;
  }
  lock.unlock();
  stop_(SIGKILL);
}

}  // namespace capmin::verify
