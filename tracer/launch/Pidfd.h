// SPDX-License-Identifier: MIT
#pragma once

#include <sys/syscall.h>
#include <sys/types.h>
#include <unistd.h>

namespace capmin::tracer {

// pidfd_open(2) and pidfd_send_signal(2) as plain system calls. glibc 2.36
// (Debian 12) declares its wrappers in <sys/pidfd.h> without extern "C", so
// C++ cannot link them. Both are async-signal-safe, for forked children too.

// A close-on-exec pidfd for `pid`, or -1 with errno set.
inline int pidfd_open_raw(pid_t pid) { return static_cast<int>(syscall(SYS_pidfd_open, pid, 0U)); }

// Sends `sig` to the process of `pidfd` as kill(2) would; 0, or -1 with errno.
inline int pidfd_send_signal_raw(int pidfd, int sig) {
  return static_cast<int>(syscall(SYS_pidfd_send_signal, pidfd, sig, nullptr, 0U));
}

}  // namespace capmin::tracer
