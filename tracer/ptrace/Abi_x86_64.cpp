// SPDX-License-Identifier: MIT
// The x86_64 side of the ABI interface: native x86_64 and the ia32 compat
// entry (int $0x80, sysenter, a 32-bit program's syscall).
#include <linux/audit.h>
#include <linux/ipc.h>
#include <linux/net.h>
#include <seccomp.h>
#include <stdlib.h>

#include <memory>
#include <unordered_map>

#include "tracer/ptrace/Abi.h"

#if !defined(__x86_64__)
#error "capmin's ABI table is written for x86_64 only"
#endif

namespace capmin::tracer {

namespace {

// i386 calls whose native twin has another name and the same argument
// layout. The 16-bit-id calls keep the plain names in i386 (chown is
// chown16 there) and decode as the native call too.
struct Alias {
  const char* i386;
  const char* native;
};
constexpr Alias kI386Aliases[] = {
    {"chown32", "chown"},         {"lchown32", "lchown"},
    {"fchown32", "fchown"},       {"setuid32", "setuid"},
    {"setgid32", "setgid"},       {"setreuid32", "setreuid"},
    {"setregid32", "setregid"},   {"setresuid32", "setresuid"},
    {"setresgid32", "setresgid"}, {"setgroups32", "setgroups"},
    {"setfsuid32", "setfsuid"},   {"setfsgid32", "setfsgid"},
    {"fcntl64", "fcntl"},         {"truncate64", "truncate"},
    {"ftruncate64", "ftruncate"}, {"mmap2", "mmap"},
    {"stat64", "stat"},           {"lstat64", "lstat"},
    {"fstatat64", "newfstatat"},  {"statfs64", "statfs"},
};

// The calls an i386 program may make through socketcall(2) (<linux/net.h>)
// and ipc(2) (<linux/ipc.h>), by their native names. ipc's first argument
// carries a version in its upper 16 bits.
struct MultiplexedCall {
  const char* native;
  unsigned call;
};
constexpr long kI386Socketcall = 102;
constexpr long kI386Ipc = 117;
constexpr MultiplexedCall kSocketcalls[] = {
    {"socket", SYS_SOCKET},
    {"bind", SYS_BIND},
    {"connect", SYS_CONNECT},
    {"listen", SYS_LISTEN},
    {"accept", SYS_ACCEPT},
    {"getsockname", SYS_GETSOCKNAME},
    {"getpeername", SYS_GETPEERNAME},
    {"socketpair", SYS_SOCKETPAIR},
    {"sendto", SYS_SENDTO},
    {"recvfrom", SYS_RECVFROM},
    {"sendto", SYS_SEND},
    {"recvfrom", SYS_RECV},
    {"shutdown", SYS_SHUTDOWN},
    {"setsockopt", SYS_SETSOCKOPT},
    {"getsockopt", SYS_GETSOCKOPT},
    {"sendmsg", SYS_SENDMSG},
    {"recvmsg", SYS_RECVMSG},
    {"accept4", SYS_ACCEPT4},
    {"recvmmsg", SYS_RECVMMSG},
    {"sendmmsg", SYS_SENDMMSG},
};
constexpr MultiplexedCall kIpcCalls[] = {
    {"semop", SEMOP},   {"semget", SEMGET}, {"semctl", SEMCTL}, {"semtimedop", SEMTIMEDOP},
    {"msgsnd", MSGSND}, {"msgrcv", MSGRCV}, {"msgget", MSGGET}, {"msgctl", MSGCTL},
    {"shmat", SHMAT},   {"shmdt", SHMDT},   {"shmget", SHMGET}, {"shmctl", SHMCTL},
};

}  // namespace

std::optional<Abi> abi_from_audit_arch(std::uint32_t audit_arch) {
  if (audit_arch == AUDIT_ARCH_X86_64) {
    return Abi::Native;
  }
  if (audit_arch == AUDIT_ARCH_I386) {
    return Abi::I386;
  }
  return std::nullopt;
}

std::uint32_t seccomp_arch(Abi abi) { return abi == Abi::I386 ? SCMP_ARCH_X86 : SCMP_ARCH_X86_64; }

std::string abi_name(Abi abi) { return abi == Abi::I386 ? "i386" : "x86_64"; }

std::string syscall_name(Abi abi, long nr) {
  std::unique_ptr<char, decltype(&free)> name(
      seccomp_syscall_resolve_num_arch(seccomp_arch(abi), static_cast<int>(nr)), &free);
  return name ? std::string(name.get()) : "syscall_" + std::to_string(nr);
}

std::optional<long> syscall_number(Abi abi, std::string_view name) {
  const int nr = seccomp_syscall_resolve_name_arch(seccomp_arch(abi), std::string(name).c_str());
  // libseccomp answers pseudo-numbers (negative) for calls an ABI lacks.
  if (nr < 0) {
    return std::nullopt;
  }
  return nr;
}

long native_equivalent(Abi abi, long nr) {
  if (abi == Abi::Native) {
    return nr;
  }
  static std::unordered_map<long, long> cache;
  if (auto it = cache.find(nr); it != cache.end()) {
    return it->second;
  }
  std::string name = syscall_name(abi, nr);
  for (const Alias& a : kI386Aliases) {
    if (name == a.i386) {
      name = a.native;
    }
  }
  const long native = syscall_number(Abi::Native, name).value_or(-1);
  cache.emplace(nr, native);
  return native;
}

std::vector<std::string> names_in(Abi abi, std::string_view native_name) {
  std::vector<std::string> out;
  if (abi == Abi::Native) {
    return {std::string(native_name)};
  }
  if (syscall_number(abi, native_name)) {
    out.emplace_back(native_name);
  }
  for (const Alias& a : kI386Aliases) {
    if (native_name == a.native) {
      out.emplace_back(a.i386);
    }
  }
  return out;
}

const std::vector<Abi>& compat_abis() {
  static const std::vector<Abi> abis = {Abi::I386};
  return abis;
}

std::uint32_t audit_arch(Abi abi) { return abi == Abi::I386 ? AUDIT_ARCH_I386 : AUDIT_ARCH_X86_64; }

std::optional<std::uint64_t> foreign_numbers_from(Abi abi) {
  if (abi == Abi::Native) {
    return 0x40000000;  // __X32_SYSCALL_BIT
  }
  return std::nullopt;
}

std::vector<Multiplexed> multiplexed(Abi abi, std::string_view native_name) {
  std::vector<Multiplexed> out;
  if (abi != Abi::I386) {
    return out;
  }
  for (const MultiplexedCall& c : kSocketcalls) {
    if (native_name == c.native) {
      out.push_back({kI386Socketcall, 0xffffffff, c.call});
    }
  }
  for (const MultiplexedCall& c : kIpcCalls) {
    if (native_name == c.native) {
      out.push_back({kI386Ipc, 0xffff, c.call});
    }
  }
  return out;
}

}  // namespace capmin::tracer
