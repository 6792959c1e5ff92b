// SPDX-License-Identifier: MIT
#pragma once

#include <sys/user.h>

#include <array>
#include <cstdint>

namespace capmin::tracer {

// The registers of a stopped task, seen through the system-call calling
// convention: number, six arguments, result, instruction pointer. The only
// architecture-specific type; everything above it speaks in these terms.
class Registers {
 public:
  Registers() = default;
  explicit Registers(const user_regs_struct& raw) : raw_(raw) {}

  // The system call being made (valid at entry and exit stops).
  long syscall_nr() const;
  std::uint64_t arg(int i) const;
  std::array<std::uint64_t, 6> args() const;
  // At an exit stop: the result, a negative errno on failure.
  long result() const;
  std::uint64_t ip() const;
  std::uint64_t sp() const;

  void set_syscall(long nr, const std::array<std::uint64_t, 6>& args);
  void set_result(long value);
  void set_ip(std::uint64_t ip);
  // Length of the instruction that enters the kernel, for re-executing it.
  static constexpr int kSyscallInsnLength = 2;

  const user_regs_struct& raw() const { return raw_; }
  user_regs_struct& raw() { return raw_; }

 private:
  user_regs_struct raw_{};
};

}  // namespace capmin::tracer
