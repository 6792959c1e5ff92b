// SPDX-License-Identifier: MIT
#pragma once

#include <string>
#include <vector>

#include "analyzer/Condition.h"
#include "events/SyscallEvent.h"

namespace capmin::analyzer {

// A set of capabilities needed together (most alternatives hold one).
using CapSet = std::vector<int>;

// One row of the rule table: which refusals it explains (system calls, errno,
// argument conditions) and the capabilities that would have allowed them,
// least powerful first. A rule with no candidates names a refusal that no
// capability cures (read-only file system, immutable file...), so that it is
// reported as unresolved with its reason rather than guessed at.
struct Rule {
  std::string id;
  std::vector<std::string> syscalls;
  std::vector<int> syscall_numbers;
  std::vector<int> errnos;
  std::vector<Condition> conditions;
  std::vector<CapSet> candidates;
  // Instead of fixed candidates: the capabilities the call itself names, in
  // these arguments ("effective", "cap", "file.permitted": CAP_ names
  // joined by '|'), needed together. For capset, PR_CAP_AMBIENT_RAISE and
  // the execve of a program with file capabilities.
  std::vector<std::string> candidates_from;
  std::string reason;
  std::string source;  // where the kernel checks it
  std::string note;    // what else the user should know (sysctl, runtime option)
  // Set when the call, once allowed, acts on the whole machine and no
  // namespace of the run would hold its effect (the clock, a kernel module):
  // what it would change. Probe mode does not retry it, and no run capmin
  // makes is granted a capability only such calls need (--probe-unsafe).
  std::string host_wide;
  // Where the refusal shows: as the call's own error (the default), in a
  // netlink reply the tracer reads (the call itself succeeded), or as a
  // set-id bit the kernel silently left out of a mode the call asked for
  // (the call succeeded; its errno is "none"), or as the error of a write to
  // a file whose own handler checks (a sysctl, oom_score_adj: the open
  // succeeded), on the descriptors the tracer keeps apart for that. The
  // seccomp filter is built from `syscall` rules.
  enum class Delivery { Syscall, NetlinkReply, SetidDropped, WriteTime, ValuesHidden };
  Delivery delivery = Delivery::Syscall;
  std::string origin;  // "rules.yaml:120", for messages

  bool matches(const events::SyscallEvent& event) const;
  // The alternatives for this event: `candidates`, or the one set its
  // arguments name; empty when no capability cures it.
  std::vector<CapSet> candidates_for(const events::SyscallEvent& event) const;
};

}  // namespace capmin::analyzer
