// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "tracer/decode/FlagNames.h"

namespace capmin::tracer {

// Where a decoded argument lives in the registers, for the seccomp filter:
// taken from the one system-call schema (events/SyscallSchema.h), so that
// the filter compares what the decoder shows. Only arguments read straight
// from a register have one.
struct RegisterField {
  int arg = 0;               // which register
  std::uint64_t mask = 0;    // the bits of it the argument uses
  bool flags = false;        // a bit set (any_of/all_of) rather than one value
  bool whole_value = false;  // the full register is the value (numeric order holds)
  // The register values a name or a number in a rule stands for (several
  // where the decoder shows several encodings alike: a number for a
  // socket's protocol is an IP protocol or an ethertype in network byte
  // order); empty when the filter cannot resolve it.
  std::vector<std::uint64_t> values(const std::string& operand) const;

  std::span<const NamedValue> (*names)() = nullptr;  // the names the decoder shows
  bool ethertypes = false;  // a socket's protocol: also packet(7) ethertypes, byte-swapped
  // An unsigned 32-bit value the kernel reads from the low word alone (a
  // descriptor: write(unsigned int fd, ...)): numeric order holds on that word.
  bool unsigned_low = false;
};

// The register field `field` of `syscall` (native name), if it has one.
std::optional<RegisterField> register_field(std::string_view syscall, std::string_view field);

}  // namespace capmin::tracer
