// SPDX-License-Identifier: MIT
#pragma once

#include <string>

namespace capmin::tracer {

// What this machine lets capmin give a run, found once per capmin process
// by a child that tries it (capmin has threads; an unshare in one would
// change that thread only, and for good).
struct Containment {
  // uts and ipc namespaces of the run's own: its hostname (a copy of the
  // host's) and its System V IPC and POSIX message queues are its own.
  bool uts_ipc = false;
  // Why not, when not: "unshare(CLONE_NEWUTS|CLONE_NEWIPC): Operation not
  // permitted".
  std::string uts_ipc_refused;
};

const Containment& containment();

}  // namespace capmin::tracer
