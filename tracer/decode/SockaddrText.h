// SPDX-License-Identifier: MIT
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "events/SyscallEvent.h"

namespace capmin::tracer {

// Decodes a socket address copied out of a tracee (`len` bytes, as the call
// gave them). Returns the display form first with an empty name
// ("0.0.0.0:80", "[::1]:443", "/run/x.sock", "@abstract", "netlink pid=0
// groups=0x1"), then its parts: "family", "port", "ip", "path", "groups".
// Never reads past `len`; a short or unknown address is shown as such.
std::vector<events::Arg> sockaddr_args(const std::uint8_t* bytes, std::size_t len);

}  // namespace capmin::tracer
