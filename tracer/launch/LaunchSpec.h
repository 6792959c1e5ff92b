// SPDX-License-Identifier: MIT
#pragma once

#include <sys/resource.h>
#include <sys/types.h>

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "tracer/filter/SeccompPlan.h"

namespace capmin::tracer {

class RunHandle;

// A socket capmin reads, to stand in for /dev/log: the run mounts it there
// in a mount namespace of its own. Where /dev has no log to mount on, /dev
// becomes an overlay of itself whose upper layer (a tmpfs on `scratch`, an
// empty directory) holds one.
struct DevLog {
  std::string socket;
  std::string scratch;
};

// How a service manager sets the process up besides its identity and
// capabilities (a systemd unit's User= context: cli/UnitProcess). Left as
// it is, the program gets capmin's environment, working directory, umask,
// resource limits, niceness and standard input, and a container's
// supplementary groups (ChildPrep), as capmin's bare commands do.
struct ProcessSettings {
  std::string executable;                       // "": argv[0], looked up in PATH
  std::optional<std::vector<std::string>> env;  // the whole environment, NAME=VALUE
  std::string cwd;                              // absolute; "": capmin's own
  std::optional<std::vector<gid_t>> groups;     // exactly these supplementary groups
  std::optional<mode_t> umask;
  std::optional<int> nice;
  struct Limit {
    int resource;  // RLIMIT_*
    rlim_t soft;
    rlim_t hard;
  };
  std::vector<Limit> limits;  // set while capmin's CAP_SYS_RESOURCE still holds
  bool no_new_privs = false;  // PR_SET_NO_NEW_PRIVS before the execve
  bool stdin_null = false;    // standard input is /dev/null
};

// How the traced command starts: what it runs and with which identity and
// capabilities.
struct LaunchSpec {
  enum class Caps {
    // docker run --cap-drop=ALL: every set empty, the bounding set included.
    DropAll,
    // Probe mode: capmin's capabilities kept in the permitted set (and, for
    // a non-root user, the inheritable and ambient sets, so that they survive
    // execve), none effective. The tracer keeps the effective set empty.
    PermittedOnly,
    // Exactly the capabilities in `grant`, as a container runtime given that
    // list sets them up: bounding, permitted and effective sets (and, for a
    // non-root user, inheritable and ambient, so that they survive execve).
    Grant,
    // capmin's own capabilities, unchanged, as uid 0: for a container
    // runtime (runc), which sets up its container's sets and user itself;
    // `uid` and `gid` then say only whom it runs the program as.
    Keep,
  };

  std::vector<std::string> argv;
  std::optional<uid_t> uid;  // unset: uid 0, as a container's default user
  std::optional<gid_t> gid;  // unset: the uid's primary group from passwd, else 0 (as Docker)
  ProcessSettings process;
  Caps caps = Caps::DropAll;
  std::vector<int> grant;  // Caps::Grant only
  // Caps::PermittedOnly only: capabilities the program must not get at all
  // (they leave the bounding and permitted sets), so that a probe run shows
  // what it does without them.
  std::vector<int> withhold;
  // Non-empty: the run gets a mount namespace of its own in which the
  // working directory is an overlay, its writes going to a tmpfs mounted on
  // this (empty) directory, and gone with the namespace: every run starts
  // from the directory as it is, and nothing a run writes there reaches it.
  std::string scratch;
  // The run gets uts and ipc namespaces of its own, as a container's
  // process does: a hostname it may change (a copy of the host's), System V
  // IPC and POSIX message queues no other process shares. Only where
  // containment() says the machine allows it.
  bool own_uts_ipc = false;
  // Set: what the program sends to syslog goes to this socket (in a mount
  // namespace of the run's own, as for `scratch`).
  std::optional<DevLog> dev_log;
  // Set: run in the child after the run's own mounts and before any change
  // of capabilities or identity (a launcher's mounts and network). It may
  // make only system calls (capmin has threads); it returns nullptr, or the
  // step that failed with errno set, which ends the launch.
  std::function<const char*()> setup;
  // Only tasks in a pid namespace other than capmin's are recorded, from
  // the first execve there on, with their descendants: a container's
  // process and what it starts, and nothing of the runtime (runc) that set
  // it up. Unset: every task from the command's execve on.
  bool record_in_own_pid_namespace = false;
  // Calls a container engine's default seccomp profile gates: each made is
  // passed on marked SyscallEvent::gated (watchers/GatedCalls).
  std::vector<std::string> gated_calls;
  // Whether a tracer attaches (the child then signals the end of its setup
  // with SIGSTOP); an untraced run just executes the command.
  bool traced = true;
  // With a plan, a seccomp filter sends only the calls it names to the
  // tracer; without, every system call stops (PTRACE_SYSCALL).
  std::optional<SeccompPlan> seccomp;
  // If set, launch() hands it a pidfd of the child as soon as the child
  // exists, so that another thread can signal the program (a Deadline).
  // Not owned; it must outlive the run.
  RunHandle* handle = nullptr;
};

// Why the child never reached its command, sent from the child to the tracer
// through a close-on-exec pipe.
struct LaunchFailure {
  enum class Stage : int { Setup = 1, Exec = 2 };
  Stage stage;
  int err;
  char what[96];  // the step that failed, for the message
  // "what: the errno's text", or just `what` when there is no errno.
  std::string text() const;
};

}  // namespace capmin::tracer
