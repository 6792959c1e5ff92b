// SPDX-License-Identifier: MIT
#pragma once

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include <utility>

#include "events/Errors.h"

namespace capmin::events {

// Owns one file descriptor and closes it when it goes, as std::unique_ptr
// owns memory: movable, not copyable; -1 is "none". Knows nothing of what the
// descriptor is. In a forked child that will exec or _exit, none of these
// destructors runs: close by hand (reset()) what the child must not hold.
class UniqueFd {
 public:
  UniqueFd() = default;
  explicit UniqueFd(int fd) noexcept : fd_(fd) {}
  ~UniqueFd() { reset(); }
  UniqueFd(UniqueFd&& other) noexcept : fd_(other.release()) {}
  UniqueFd& operator=(UniqueFd&& other) noexcept {
    reset(other.release());
    return *this;
  }
  UniqueFd(const UniqueFd&) = delete;
  UniqueFd& operator=(const UniqueFd&) = delete;

  int get() const noexcept { return fd_; }
  bool valid() const noexcept { return fd_ >= 0; }
  explicit operator bool() const noexcept { return valid(); }

  // Gives the descriptor up without closing it; -1 from then on.
  [[nodiscard]] int release() noexcept { return std::exchange(fd_, -1); }

  // Closes the descriptor held, if any, and holds `fd` instead.
  void reset(int fd = -1) noexcept {
    const int old = std::exchange(fd_, fd);
    if (old >= 0) {
      // Not retried on EINTR: Linux frees the descriptor whatever close
      // returns (fs/open.c:close_fd), and a retry could close another
      // thread's new one.
      ::close(old);
    }
  }

 private:
  int fd_ = -1;
};

// The two ends of a pipe.
struct Pipe {
  UniqueFd read;
  UniqueFd write;
};

// A pipe whose ends close at execve (O_CLOEXEC): a program capmin starts
// inherits only what is dup2'd onto it. Throws SystemError("pipe2").
inline Pipe make_pipe() {
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) {
    throw SystemError("pipe2", errno);
  }
  return {UniqueFd(fds[0]), UniqueFd(fds[1])};
}

}  // namespace capmin::events
