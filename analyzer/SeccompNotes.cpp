// SPDX-License-Identifier: MIT
#include "analyzer/SeccompNotes.h"

#include <algorithm>

namespace capmin::analyzer {

std::vector<SeccompNote> seccomp_notes(const Profile& p) {
  std::vector<SeccompNote> out;
  if (!p.platform.seccomp.applied_by_default) {
    return out;
  }
  for (const Evidence& e : p.gated_calls) {
    SeccompNote n{e, {}, false};
    for (const Platform::Gate& g : p.platform.seccomp.gated) {
      if (g.args.empty() &&
          std::find(g.syscalls.begin(), g.syscalls.end(), e.syscall) != g.syscalls.end()) {
        n.capabilities.push_back(g.capability);
      }
    }
    const auto& always = p.platform.seccomp.refused_always;
    if (n.capabilities.empty() &&
        std::find(always.begin(), always.end(), e.syscall) == always.end()) {
      continue;  // another platform's gate: this profile lets it through
    }
    for (int cap : n.capabilities) {
      n.held = n.held ||
               std::find(p.capabilities.begin(), p.capabilities.end(), cap) != p.capabilities.end();
    }
    out.push_back(std::move(n));
  }
  return out;
}

}  // namespace capmin::analyzer
