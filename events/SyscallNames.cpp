// SPDX-License-Identifier: MIT
#include "events/SyscallNames.h"

#include <seccomp.h>
#include <stdlib.h>

#include <memory>

namespace capmin::events {

std::string syscall_name(int nr) {
  std::unique_ptr<char, decltype(&free)> name(
      seccomp_syscall_resolve_num_arch(SCMP_ARCH_NATIVE, nr), &free);
  return name ? std::string(name.get()) : "syscall_" + std::to_string(nr);
}

std::optional<int> syscall_number(std::string_view name) {
  const int nr = seccomp_syscall_resolve_name_arch(SCMP_ARCH_NATIVE, std::string(name).c_str());
  // libseccomp answers pseudo-numbers (negative) for calls this arch lacks.
  if (nr < 0) {
    return std::nullopt;
  }
  return nr;
}

}  // namespace capmin::events
