// SPDX-License-Identifier: MIT
#include "tracer/ptrace/Registers.h"

#if !defined(__x86_64__)
#error "capmin's register access is written for x86_64 only"
#endif

namespace capmin::tracer {

long Registers::syscall_nr() const { return static_cast<long>(raw_.orig_rax); }

std::uint64_t Registers::arg(int i) const {
  // The kernel's x86_64 syscall ABI: rdi, rsi, rdx, r10, r8, r9.
  switch (i) {
    case 0:
      return raw_.rdi;
    case 1:
      return raw_.rsi;
    case 2:
      return raw_.rdx;
    case 3:
      return raw_.r10;
    case 4:
      return raw_.r8;
    case 5:
      return raw_.r9;
    default:
      return 0;
  }
}

std::array<std::uint64_t, 6> Registers::args() const {
  return {raw_.rdi, raw_.rsi, raw_.rdx, raw_.r10, raw_.r8, raw_.r9};
}

long Registers::result() const { return static_cast<long>(raw_.rax); }
std::uint64_t Registers::ip() const { return raw_.rip; }
std::uint64_t Registers::sp() const { return raw_.rsp; }

void Registers::set_syscall(long nr, const std::array<std::uint64_t, 6>& a) {
  raw_.orig_rax = static_cast<unsigned long long>(nr);
  raw_.rax = static_cast<unsigned long long>(nr);
  raw_.rdi = a[0];
  raw_.rsi = a[1];
  raw_.rdx = a[2];
  raw_.r10 = a[3];
  raw_.r8 = a[4];
  raw_.r9 = a[5];
}

void Registers::set_result(long value) { raw_.rax = static_cast<unsigned long long>(value); }
void Registers::set_ip(std::uint64_t ip) { raw_.rip = ip; }

}  // namespace capmin::tracer
