// SPDX-License-Identifier: MIT
#pragma once

#include <sys/user.h>

#include <array>
#include <cstdint>

#include "tracer/ptrace/Abi.h"

namespace capmin::tracer {

// The registers of a stopped task, seen through the system-call calling
// convention of one ABI: number, six arguments, result, instruction pointer.
// With Abi.h the only architecture-specific types; everything above them
// speaks in these terms.
class Registers {
 public:
  Registers() = default;
  explicit Registers(const user_regs_struct& raw) : raw_(raw) {}

  // Which calling convention the accessors follow (the call's own: from
  // PTRACE_GET_SYSCALL_INFO). Native unless set.
  void set_abi(Abi abi) { abi_ = abi; }
  Abi abi() const { return abi_; }

  // The system call being made (valid at entry and exit stops), in the
  // ABI's own numbering.
  long syscall_nr() const;
  std::uint64_t arg(int i) const;
  std::array<std::uint64_t, 6> args() const;
  // At an exit stop: the result, a negative errno on failure.
  long result() const;
  std::uint64_t ip() const;
  std::uint64_t sp() const;
  // Whether the task runs 64-bit code: a 64-bit program that enters the
  // kernel through the 32-bit ABI cannot be handed pointers to its stack,
  // which lies above 4 GiB.
  bool runs_64bit_code() const;

  void set_syscall(long nr, const std::array<std::uint64_t, 6>& args);
  void set_result(long value);
  void set_ip(std::uint64_t ip);
  // Length of the instruction that enters the kernel, for re-executing it:
  // syscall, int $0x80, and a sysenter whose return lands after the vDSO's
  // int $0x80 (the kernel restarts calls through it) all make 2.
  static constexpr int kSyscallInsnLength = 2;

  const user_regs_struct& raw() const { return raw_; }
  user_regs_struct& raw() { return raw_; }

 private:
  user_regs_struct raw_{};
  Abi abi_ = Abi::Native;
};

}  // namespace capmin::tracer
