// SPDX-License-Identifier: MIT
// Socket addresses as a traced program passes them to bind, connect, sendto
// and sendmsg: any family, any length. The bytes are copied to a heap block
// of exactly their size, so a read past the length the call gave is a heap
// overflow that AddressSanitizer reports.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>

#include "tracer/decode/SockaddrText.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::unique_ptr<std::uint8_t[]> exact(new std::uint8_t[size]);
  std::memcpy(exact.get(), data, size);
  for (const auto& arg : capmin::tracer::sockaddr_args(exact.get(), size)) {
    (void)arg.text.size();
  }
  return 0;
}
