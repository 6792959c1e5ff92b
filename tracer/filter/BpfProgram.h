// SPDX-License-Identifier: MIT
#pragma once

#include <linux/filter.h>

#include <cstdint>
#include <map>
#include <optional>
#include <vector>

#include "tracer/filter/SeccompPlan.h"

namespace capmin::tracer {

// The calls one ABI's part of a filter sends to the tracer: a call with no
// matches is sent whatever its registers, one with matches when any of them
// holds (all of its tests).
struct AbiCalls {
  std::uint32_t audit_arch;                   // seccomp_data.arch
  std::optional<std::uint64_t> foreign_from;  // numbers from here on: allowed
  std::map<long, std::vector<RegisterMatch>> calls;
};

// One classic BPF program for every ABI: SECCOMP_RET_TRACE for the calls
// named, SECCOMP_RET_ALLOW for everything else (another architecture too).
// The call number is found in a binary tree, so a call that is not traced
// costs about twenty instructions whatever the plan's size. Conditional
// jumps only ever skip one instruction and every longer jump is a `ja`,
// whose offset is 32 bits: no program is too long to jump across.
std::vector<sock_filter> generate_program(const std::vector<AbiCalls>& abis);

}  // namespace capmin::tracer
