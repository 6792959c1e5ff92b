// SPDX-License-Identifier: MIT
#include "analyzer/Analyzer.h"

#include <errno.h>

#include <algorithm>
#include <set>

#include "analyzer/DisplaySafe.h"
#include "events/ByteEscape.h"
#include "events/Errno.h"

namespace capmin::analyzer {

const char* confidence_name(Confidence c) {
  return c == Confidence::Confirmed ? "confirmed" : "inferred";
}

namespace {

// The arguments part of a refusal's key. The same call refused where a
// granted capability would reach it and where none would (after the thread
// left uid 0) are two refusals: one must not hide the other.
std::string key_args(const events::SyscallEvent& event, const std::string& args) {
  return event.unreachable.empty() ? args : args + "\x1e";
}

}  // namespace

void Analyzer::add(const events::SyscallEvent& event) {
  if (event.gated) {
    add_gated(event);
    return;
  }
  // EPERM and EACCES are refusals whatever the call; any other errno is one
  // only where a rule says so (ENODATA from getxattr of trusted.*, not from
  // every getxattr of an attribute that is simply absent).
  const bool refusal_errno = event.err == EPERM || event.err == EACCES || event.err == 0;
  if (!refusal_errno && event.confirmed.empty() && rules_.match(event) == nullptr) {
    return;
  }
  ++events_;
  std::string args = event.args_summary();
  auto key = std::make_tuple(event.syscall, event.err, event.exe, key_args(event, args));
  auto found = refusals_.find(key);
  const Rule* rule = nullptr;
  if (found == refusals_.end()) {
    rule = rules_.match(event);
    // Memory follows distinct refusals, not events: past a few distinct
    // argument lists per call and program, the rest share one entry per
    // rule and outcome, counted.
    std::size_t& distinct = distinct_[std::make_tuple(event.syscall, event.err, event.exe)];
    if (distinct >= kDistinctPerCall) {
      std::get<3>(key) = std::string("\x1f") + (rule != nullptr ? rule->id : "") + "\x1f" +
                         std::to_string(event.confirmed.size()) + "\x1f" +
                         (event.probed ? "p" : "") + (event.unreachable.empty() ? "" : "u");
      args = "(more calls with other arguments)";
    } else {
      ++distinct;
    }
  }
  auto [it, fresh] = refusals_.try_emplace(std::move(key));
  Refusal& r = it->second;
  if (fresh) {
    r.rule = rule;
    r.candidates = rule != nullptr ? rule->candidates_for(event) : std::vector<CapSet>{};
    r.order = refusals_.size();
    // A 32-bit call is matched as its native twin and shown as made.
    r.evidence.syscall = event.abi_syscall.empty() ? event.syscall : event.abi_syscall;
    r.evidence.abi = event.abi;
    r.evidence.args = std::move(args);
    r.evidence.err = event.err != 0 ? events::errno_name(event.err) : "";
    r.evidence.pid = event.pid;
    r.evidence.exe = event.exe;
    r.evidence.stack = event.stack;  // the first call site stands for all
    r.evidence.rule = r.rule != nullptr ? r.rule->id : "";
  }
  ++r.evidence.count;
  if (!event.confirmed.empty()) {
    r.evidence.confirmed = true;
    r.confirmed = event.confirmed;
    r.self_raised = event.self_raised;
  }
  // One retry that worked settles the key; a note says what the last
  // attempt found otherwise.
  r.probed = r.probed || event.probed;
  if (!event.tolerated.empty()) {
    r.tolerated = event.tolerated;
  }
  if (!event.unreachable.empty()) {
    r.unreachable = event.unreachable;
  }
  if (r.confirmed.empty() && !event.probe_note.empty()) {
    r.evidence.note = event.probe_note;
  }
}

bool Analyzer::seen(const events::SyscallEvent& event) const {
  auto full = distinct_.find(std::make_tuple(event.syscall, event.err, event.exe));
  if (full != distinct_.end() && full->second >= kDistinctPerCall) {
    return true;  // it would land in the shared entry, which has its stack
  }
  return refusals_.count(std::make_tuple(event.syscall, event.err, event.exe,
                                         key_args(event, event.args_summary()))) != 0;
}

void Analyzer::add_gated(const events::SyscallEvent& event) {
  constexpr std::size_t kGatedKept = 32;
  const std::string args = event.args_summary();
  for (Evidence& e : gated_) {
    if (e.syscall == event.syscall && e.exe == event.exe && e.args == args) {
      ++e.count;
      return;
    }
  }
  if (gated_.size() >= kGatedKept) {
    return;
  }
  Evidence e;
  e.syscall = event.syscall;
  e.args = args;
  e.err = event.err != 0 ? events::errno_name(event.err) : "";
  e.pid = event.pid;
  e.exe = event.exe;
  e.count = 1;
  gated_.push_back(std::move(e));
}

Profile Analyzer::profile(RunInfo run) const {
  // Refusals are matched and grouped on the program's raw bytes; what the
  // profile holds is escaped once here, for every output (DisplaySafe.h).
  Profile p;
  p.run = display_safe(std::move(run));
  for (const Evidence& e : gated_) {
    p.gated_calls.push_back(display_safe(e));
  }
  auto unresolved = [](const Refusal* r, const std::string& reason) {
    return Unresolved{display_safe(r->evidence), events::escape_bytes(reason), {}};
  };

  std::vector<const Refusal*> ordered;
  for (const auto& [key, r] : refusals_) {
    ordered.push_back(&r);
  }
  std::sort(ordered.begin(), ordered.end(),
            [](const Refusal* a, const Refusal* b) { return a->order < b->order; });

  // Which capability set explains each refusal. Proven sets first (probe
  // mode), then refusals with a single explanation, then the rest: a
  // refusal whose alternatives include a set already chosen costs nothing,
  // otherwise its least powerful alternative is taken.
  std::set<int> chosen;
  std::vector<std::pair<const Refusal*, CapSet>> explained;
  // Refusals with a choice, and their alternatives. A refusal a retry
  // cured offers the set that cured it first, then whatever else its rule
  // says would do (a read cured by DAC_READ_SEARCH is also covered by the
  // DAC_OVERRIDE a write needs anyway).
  std::vector<std::pair<const Refusal*, std::vector<CapSet>>> open;
  for (const Refusal* r : ordered) {
    std::vector<CapSet> alts;
    if (!r->tolerated.empty()) {
      p.tolerated.push_back(unresolved(r, r->tolerated));
      continue;
    }
    if (!r->unreachable.empty() && r->confirmed.empty()) {
      p.unresolved.push_back(unresolved(r, r->unreachable));
      continue;
    }
    if (!r->confirmed.empty()) {
      alts.push_back(r->confirmed);
      for (const CapSet& c : r->candidates) {
        if (std::find(alts.begin(), alts.end(), c) == alts.end()) {
          alts.push_back(c);
        }
      }
    } else if (r->probed) {
      // The kernel was asked with each candidate raised and still refused.
      p.unresolved.push_back(unresolved(r, r->evidence.note));
      continue;
    } else if (r->candidates.empty()) {
      p.unresolved.push_back(
          unresolved(r, r->rule == nullptr ? "no rule explains this refusal" : r->rule->reason));
      continue;
    } else {
      alts = r->candidates;
    }
    // A run with capabilities withheld is asked what it needs besides them:
    // a refusal only they cure is what the run did without.
    alts.erase(std::remove_if(alts.begin(), alts.end(),
                              [this](const CapSet& set) {
                                return std::any_of(set.begin(), set.end(), [this](int c) {
                                  return withheld_.count(c) != 0;
                                });
                              }),
               alts.end());
    if (alts.empty()) {
      p.unresolved.push_back(unresolved(r, kWithheldOnly));
      continue;
    }
    // A unit's process can have only what its bounding (and, not root, its
    // ambient) set lets it: a refusal nothing within cures is one it meets
    // under the unit as written.
    if (p.run.unit) {
      const std::vector<int>& bound = p.run.unit->upper_bound;
      const CapSet first = alts.front();
      alts.erase(std::remove_if(alts.begin(), alts.end(),
                                [&bound](const CapSet& set) {
                                  return std::any_of(set.begin(), set.end(), [&bound](int c) {
                                    return std::find(bound.begin(), bound.end(), c) == bound.end();
                                  });
                                }),
                 alts.end());
      if (alts.empty()) {
        p.unresolved.push_back(
            unresolved(r, std::string(kOutsideUnit) + " (" + p.run.unit->bound_by + ")"));
        p.unresolved.back().outside_unit.assign(first.begin(), first.end());
        continue;
      }
    }
    if (alts.size() == 1) {
      chosen.insert(alts[0].begin(), alts[0].end());
      explained.emplace_back(r, alts[0]);
    } else {
      open.emplace_back(r, std::move(alts));
    }
  }
  auto covered_by = [](const std::vector<CapSet>& alts, const std::set<int>& caps) {
    return std::find_if(alts.begin(), alts.end(), [&](const CapSet& set) {
      return std::all_of(set.begin(), set.end(), [&](int c) { return caps.count(c) != 0; });
    });
  };
  std::vector<int> picked;  // in the order open refusals took them
  for (const auto& [r, alts] : open) {
    if (covered_by(alts, chosen) == alts.end()) {
      for (int c : alts.front()) {
        if (chosen.insert(c).second) {
          picked.push_back(c);
        }
      }
    }
  }
  // A capability an early refusal took can be made redundant by one a later
  // refusal took (read: DAC_READ_SEARCH, then utimensat: DAC_OVERRIDE, which
  // covers the read too): drop it if every open refusal stays covered.
  for (int c : picked) {
    std::set<int> without = chosen;
    without.erase(c);
    if (std::all_of(open.begin(), open.end(), [&](const auto& o) {
          return covered_by(o.second, without) != o.second.end();
        })) {
      chosen = std::move(without);
    }
  }
  for (const auto& [r, alts] : open) {
    explained.emplace_back(r, *covered_by(alts, chosen));
  }
  // Evidence in the order the refusals were first seen.
  std::stable_sort(explained.begin(), explained.end(),
                   [](const auto& a, const auto& b) { return a.first->order < b.first->order; });

  p.capabilities.assign(chosen.begin(), chosen.end());
  for (int cap : p.capabilities) {
    Finding f;
    f.capability = cap;
    bool any_confirmed = false;
    bool all_host_wide = true;
    for (const auto& [r, set] : explained) {
      if (std::find(set.begin(), set.end(), cap) == set.end()) {
        continue;
      }
      all_host_wide = all_host_wide && r->rule != nullptr && !r->rule->host_wide.empty() &&
                      !r->evidence.confirmed;
      if (all_host_wide && f.host_wide.empty()) {
        f.host_wide = events::escape_bytes(r->rule->host_wide);
      }
      if (f.evidence.empty()) {
        f.reason = events::escape_bytes(r->self_raised
                                            ? "the program raised it into its effective set itself"
                                        : r->rule != nullptr ? r->rule->reason
                                                             : "the retry succeeded with it");
        f.note = r->rule != nullptr ? events::escape_bytes(r->rule->note) : "";
      }
      any_confirmed = any_confirmed || r->evidence.confirmed;
      f.evidence.push_back(display_safe(r->evidence));
    }
    if (!all_host_wide) {
      f.host_wide.clear();
    }
    // One proof is enough: the kernel itself said the program needs it.
    f.confidence = any_confirmed ? Confidence::Confirmed : Confidence::Inferred;
    p.findings.push_back(std::move(f));
  }
  return p;
}

}  // namespace capmin::analyzer
