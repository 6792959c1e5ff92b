// SPDX-License-Identifier: MIT
#pragma once

#include <sys/types.h>

#include <functional>
#include <optional>
#include <unordered_map>
#include <vector>

#include "events/SyscallEvent.h"
#include "tracer/ptrace/Abi.h"
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
  // What a retry would change for the whole machine, out of every
  // namespace's reach (the clock, a kernel module): then it is not retried.
  // "" when a retry is safe.
  virtual std::string host_wide(const events::SyscallEvent& event) = 0;
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

  // At the exit stop of a refused call made through `abi`: fills
  // event.probed / confirmed / probe_note. Returns the thread's wait status
  // if it died meanwhile. `cure` replaces the default test (a silent
  // refusal succeeds either way). `keep`: leave the set that cured the call
  // raised (false: capmin's own fix-ups, which must leave the thread as it
  // was).
  std::optional<int> probe(pid_t tid, Abi abi, const std::vector<std::vector<int>>& candidates,
                           events::SyscallEvent& event, const Cure& cure = {}, bool keep = true);

  // Empties the effective set of a thread stopped at a syscall stop (after
  // an execve or a uid change gave it capabilities), and forgets what
  // retries left raised there.
  struct Cleared {
    bool injected = false;    // a capset ran in the thread (at an entry: it makes its call afresh)
    std::optional<int> died;  // the thread's wait status if it died meanwhile
  };
  Cleared clear_effective(pid_t tid, RemoteSyscall::At where, Abi abi);

  // The capabilities retries proved and left raised in a thread.
  std::uint64_t kept(pid_t tid) const;
  // The thread's own capset left only `effective` of them.
  void keep_only(pid_t tid, std::uint64_t effective);
  void inherit(pid_t parent, pid_t child);
  void forget(pid_t tid) { kept_.erase(tid); }
  // The tasks retried calls created since the last call, as (parent, child).
  std::vector<std::pair<pid_t, pid_t>> take_children() { return std::move(children_); }

  const Stats& stats() const { return stats_; }
  // The permitted set the program started with: a candidate in it that a
  // thread no longer holds was given up by the program.
  void set_granted(std::uint64_t permitted) { granted_ = permitted; }

 private:
  Stats stats_;
  std::uint64_t granted_ = 0;
  std::unordered_map<pid_t, std::uint64_t> kept_;
  std::vector<std::pair<pid_t, pid_t>> children_;
};

}  // namespace capmin::tracer
