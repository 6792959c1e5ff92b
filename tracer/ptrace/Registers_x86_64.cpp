// SPDX-License-Identifier: MIT
#include "tracer/ptrace/Registers.h"

#if !defined(__x86_64__)
#error "capmin's register access is written for x86_64 only"
#endif

namespace capmin::tracer {

namespace {
// The user code segment selector of 64-bit code (__USER_CS).
constexpr unsigned long long kUser64CodeSegment = 0x33;

// The registers of each argument, in order. x86_64: rdi, rsi, rdx, r10, r8,
// r9. ia32: ebx, ecx, edx, esi, edi, ebp, 32 bits each.
using Field = unsigned long long user_regs_struct::*;
constexpr Field kNativeArgs[6] = {&user_regs_struct::rdi, &user_regs_struct::rsi,
                                  &user_regs_struct::rdx, &user_regs_struct::r10,
                                  &user_regs_struct::r8,  &user_regs_struct::r9};
constexpr Field kI386Args[6] = {&user_regs_struct::rbx, &user_regs_struct::rcx,
                                &user_regs_struct::rdx, &user_regs_struct::rsi,
                                &user_regs_struct::rdi, &user_regs_struct::rbp};
}  // namespace

long Registers::syscall_nr() const { return static_cast<long>(raw_.orig_rax); }

std::uint64_t Registers::arg(int i) const {
  if (i < 0 || i > 5) {
    return 0;
  }
  if (abi_ == Abi::I386) {
    return static_cast<std::uint32_t>(raw_.*kI386Args[i]);
  }
  return raw_.*kNativeArgs[i];
}

std::array<std::uint64_t, 6> Registers::args() const {
  std::array<std::uint64_t, 6> a{};
  for (int i = 0; i < 6; ++i) {
    a[static_cast<std::size_t>(i)] = arg(i);
  }
  return a;
}

long Registers::result() const {
  if (abi_ == Abi::I386) {
    return static_cast<std::int32_t>(raw_.rax);
  }
  return static_cast<long>(raw_.rax);
}
std::uint64_t Registers::ip() const { return raw_.rip; }
std::uint64_t Registers::sp() const { return raw_.rsp; }
bool Registers::runs_64bit_code() const { return raw_.cs == kUser64CodeSegment; }

void Registers::set_syscall(long nr, const std::array<std::uint64_t, 6>& a) {
  raw_.orig_rax = static_cast<unsigned long long>(nr);
  raw_.rax = static_cast<unsigned long long>(nr);
  const Field* fields = abi_ == Abi::I386 ? kI386Args : kNativeArgs;
  for (int i = 0; i < 6; ++i) {
    raw_.*fields[i] = a[static_cast<std::size_t>(i)];
  }
}

void Registers::set_result(long value) { raw_.rax = static_cast<unsigned long long>(value); }
void Registers::set_ip(std::uint64_t ip) { raw_.rip = ip; }

}  // namespace capmin::tracer
