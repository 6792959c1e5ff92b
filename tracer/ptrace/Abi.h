// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace capmin::tracer {

// The system-call ABI a call was made through. A 64-bit x86 program can
// still enter the kernel through the 32-bit one (int $0x80), with other
// numbers and other registers; a 32-bit program always does.
// PTRACE_GET_SYSCALL_INFO says which (its `arch`). Everything above this
// interface speaks of native calls: a 32-bit call is decoded and matched as
// the native call with the same argument layout (i386 chown32 as chown).
enum class Abi { Native, I386 };

// The ABI of an AUDIT_ARCH_* value; nullopt for one capmin does not decode.
std::optional<Abi> abi_from_audit_arch(std::uint32_t audit_arch);
// The libseccomp architecture token of an ABI (SCMP_ARCH_*).
std::uint32_t seccomp_arch(Abi abi);
std::string abi_name(Abi abi);  // "x86_64", "i386"

// Names and numbers in an ABI's own table (libseccomp's).
std::string syscall_name(Abi abi, long nr);
std::optional<long> syscall_number(Abi abi, std::string_view name);

// The native call with the same arguments as call `nr` of `abi`, or -1 if
// there is none ("socketcall" multiplexes many).
long native_equivalent(Abi abi, long nr);
// The names a native call goes by in `abi` (chown: chown and chown32 in
// i386, the second the one with 32-bit ids); empty where it has none.
std::vector<std::string> names_in(Abi abi, std::string_view native_name);

// The ABIs other than the native one whose calls a filter must also see.
const std::vector<Abi>& compat_abis();

// What a seccomp filter sees of an ABI (struct seccomp_data): the
// AUDIT_ARCH_* value its calls carry, and the first number of another ABI
// that shares that value (x32's calls are native ones with bit 30 set),
// which the filter lets through untested.
std::uint32_t audit_arch(Abi abi);
std::optional<std::uint64_t> foreign_numbers_from(Abi abi);

// The ways an ABI also makes a native call through a multiplexer, with the
// call's own number in the first argument: i386 socket calls through
// socketcall(2) (sendto also as SYS_SEND), System V IPC through ipc(2).
struct Multiplexed {
  long nr;             // the multiplexer's number
  std::uint64_t mask;  // of its first argument...
  std::uint64_t call;  // ...that equals this for the call
};
std::vector<Multiplexed> multiplexed(Abi abi, std::string_view native_name);

}  // namespace capmin::tracer
