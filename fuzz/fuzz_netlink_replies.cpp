// SPDX-License-Identifier: MIT
// Netlink replies as a traced program receives them (the tracer reads them
// out of its buffer after a read, recvfrom or recvmsg on a netlink socket):
// any bytes, any length, from a heap block of exactly their size so that a
// read past the end is a heap overflow AddressSanitizer reports. Each refusal
// found is named as the tracer names it.
//
// Input: byte 0 is the socket's netlink protocol (the tracee chose it in
// socket(2)), the rest the bytes received.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>

#include "tracer/decode/NetlinkReplies.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) {
    return 0;
  }
  const int protocol = static_cast<std::int8_t>(data[0]);
  const std::size_t len = size - 1;
  std::unique_ptr<std::uint8_t[]> exact(new std::uint8_t[len]);
  std::memcpy(exact.get(), data + 1, len);
  for (const auto& r : capmin::tracer::netlink_refusals(exact.get(), len)) {
    (void)capmin::tracer::netlink_type_name(protocol, r.request_type);
  }
  // Every type, not only those a refusal carried.
  if (len >= 2) {
    std::uint16_t type = 0;
    std::memcpy(&type, exact.get(), sizeof type);
    (void)capmin::tracer::netlink_type_name(protocol, type);
  }
  return 0;
}
