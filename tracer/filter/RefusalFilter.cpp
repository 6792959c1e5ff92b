// SPDX-License-Identifier: MIT
#include "tracer/filter/RefusalFilter.h"

#include <cerrno>

namespace capmin::tracer {

namespace {
std::uint64_t key(int nr, int err) {
  return (static_cast<std::uint64_t>(static_cast<std::uint32_t>(nr)) << 32) |
         static_cast<std::uint32_t>(err);
}
}  // namespace

RefusalFilter::RefusalFilter() {
  add_any(EPERM);
  add_any(EACCES);
}

void RefusalFilter::add_any(int err) {
  if (err > 0 && err < kMaxErrno) {
    errno_seen_[static_cast<std::size_t>(err)] = true;
    errno_any_[static_cast<std::size_t>(err)] = true;
  }
}

void RefusalFilter::add(int nr, int err) {
  if (err > 0 && err < kMaxErrno) {
    errno_seen_[static_cast<std::size_t>(err)] = true;
    pairs_.insert(key(nr, err));
  }
}

bool RefusalFilter::wants(int nr, int err) const {
  if (!wants_errno(err)) {
    return false;
  }
  return errno_any_[static_cast<std::size_t>(err)] || pairs_.count(key(nr, err)) != 0;
}

}  // namespace capmin::tracer
