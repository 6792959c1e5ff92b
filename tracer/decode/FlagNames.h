// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <span>
#include <string>

namespace capmin::tracer {

// A constant and its name as the kernel headers spell it. Tables are built
// from the headers' own macros (value and stringified name together), so no
// number is typed by hand.
struct NamedValue {
  std::uint64_t value;
  const char* name;
};

// "A|B|0x40" — entries are tried in table order and their bits removed, so a
// composite (O_SYNC) listed before its parts wins. `zero` names the value 0.
std::string flags_text(std::uint64_t v, std::span<const NamedValue> table, const char* zero = "0");
// The name of an enumerated value, or its decimal number.
std::string enum_text(std::int64_t v, std::span<const NamedValue> table);

namespace names {
std::span<const NamedValue> open_flags();  // without the access mode
std::span<const NamedValue> at_flags();
std::span<const NamedValue> access_at_flags();
std::span<const NamedValue> access_modes();
std::span<const NamedValue> address_families();
std::span<const NamedValue> socket_types();
std::span<const NamedValue> socket_type_flags();
std::span<const NamedValue> ip_protocols();
std::span<const NamedValue> netlink_protocols();
// packet(7) protocols, host byte order (the register holds them swapped).
std::span<const NamedValue> ethertypes();
std::span<const NamedValue> socket_levels();
// Option names depend on the level: SOL_SOCKET, IPPROTO_IP, IPPROTO_IPV6, IPPROTO_TCP.
std::span<const NamedValue> socket_options(int level);
std::span<const NamedValue> clone_flags();
std::span<const NamedValue> mount_flags();
std::span<const NamedValue> umount_flags();
std::span<const NamedValue> prctl_options();
std::span<const NamedValue> cap_ambient_ops();
std::span<const NamedValue> clocks();
std::span<const NamedValue> sched_policies();
std::span<const NamedValue> rlimits();
std::span<const NamedValue> mmap_flags();
std::span<const NamedValue> mlockall_flags();
std::span<const NamedValue> file_types();
std::span<const NamedValue> priority_which();
std::span<const NamedValue> ptrace_requests();
std::span<const NamedValue> fcntl_commands();
std::span<const NamedValue> ipc_commands();
std::span<const NamedValue> syslog_actions();
std::span<const NamedValue> reboot_commands();
std::span<const NamedValue> bpf_commands();
std::span<const NamedValue> ioprio_classes();
std::span<const NamedValue> ioctl_requests();  // in IoctlNames.cpp: its headers clash
}  // namespace names

// "SIGTERM", "SIGRTMIN+3", or the number.
std::string signal_text(int sig);

}  // namespace capmin::tracer
