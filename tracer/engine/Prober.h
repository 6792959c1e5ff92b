// SPDX-License-Identifier: MIT
#pragma once

#include <sys/types.h>

#include <functional>
#include <vector>

#include "events/SyscallEvent.h"
#include "tracer/ptrace/RemoteSyscall.h"

namespace capmin::tracer {

// Where probe mode gets the capabilities that might cure a refusal: the rule
// table, through the front end. The tracer does not know what capabilities
// are for; it only tries what it is told, in order.
class CandidateSource {
 public:
  virtual ~CandidateSource() = default;
  // Alternatives (each a set needed together), least powerful first; empty
  // when no capability can cure the refusal.
  virtual std::vector<std::vector<int>> candidates(const events::SyscallEvent& event) = 0;
};

// Probe mode's experiments on one stopped thread. The thread keeps its
// capabilities in the permitted set and none in the effective set; the
// prober raises a candidate set in that thread alone and re-executes the
// refused call. When the kernel now allows it, the result stands and the
// set stays raised in that thread, as it will be in a container granted it:
// later calls that need it are not refused again, so a program that needs
// a capability a million times costs one retry, not a million. When no set
// cures it, the effective set is put back as it was.
class Prober {
 public:
  struct Stats {
    std::uint64_t injections = 0;  // injected system calls
    std::uint64_t retries = 0;     // re-executions of refused calls
  };

  // Whether a retry's result shows the kernel allowed what was refused.
  // By default: the call succeeded, or failed for another reason.
  using Cure = std::function<bool(long result)>;

  // At the exit stop of a refused call: fills event.probed / confirmed /
  // probe_note. Returns the thread's wait status if it died meanwhile.
  // `cure` replaces the default test (a silent refusal succeeds either way).
  // `keep`: leave the set that cured the call raised (false: capmin's own
  // fix-ups, which must leave the thread as it was).
  std::optional<int> probe(pid_t tid, const std::vector<std::vector<int>>& candidates,
                           events::SyscallEvent& event, const Cure& cure = {}, bool keep = true);

  // Empties the effective set of a thread stopped at a syscall stop (after
  // an execve or a uid change gave it capabilities). Returns the wait status
  // if the thread died meanwhile.
  std::optional<int> clear_effective(pid_t tid, RemoteSyscall::At where);

  const Stats& stats() const { return stats_; }
  // The permitted set the program started with: a candidate in it that a
  // thread no longer holds was given up by the program.
  void set_granted(std::uint64_t permitted) { granted_ = permitted; }

 private:
  Stats stats_;
  std::uint64_t granted_ = 0;
};

}  // namespace capmin::tracer
