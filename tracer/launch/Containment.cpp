// SPDX-License-Identifier: MIT
#include "tracer/launch/Containment.h"

#include <errno.h>
#include <sched.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

namespace capmin::tracer {

namespace {

// The errno a child met unsharing `flags`, 0 when it could.
int unshare_errno(int flags) {
  const pid_t pid = fork();
  if (pid < 0) {
    return errno;
  }
  if (pid == 0) {
    _exit(unshare(flags) == 0 ? 0 : errno & 0x7f);
  }
  int status = 0;
  while (waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) {
      return errno;
    }
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : EPERM;
}

Containment find_out() {
  Containment c;
  if (const int err = unshare_errno(CLONE_NEWUTS | CLONE_NEWIPC); err != 0) {
    c.uts_ipc_refused = std::string("unshare(CLONE_NEWUTS|CLONE_NEWIPC): ") + strerror(err);
  } else {
    c.uts_ipc = true;
  }
  return c;
}

}  // namespace

const Containment& containment() {
  static const Containment found = find_out();
  return found;
}

}  // namespace capmin::tracer
