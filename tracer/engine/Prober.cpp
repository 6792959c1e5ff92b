// SPDX-License-Identifier: MIT
#include "tracer/engine/Prober.h"

#include <errno.h>
#include <sched.h>

#include <algorithm>
#include <set>

#include "events/CapabilityNames.h"
#include "tracer/ptrace/CapSets.h"

namespace capmin::tracer {

namespace {

// Calls that cannot be run a second time from inside the thread: exec
// replaces the image the injection lives in, and a vfork parent waits for
// a child only the main loop can run.
bool never_retried(const events::SyscallEvent& event, std::string& why) {
  if (event.syscall == "execve" || event.syscall == "execveat") {
    why = "not re-executed: an execve cannot be retried from inside the program";
    return true;
  }
  if (event.syscall == "vfork") {
    why = "not re-executed: vfork";
    return true;
  }
  if (event.syscall == "clone" || event.syscall == "clone3") {
    const events::Arg* flags = event.find("flags");
    if (flags != nullptr && flags->value && (*flags->value & CLONE_VFORK) != 0) {
      why = "not re-executed: clone with CLONE_VFORK";
      return true;
    }
  }
  return false;
}

// The kernel let the call past its permission check: it succeeded, or
// failed for a reason that is neither a refusal nor the error it gave first
// (ENOENT behind a directory that could now be searched).
bool cured(long result, int first_err) {
  return result >= 0 || (result != -EPERM && result != -EACCES && result != -first_err);
}

// Sets of `pool` by increasing size, so that the first one that works is a
// smallest one.
std::vector<std::vector<int>> subsets_by_size(const std::vector<int>& pool) {
  std::vector<std::vector<int>> out;
  const std::size_t n = std::min<std::size_t>(pool.size(), 6);
  for (std::size_t size = 1; size <= n; ++size) {
    for (unsigned bits = 1; bits < (1u << n); ++bits) {
      if (static_cast<std::size_t>(__builtin_popcount(bits)) != size) {
        continue;
      }
      std::vector<int> s;
      for (std::size_t i = 0; i < n; ++i) {
        if (bits & (1u << i)) {
          s.push_back(pool[i]);
        }
      }
      out.push_back(std::move(s));
    }
  }
  return out;
}

// capset(2) inside the thread, setting its effective set to `effective`.
std::optional<long> inject_capset(RemoteSyscall& rs, CapState state, std::uint64_t effective) {
  state.effective = effective;
  const CapsetArgs args = capset_args(state);
  auto addr = rs.put(&args, sizeof args);
  auto capset = syscall_number(rs.saved().abi(), "capset");
  if (!addr || !capset) {
    return std::nullopt;
  }
  return rs.call(*capset, {*addr, *addr + sizeof args.header, 0, 0, 0, 0});
}

// A 64-bit program that enters the kernel through the 32-bit ABI: the
// kernel reads 32-bit pointers, and its stack lies above 4 GiB.
bool cannot_inject(const RemoteSyscall& rs) {
  return rs.saved().abi() != Abi::Native && rs.saved().runs_64bit_code();
}

}  // namespace

std::optional<int> Prober::probe(pid_t tid, Abi abi,
                                 const std::vector<std::vector<int>>& candidates,
                                 events::SyscallEvent& event, const Cure& cure, bool keep) {
  if (candidates.empty()) {
    return std::nullopt;
  }
  if (never_retried(event, event.probe_note)) {
    return std::nullopt;
  }
  auto state = capget_of(tid);
  if (!state) {
    return std::nullopt;
  }
  RemoteSyscall rs(tid, RemoteSyscall::At::Exit, abi);
  // Whatever way this ends, the children a retried clone made are passed on.
  struct CollectChildren {
    std::vector<std::pair<pid_t, pid_t>>& into;
    const RemoteSyscall& rs;
    pid_t parent;
    ~CollectChildren() {
      for (pid_t child : rs.children()) {
        into.emplace_back(parent, child);
      }
    }
  } collect{children_, rs, tid};
  if (!rs.ok()) {
    return rs.death_status();
  }
  if (cannot_inject(rs)) {
    event.probe_note =
        "not re-executed: a 32-bit system call from 64-bit code (int $0x80), which capmin "
        "cannot hand memory below 4 GiB";
    return std::nullopt;
  }
  const long nr = rs.saved().syscall_nr();
  const auto args = rs.saved().args();

  std::vector<std::vector<int>> tries = candidates;
  std::set<int> pool_set;
  for (const auto& alt : candidates) {
    pool_set.insert(alt.begin(), alt.end());
  }
  if (candidates.size() > 1) {
    // None of the alternatives alone may work where some of them together
    // do: try the smallest combinations first, so that only the first retry
    // that succeeds (the one whose effect the program keeps) ever runs.
    for (auto& s : subsets_by_size({pool_set.begin(), pool_set.end()})) {
      if (std::find(tries.begin(), tries.end(), s) == tries.end()) {
        tries.push_back(std::move(s));
      }
    }
  }

  std::string tried;
  std::string lacking;
  std::uint64_t lacking_mask = 0;
  bool raised = false;
  for (const auto& set : tries) {
    const std::uint64_t mask = cap_mask(set);
    if ((mask & ~state->permitted) != 0) {
      lacking = events::cap_names_text(cap_list(mask & ~state->permitted), "", "+");
      lacking_mask |= mask & ~state->permitted;
      continue;  // the thread cannot hold it
    }
    ++stats_.injections;
    auto r = inject_capset(rs, *state, state->effective | mask);
    if (!r) {
      return rs.death_status();
    }
    if (*r != 0) {
      continue;
    }
    raised = true;
    event.probed = true;
    tried += (tried.empty() ? "" : ", ") + events::cap_names_text(set, "", "+");
    ++stats_.retries;
    auto result = rs.call(nr, args);
    if (!result) {
      return rs.death_status();
    }
    if (cure ? cure(*result) : cured(*result, event.err)) {
      event.confirmed = set;
      rs.set_result(*result);
      if (keep) {
        kept_[tid] |= mask;  // as in a container granted it: later calls are not refused
      }
      break;
    }
  }
  if (raised && (event.confirmed.empty() || !keep)) {
    ++stats_.injections;
    if (!inject_capset(rs, *state, state->effective)) {
      return rs.death_status();
    }
  }
  if (event.confirmed.empty()) {
    if (event.probed) {
      event.probe_note =
          "retried with " + tried +
          (event.err == 0 ? "; the kernel still dropped it" : "; the kernel still refused");
    } else if (!lacking.empty() && (lacking_mask & ~granted_) == 0) {
      // The program started with it and gave it up (a setuid to another
      // user, its own capset): a container that grants it loses it too.
      event.unreachable = "the thread no longer holds " + lacking +
                          ": the program gave it up (a change to another user, or its own "
                          "capset), so no capability granted to the container reaches this call";
    } else if (!lacking.empty()) {
      // capmin's own sets say why: it cannot grant what it lacks, and what
      // it holds was withheld from this run (a unit's bound, a proof's run).
      const auto own = capget_of(0);
      const bool held_by_capmin = own && (lacking_mask & ~own->permitted) == 0;
      event.probe_note = "not retried: the program never held " + lacking +
                         (held_by_capmin ? " (this run withholds it)"
                                         : " (capmin itself lacks it, so it could not be granted)");
    }
  }
  return std::nullopt;
}

Prober::Cleared Prober::clear_effective(pid_t tid, RemoteSyscall::At where, Abi abi) {
  kept_.erase(tid);
  auto state = capget_of(tid);
  if (!state || state->effective == 0) {
    return {};
  }
  RemoteSyscall rs(tid, where, abi);
  if (!rs.ok()) {
    return {false, rs.death_status()};
  }
  if (cannot_inject(rs)) {
    return {};
  }
  ++stats_.injections;
  if (!inject_capset(rs, *state, 0)) {
    return {true, rs.death_status()};
  }
  return {true, std::nullopt};
}

std::uint64_t Prober::kept(pid_t tid) const {
  auto it = kept_.find(tid);
  return it == kept_.end() ? 0 : it->second;
}

void Prober::keep_only(pid_t tid, std::uint64_t effective) {
  if (auto it = kept_.find(tid); it != kept_.end()) {
    it->second &= effective;
  }
}

void Prober::inherit(pid_t parent, pid_t child) {
  if (const std::uint64_t k = kept(parent); k != 0) {
    kept_[child] = k;
  }
}

}  // namespace capmin::tracer
