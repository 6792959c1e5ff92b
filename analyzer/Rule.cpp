// SPDX-License-Identifier: MIT
#include "analyzer/Rule.h"

#include <algorithm>

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

}  // namespace capmin::analyzer
