// SPDX-License-Identifier: MIT
#include "tracer/filter/RegisterFields.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sched.h>
#include <sys/socket.h>

#include <cstdlib>

#include "events/SyscallSchema.h"

namespace capmin::tracer {

namespace {

using K = events::ArgKind;
constexpr std::uint64_t kInt = 0xffffffffu;  // int arguments: the low 32 bits
constexpr std::uint64_t kAll = ~std::uint64_t{0};

std::span<const NamedValue> all_socket_options() {
  static const std::vector<NamedValue> all = [] {
    std::vector<NamedValue> v;
    for (int level : {SOL_SOCKET, static_cast<int>(IPPROTO_IP), static_cast<int>(IPPROTO_IPV6),
                      static_cast<int>(IPPROTO_TCP), SOL_NETLINK}) {
      for (const NamedValue& nv : names::socket_options(level)) {
        v.push_back(nv);
      }
    }
    return v;
  }();
  return all;
}

std::span<const NamedValue> socket_protocols() {
  static const std::vector<NamedValue> all = [] {
    std::vector<NamedValue> v;
    for (const NamedValue& nv : names::ip_protocols()) {
      v.push_back(nv);
    }
    for (const NamedValue& nv : names::netlink_protocols()) {
      v.push_back(nv);
    }
    for (const NamedValue& nv : names::ethertypes()) {
      v.push_back({htons(static_cast<std::uint16_t>(nv.value)), nv.name});
    }
    return v;
  }();
  return all;
}

// Open flags as the filter sees them: the access mode's two bits are
// flags too (O_RDONLY, 0, is never "present").
std::span<const NamedValue> open_flags_and_mode() {
  static const std::vector<NamedValue> all = [] {
    std::vector<NamedValue> v = {{O_WRONLY, "O_WRONLY"}, {O_RDWR, "O_RDWR"}};
    for (const NamedValue& nv : names::open_flags()) {
      v.push_back(nv);
    }
    return v;
  }();
  return all;
}

// How an argument of `kind` sits in its register; nullopt when it is not a
// plain register value (a path, a struct, a length-delimited string...).
std::optional<RegisterField> encoding(K kind) {
  using N = std::span<const NamedValue> (*)();
  auto value = [](std::uint64_t mask, N names = nullptr) {
    return RegisterField{0, mask, false, mask == kAll, names, false};
  };
  auto flags = [](std::uint64_t mask, N names = nullptr) {
    return RegisterField{0, mask, true, false, names, false};
  };
  switch (kind) {
    case K::FileFd: {
      RegisterField f = value(kInt);
      f.unsigned_low = true;
      return f;
    }
    case K::Int:
    case K::Fd:
    case K::DirFd:
    case K::TargetPid:
    case K::Uid:
    case K::Gid:
    case K::Dev:
      return value(kInt);
    case K::Uint:
    case K::Hex:
      return value(kAll);
    case K::Mode:
      return flags(07777);
    case K::OpenFlags:
      return flags(kInt, open_flags_and_mode);
    case K::AtFlags:
      return flags(kInt, names::at_flags);
    case K::AccessAtFlags:
      return flags(kInt, names::access_at_flags);
    case K::AccessMode:
      return flags(kInt, names::access_modes);
    case K::Domain:
      return value(kInt, names::address_families);
    case K::SockType:
      return value(0xf, names::socket_types);
    case K::SockProto: {
      RegisterField f = value(kInt, socket_protocols);
      f.ethertypes = true;
      return f;
    }
    case K::SockLevel:
      return value(kInt, names::socket_levels);
    case K::SockOpt:
      return value(kInt, all_socket_options);
    case K::IoctlReq:
      return value(kInt, names::ioctl_requests);
    case K::CloneFlags:
      return flags(~std::uint64_t{0xff}, names::clone_flags);  // the low byte is the exit signal
    case K::NsFlags:
      return flags(kInt, names::clone_flags);
    case K::MountFlags:
      return flags(kAll, names::mount_flags);
    case K::UmountFlags:
      return flags(kInt, names::umount_flags);
    case K::PrctlOption:
      return value(kInt, names::prctl_options);
    case K::Clock:
      return value(kInt, names::clocks);
    case K::SchedPolicy:
      return value(kInt & ~std::uint64_t{SCHED_RESET_ON_FORK}, names::sched_policies);
    case K::PrioWhich:
      return value(kInt, names::priority_which);
    case K::Rlimit:
      return value(kInt, names::rlimits);
    case K::MmapFlags:
      return flags(kInt, names::mmap_flags);
    case K::MlockallFlags:
      return flags(kInt, names::mlockall_flags);
    case K::PtraceReq:
      return value(kInt, names::ptrace_requests);
    case K::FcntlCmd:
      return value(kInt, names::fcntl_commands);
    case K::IpcCmd:
      return value(0xff, names::ipc_commands);  // IPC_64 rides in the upper bits
    case K::SyslogAction:
      return value(kInt, names::syslog_actions);
    case K::RebootCmd:
      return value(kInt, names::reboot_commands);
    case K::BpfCmd:
      return value(kInt, names::bpf_commands);
    default:
      return std::nullopt;
  }
}

}  // namespace

std::vector<std::uint64_t> RegisterField::values(const std::string& operand) const {
  if (names != nullptr) {
    for (const NamedValue& nv : names()) {
      if (operand == nv.name) {
        return {nv.value & mask};
      }
    }
  }
  // A number written as such in the rule (octal 02000, hex 0x3, -1).
  char* end = nullptr;
  const bool negative = !operand.empty() && operand[0] == '-';
  const std::uint64_t v = negative
                              ? static_cast<std::uint64_t>(std::strtoll(operand.c_str(), &end, 0))
                              : std::strtoull(operand.c_str(), &end, 0);
  if (operand.empty() || end == nullptr || *end != '\0') {
    return {};
  }
  std::vector<std::uint64_t> out = {v & mask};
  if (ethertypes && v <= 0xffff && htons(static_cast<std::uint16_t>(v)) != v) {
    out.push_back(htons(static_cast<std::uint16_t>(v)));  // the decoder shows AF_PACKET's swapped
  }
  return out;
}

std::optional<RegisterField> register_field(std::string_view syscall, std::string_view field) {
  const events::CallSchema* call = events::call_schema(syscall);
  if (call == nullptr) {
    return std::nullopt;
  }
  for (std::size_t i = 0; i < call->args.size(); ++i) {
    const events::ArgSpec& a = call->args[i];
    if (field != a.name) {
      continue;
    }
    auto f = encoding(a.kind);
    if (f) {
      f->arg = static_cast<int>(i);
    }
    return f;
  }
  return std::nullopt;
}

}  // namespace capmin::tracer
