// SPDX-License-Identifier: MIT
#include "tracer/ptrace/CapSets.h"

#include <linux/capability.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace capmin::tracer {

std::optional<CapState> capget_of(pid_t tid) {
  __user_cap_header_struct hdr{_LINUX_CAPABILITY_VERSION_3, tid};
  __user_cap_data_struct data[2]{};
  if (syscall(SYS_capget, &hdr, data) != 0) {
    return std::nullopt;
  }
  auto join = [](std::uint32_t lo, std::uint32_t hi) {
    return static_cast<std::uint64_t>(lo) | (static_cast<std::uint64_t>(hi) << 32);
  };
  return CapState{join(data[0].effective, data[1].effective),
                  join(data[0].permitted, data[1].permitted),
                  join(data[0].inheritable, data[1].inheritable)};
}

CapsetArgs capset_args(const CapState& s) {
  CapsetArgs a{};
  a.header[0] = _LINUX_CAPABILITY_VERSION_3;
  a.header[1] = 0;  // the calling thread: capset(2) refuses any other
  a.data[0] = static_cast<std::uint32_t>(s.effective);
  a.data[1] = static_cast<std::uint32_t>(s.permitted);
  a.data[2] = static_cast<std::uint32_t>(s.inheritable);
  a.data[3] = static_cast<std::uint32_t>(s.effective >> 32);
  a.data[4] = static_cast<std::uint32_t>(s.permitted >> 32);
  a.data[5] = static_cast<std::uint32_t>(s.inheritable >> 32);
  return a;
}

}  // namespace capmin::tracer
