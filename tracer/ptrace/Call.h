// SPDX-License-Identifier: MIT
#pragma once

#include <sys/ptrace.h>

#include <array>
#include <cstdint>
#include <optional>

#include "tracer/ptrace/Abi.h"

namespace capmin::tracer {

// One system call, as PTRACE_GET_SYSCALL_INFO reports it at its entry or
// seccomp stop: its ABI, its number, its six arguments (zero-extended for a
// 32-bit call).
struct Call {
  Abi abi = Abi::Native;
  long nr = -1;         // in the ABI's own numbering
  long native_nr = -1;  // the native call of the same layout, which rules and watchers name
  std::array<std::uint64_t, 6> args{};
};

// The call of an entry or seccomp stop; nullopt for other stops and for an
// ABI capmin does not decode.
inline std::optional<Call> call_from(const __ptrace_syscall_info& info) {
  const auto abi = abi_from_audit_arch(info.arch);
  if (!abi) {
    return std::nullopt;
  }
  Call c;
  c.abi = *abi;
  if (info.op == PTRACE_SYSCALL_INFO_ENTRY) {
    c.nr = static_cast<long>(info.entry.nr);
    for (std::size_t i = 0; i < 6; ++i) {
      c.args[i] = info.entry.args[i];
    }
  } else if (info.op == PTRACE_SYSCALL_INFO_SECCOMP) {
    c.nr = static_cast<long>(info.seccomp.nr);
    for (std::size_t i = 0; i < 6; ++i) {
      c.args[i] = info.seccomp.args[i];
    }
  } else {
    return std::nullopt;
  }
  c.native_nr = native_equivalent(c.abi, c.nr);
  return c;
}

}  // namespace capmin::tracer
