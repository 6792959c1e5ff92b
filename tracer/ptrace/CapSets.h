// SPDX-License-Identifier: MIT
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <vector>

#include "events/CapabilityNames.h"

namespace capmin::tracer {

// The three per-thread capability sets capget(2)/capset(2) handle, as 64-bit
// masks indexed by capability number.
struct CapState {
  std::uint64_t effective = 0;
  std::uint64_t permitted = 0;
  std::uint64_t inheritable = 0;
};

// Reads another thread's sets (capget with the tid in the header: no
// injection needed). nullopt if the thread is gone.
std::optional<CapState> capget_of(pid_t tid);

using events::cap_list;
using events::cap_mask;

// The bytes capset(2) reads: a version-3 header for the calling thread
// (pid 0) followed by two data words, as laid out in the tracee.
struct CapsetArgs {
  std::uint32_t header[2];  // version, pid
  std::uint32_t data[6];    // {effective, permitted, inheritable} x 2
};
CapsetArgs capset_args(const CapState& state);

}  // namespace capmin::tracer
