// SPDX-License-Identifier: MIT
#pragma once

#include <sys/types.h>

#include <memory>
#include <string>
#include <vector>

#include "tracer/filter/SeccompPlan.h"
#include "tracer/launch/LaunchSpec.h"

namespace capmin::tracer {

// What the child of a launch needs that the parent works out before fork.
// capmin has threads (a Deadline, an output tee), and in the child of a
// threaded process a lock another thread held at the fork stays held: the
// passwd and group lookups (NSS) and libseccomp's filter generation would
// hang there. The child is left with system calls and libcap.
struct ChildPrep {
  uid_t uid = 0;
  gid_t gid = 0;
  std::vector<gid_t> groups;                     // the supplementary groups, for setgroups(2)
  std::shared_ptr<const SeccompProgram> filter;  // null: no filter
  std::vector<char*> argv;                       // points into the spec's strings, null-terminated
  const char* executable = nullptr;              // what execvpe runs: argv[0] or process.executable
  std::vector<char*> envp;  // process.env, null-terminated; empty: capmin's environment
  // spec.scratch: the working directory's name (process.cwd, else capmin's),
  // for the child to enter the overlay it mounts over it.
  std::string cwd;
  // ... and the mounts below it (the topmost of each stack), which the
  // overlay would hide: the child binds each back where it was, as it is.
  std::vector<std::string> submounts;
  // Every mount point it can see: when "/" is no mount (capmin runs in a
  // chroot), each is made a slave in its stead.
  std::vector<std::string> mount_points;
  // spec.dev_log: the mounts below /dev (/dev/pts, /dev/shm...), for an
  // overlay over /dev where it has no log to mount the socket on.
  std::vector<std::string> dev_submounts;
};

// Looks up the identity in /etc/passwd and /etc/group (through NSS),
// compiles the filter and names the working directory. Throws SystemError
// when the filter cannot be made or the directory named.
ChildPrep prepare_child(const LaunchSpec& spec);

// In the child launch() forks: waits until the tracer has attached (a byte
// on `sync_fd`), then takes the identity and capabilities of `spec` in the
// order the kernel requires, and executes the command. Writes a
// LaunchFailure to `err_fd` and exits 125/126/127 if it cannot; never
// returns.
[[noreturn]] void run_child(const LaunchSpec& spec, const ChildPrep& prep, int sync_fd, int err_fd);

}  // namespace capmin::tracer
