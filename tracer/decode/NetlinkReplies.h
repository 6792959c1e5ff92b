// SPDX-License-Identifier: MIT
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace capmin::tracer {

// A netlink request the kernel refused. Netlink refusals are not system-call
// errors: the sendmsg succeeds and the refusal comes back in an NLMSG_ERROR
// reply, which carries the header of the request it answers.
struct NetlinkRefusal {
  int error = 0;  // positive errno (EPERM...)
  std::uint16_t request_type = 0;
  std::uint32_t seq = 0;
};

// The refusals (EPERM, EACCES) in a buffer of netlink replies as received
// (`len` bytes). Never reads past `len`; a truncated message ends the walk.
std::vector<NetlinkRefusal> netlink_refusals(const std::uint8_t* bytes, std::size_t len);

// "RTM_NEWLINK" for NETLINK_ROUTE type 16, "AUDIT_USER_MSG" for NETLINK_AUDIT
// 1100...; the number when there is no name.
std::string netlink_type_name(int protocol, std::uint16_t type);

}  // namespace capmin::tracer
