// SPDX-License-Identifier: MIT
#include "analyzer/Rule.h"

#include <algorithm>
#include <set>

#include "events/CapabilityNames.h"

namespace capmin::analyzer {

bool Rule::matches(const events::SyscallEvent& event) const {
  if (std::find(errnos.begin(), errnos.end(), event.err) == errnos.end()) {
    return false;
  }
  if (std::find(syscalls.begin(), syscalls.end(), event.syscall) == syscalls.end()) {
    return false;
  }
  return std::all_of(conditions.begin(), conditions.end(),
                     [&](const Condition& c) { return c.holds(event); });
}

std::vector<CapSet> Rule::candidates_for(const events::SyscallEvent& event) const {
  if (candidates_from.empty()) {
    return candidates;
  }
  std::set<int> named;
  for (const std::string& field : candidates_from) {
    const events::Arg* arg = event.find(field);
    if (arg == nullptr) {
      continue;
    }
    std::size_t start = 0;
    while (start < arg->text.size()) {
      const std::size_t bar = std::min(arg->text.find('|', start), arg->text.size());
      if (auto cap = events::cap_from_name(arg->text.substr(start, bar - start))) {
        named.insert(*cap);
      }
      start = bar + 1;
    }
  }
  if (named.empty()) {
    return {};
  }
  return {CapSet(named.begin(), named.end())};
}

}  // namespace capmin::analyzer
