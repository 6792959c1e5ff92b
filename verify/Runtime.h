// SPDX-License-Identifier: MIT
#pragma once

#include <sys/types.h>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "tracer/launch/LaunchSpec.h"
#include "verify/RunOutcome.h"

namespace capmin::verify {

// The program to verify and how each run of it goes; the capabilities are
// chosen per run.
struct Target {
  std::vector<std::string> argv;
  std::optional<uid_t> uid;  // unset: uid 0, as a container's default user
  std::optional<gid_t> gid;  // unset: the uid's primary group from passwd, else 0
  // A run still going after this long is stopped (SIGTERM, then SIGKILL).
  std::optional<std::chrono::milliseconds> timeout;
  // Keep a copy of the program's output (it is passed through unless
  // `quiet`).
  bool capture_output = false;
  bool quiet = false;
  // With capture_output: what the program sends to syslog is part of the
  // copy (OutputTee's receive_syslog).
  bool receive_syslog = false;
  // A shell command run while the program runs (every 250 ms, until it
  // exits 0); "" for none. Needs a timeout.
  std::string check;
  // Native runs: the working directory is an overlay with its tmpfs on
  // this directory (tracer::LaunchSpec::scratch); "" for none.
  std::string scratch;
  // Native runs: uts and ipc namespaces of the run's own
  // (tracer::LaunchSpec::own_uts_ipc).
  bool own_uts_ipc = false;
  // Native runs: the environment, working directory, groups and limits a
  // service manager gives the program (a systemd unit's).
  tracer::ProcessSettings process;
};

// Runs a program with exactly a given set of capabilities, the way a
// container runtime given that set starts it, and reports how it ended.
// One implementation per runtime; tests use a fake.
class Runtime {
 public:
  virtual ~Runtime() = default;
  // "native", "runc".
  virtual std::string name() const = 0;
  // What a run looks like in this runtime, in a few words.
  virtual std::string describe() const = 0;
  // One run with `caps` in the bounding, permitted and effective sets (and
  // the inheritable and ambient sets for a non-root user). Throws UserError
  // when the program cannot be run at all (status 126/127 when it is not
  // executable or not found, 125 when the runtime fails).
  virtual RunOutcome run(const std::vector<int>& caps) = 0;
};

}  // namespace capmin::verify
