// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <tuple>

#include "analyzer/Profile.h"
#include "analyzer/RuleTable.h"
#include "events/SyscallEvent.h"

namespace capmin::analyzer {

// Folds refusals into a profile as they arrive: each event is matched against
// the rules once and counted under its key, so memory grows with distinct
// refusals, not with events. profile() then picks the smallest set of
// capabilities that explains every curable refusal. Knows nothing of ptrace.
class Analyzer {
 public:
  explicit Analyzer(const RuleTable& rules) : rules_(rules) {}
  // The run had these capabilities out of reach (the proven minimal set's
  // re-runs): profile() explains its refusals without them.
  void withhold(const std::vector<int>& caps) { withheld_.insert(caps.begin(), caps.end()); }
  // The reason of a refusal only withheld capabilities cure (unresolved).
  static constexpr const char* kWithheldOnly = "only a capability withheld in this run cures it";
  // ... and of one only capabilities a --unit cannot grant cure.
  static constexpr const char* kOutsideUnit = "only a capability the unit cannot grant cures it";

  void add(const events::SyscallEvent& event);
  // Whether an event like this one (same key) was added before: its stack
  // would not be kept, so the tracer need not walk it.
  bool seen(const events::SyscallEvent& event) const;
  Profile profile(RunInfo run) const;
  std::uint64_t events() const { return events_; }

 private:
  void add_gated(const events::SyscallEvent& event);
  struct Refusal {
    const Rule* rule = nullptr;
    std::vector<CapSet> candidates;  // the rule's alternatives for this refusal
    // As the event had it, raw bytes; profile() hands out escaped copies.
    Evidence evidence;
    std::vector<int> confirmed;  // probe mode: what made the retry succeed
    bool probed = false;         // probe mode: retried, whatever the outcome
    bool self_raised = false;    // the program raised `confirmed` itself
    std::string tolerated;       // why the program did without it
    std::string unreachable;     // why no granted capability reaches it
    std::uint64_t order = 0;     // first seen, for stable output
  };

  const RuleTable& rules_;
  // (syscall, errno, exe, args) -> the folded refusal
  std::map<std::tuple<std::string, int, std::string, std::string>, Refusal> refusals_;
  // (syscall, errno, exe) -> how many distinct argument lists it has
  std::map<std::tuple<std::string, int, std::string>, std::size_t> distinct_;
  static constexpr std::size_t kDistinctPerCall = 32;
  std::uint64_t events_ = 0;
  // SyscallEvent::gated calls, by call, program and arguments, in the
  // order first made (at most kGatedKept: the output names each once).
  std::vector<Evidence> gated_;
  std::set<int> withheld_;
};

}  // namespace capmin::analyzer
