// SPDX-License-Identifier: MIT
#include "events/Errno.h"

#include <string.h>

namespace capmin::events {

namespace {
// Linux errno values stop well below this (EHWPOISON is 133).
constexpr int kMaxErrno = 256;
}  // namespace

std::string errno_name(int err) {
  const char* name = err > 0 ? strerrorname_np(err) : nullptr;
  return name != nullptr ? std::string(name) : "E" + std::to_string(err);
}

std::optional<int> errno_from_name(std::string_view name) {
  for (int e = 1; e < kMaxErrno; ++e) {
    const char* n = strerrorname_np(e);
    if (n != nullptr && name == n) {
      return e;
    }
  }
  return std::nullopt;
}

}  // namespace capmin::events
