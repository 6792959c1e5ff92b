// SPDX-License-Identifier: MIT
#include "tracer/decode/FlagNames.h"

#include <fcntl.h>
#include <linux/audit.h>
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ioprio.h>
#include <linux/netlink.h>
#include <linux/reboot.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sched.h>
#include <signal.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/resource.h>
#include <sys/shm.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cstdio>

#define NV(x) \
  NamedValue { static_cast<std::uint64_t>(x), #x }

namespace capmin::tracer {

std::string flags_text(std::uint64_t v, std::span<const NamedValue> table, const char* zero) {
  if (v == 0) {
    return zero;
  }
  std::string out;
  for (const NamedValue& nv : table) {
    if (nv.value != 0 && (v & nv.value) == nv.value) {
      if (!out.empty()) {
        out += '|';
      }
      out += nv.name;
      v &= ~nv.value;
    }
  }
  if (v != 0) {
    char hex[24];
    std::snprintf(hex, sizeof hex, "0x%llx", static_cast<unsigned long long>(v));
    if (!out.empty()) {
      out += '|';
    }
    out += hex;
  }
  return out;
}

std::string enum_text(std::int64_t v, std::span<const NamedValue> table) {
  for (const NamedValue& nv : table) {
    if (static_cast<std::int64_t>(nv.value) == v) {
      return nv.name;
    }
  }
  return std::to_string(v);
}

std::string signal_text(int sig) {
  if (sig == 0) {
    return "0";
  }
  if (sig >= SIGRTMIN && sig <= SIGRTMAX) {
    return sig == SIGRTMIN ? "SIGRTMIN" : "SIGRTMIN+" + std::to_string(sig - SIGRTMIN);
  }
  const char* abbrev = sigabbrev_np(sig);
  return abbrev != nullptr ? std::string("SIG") + abbrev : std::to_string(sig);
}

namespace names {

std::span<const NamedValue> open_flags() {
  static const NamedValue t[] = {
      NV(O_TMPFILE),  NV(O_SYNC),     NV(O_CREAT),   NV(O_EXCL),   NV(O_NOCTTY),    NV(O_TRUNC),
      NV(O_APPEND),   NV(O_NONBLOCK), NV(O_DSYNC),   NV(O_DIRECT), NV(O_LARGEFILE), NV(O_DIRECTORY),
      NV(O_NOFOLLOW), NV(O_NOATIME),  NV(O_CLOEXEC), NV(O_PATH),
  };
  return t;
}

std::span<const NamedValue> at_flags() {
  static const NamedValue t[] = {NV(AT_SYMLINK_NOFOLLOW), NV(AT_REMOVEDIR),
                                 NV(AT_SYMLINK_FOLLOW),   NV(AT_EACCESS),
                                 NV(AT_NO_AUTOMOUNT),     NV(AT_EMPTY_PATH)};
  return t;
}

std::span<const NamedValue> access_at_flags() {
  // faccessat2's own: 0x200 is AT_EACCESS here, AT_REMOVEDIR elsewhere.
  static const NamedValue t[] = {NV(AT_SYMLINK_NOFOLLOW), NV(AT_EACCESS), NV(AT_EMPTY_PATH)};
  return t;
}

std::span<const NamedValue> access_modes() {
  static const NamedValue t[] = {NV(R_OK), NV(W_OK), NV(X_OK)};
  return t;
}

std::span<const NamedValue> address_families() {
  static const NamedValue t[] = {
      NV(AF_UNSPEC),     NV(AF_UNIX), NV(AF_INET),  NV(AF_AX25), NV(AF_IPX),
      NV(AF_APPLETALK),  NV(AF_X25),  NV(AF_INET6), NV(AF_KEY),  NV(AF_NETLINK),
      NV(AF_PACKET),     NV(AF_RDS),  NV(AF_LLC),   NV(AF_CAN),  NV(AF_TIPC),
      NV(AF_BLUETOOTH),  NV(AF_ALG),  NV(AF_VSOCK), NV(AF_XDP),  NV(AF_MCTP),
      NV(AF_IEEE802154), NV(AF_NFC),
  };
  return t;
}

std::span<const NamedValue> socket_types() {
  static const NamedValue t[] = {NV(SOCK_STREAM),    NV(SOCK_DGRAM), NV(SOCK_RAW),   NV(SOCK_RDM),
                                 NV(SOCK_SEQPACKET), NV(SOCK_DCCP),  NV(SOCK_PACKET)};
  return t;
}

std::span<const NamedValue> socket_type_flags() {
  static const NamedValue t[] = {NV(SOCK_NONBLOCK), NV(SOCK_CLOEXEC)};
  return t;
}

std::span<const NamedValue> ip_protocols() {
  static const NamedValue t[] = {NV(IPPROTO_IP),      NV(IPPROTO_ICMP),   NV(IPPROTO_IGMP),
                                 NV(IPPROTO_TCP),     NV(IPPROTO_UDP),    NV(IPPROTO_IPV6),
                                 NV(IPPROTO_GRE),     NV(IPPROTO_ICMPV6), NV(IPPROTO_SCTP),
                                 NV(IPPROTO_UDPLITE), NV(IPPROTO_RAW),    NV(IPPROTO_MPTCP)};
  return t;
}

std::span<const NamedValue> ethertypes() {
  static const NamedValue t[] = {NV(ETH_P_ALL),   NV(ETH_P_IP),     NV(ETH_P_ARP),  NV(ETH_P_IPV6),
                                 NV(ETH_P_8021Q), NV(ETH_P_8021AD), NV(ETH_P_LOOP), NV(ETH_P_PAE),
                                 NV(ETH_P_LLDP),  NV(ETH_P_MPLS_UC)};
  return t;
}

std::span<const NamedValue> netlink_protocols() {
  static const NamedValue t[] = {
      NV(NETLINK_ROUTE),      NV(NETLINK_USERSOCK),      NV(NETLINK_FIREWALL),
      NV(NETLINK_SOCK_DIAG),  NV(NETLINK_NFLOG),         NV(NETLINK_XFRM),
      NV(NETLINK_SELINUX),    NV(NETLINK_ISCSI),         NV(NETLINK_AUDIT),
      NV(NETLINK_FIB_LOOKUP), NV(NETLINK_CONNECTOR),     NV(NETLINK_NETFILTER),
      NV(NETLINK_IP6_FW),     NV(NETLINK_DNRTMSG),       NV(NETLINK_KOBJECT_UEVENT),
      NV(NETLINK_GENERIC),    NV(NETLINK_SCSITRANSPORT), NV(NETLINK_ECRYPTFS),
      NV(NETLINK_RDMA),       NV(NETLINK_CRYPTO),        NV(NETLINK_SMC),
  };
  return t;
}

std::span<const NamedValue> socket_levels() {
  static const NamedValue t[] = {
      NV(SOL_SOCKET),   NV(IPPROTO_IP),  NV(IPPROTO_IPV6), NV(IPPROTO_TCP), NV(IPPROTO_UDP),
      NV(IPPROTO_SCTP), NV(SOL_NETLINK), NV(SOL_PACKET),   NV(SOL_RAW),     NV(IPPROTO_ICMPV6)};
  return t;
}

std::span<const NamedValue> socket_options(int level) {
  static const NamedValue sol[] = {
      NV(SO_DEBUG),
      NV(SO_REUSEADDR),
      NV(SO_TYPE),
      NV(SO_ERROR),
      NV(SO_DONTROUTE),
      NV(SO_BROADCAST),
      NV(SO_SNDBUF),
      NV(SO_RCVBUF),
      NV(SO_SNDBUFFORCE),
      NV(SO_RCVBUFFORCE),
      NV(SO_KEEPALIVE),
      NV(SO_OOBINLINE),
      NV(SO_NO_CHECK),
      NV(SO_PRIORITY),
      NV(SO_LINGER),
      NV(SO_BSDCOMPAT),
      NV(SO_REUSEPORT),
      NV(SO_PASSCRED),
      NV(SO_PEERCRED),
      NV(SO_RCVLOWAT),
      NV(SO_SNDLOWAT),
      NV(SO_BINDTODEVICE),
      NV(SO_ATTACH_FILTER),
      NV(SO_DETACH_FILTER),
      NV(SO_TIMESTAMP),
      NV(SO_MARK),
      NV(SO_TIMESTAMPING),
      NV(SO_PROTOCOL),
      NV(SO_DOMAIN),
      NV(SO_RXQ_OVFL),
      NV(SO_BUSY_POLL),
      NV(SO_ATTACH_BPF),
      NV(SO_INCOMING_CPU),
      NV(SO_BINDTOIFINDEX),
      NV(SO_TXTIME),
      NV(SO_PREFER_BUSY_POLL),
      NV(SO_BUSY_POLL_BUDGET),
      NV(SO_LOCK_FILTER),
      NV(SO_ATTACH_REUSEPORT_CBPF),
  };
  static const NamedValue ip[] = {
      NV(IP_TOS),
      NV(IP_TTL),
      NV(IP_HDRINCL),
      NV(IP_OPTIONS),
      NV(IP_PKTINFO),
      NV(IP_RECVERR),
      NV(IP_MTU_DISCOVER),
      NV(IP_TRANSPARENT),
      NV(IP_FREEBIND),
      NV(IP_IPSEC_POLICY),
      NV(IP_XFRM_POLICY),
      NV(IP_MULTICAST_IF),
      NV(IP_MULTICAST_TTL),
      NV(IP_MULTICAST_LOOP),
      NV(IP_ADD_MEMBERSHIP),
      NV(IP_DROP_MEMBERSHIP),
      NV(IP_BIND_ADDRESS_NO_PORT),
      NV(IP_RECVTTL),
  };
  static const NamedValue ip6[] = {
      NV(IPV6_V6ONLY),       NV(IPV6_TRANSPARENT),  NV(IPV6_HOPOPTS),        NV(IPV6_DSTOPTS),
      NV(IPV6_RTHDRDSTOPTS), NV(IPV6_IPSEC_POLICY), NV(IPV6_XFRM_POLICY),    NV(IPV6_FREEBIND),
      NV(IPV6_RECVPKTINFO),  NV(IPV6_UNICAST_HOPS), NV(IPV6_MULTICAST_HOPS), NV(IPV6_MTU_DISCOVER),
  };
  static const NamedValue tcp[] = {
      NV(TCP_NODELAY),      NV(TCP_MAXSEG),         NV(TCP_CORK),
      NV(TCP_KEEPIDLE),     NV(TCP_KEEPINTVL),      NV(TCP_KEEPCNT),
      NV(TCP_CONGESTION),   NV(TCP_REPAIR),         NV(TCP_REPAIR_QUEUE),
      NV(TCP_QUEUE_SEQ),    NV(TCP_REPAIR_OPTIONS), NV(TCP_REPAIR_WINDOW),
      NV(TCP_FASTOPEN),     NV(TCP_USER_TIMEOUT),   NV(TCP_ULP),
      NV(TCP_DEFER_ACCEPT),
  };
  static const NamedValue netlink[] = {
      NV(NETLINK_ADD_MEMBERSHIP),  NV(NETLINK_DROP_MEMBERSHIP), NV(NETLINK_PKTINFO),
      NV(NETLINK_BROADCAST_ERROR), NV(NETLINK_NO_ENOBUFS),      NV(NETLINK_LISTEN_ALL_NSID),
      NV(NETLINK_CAP_ACK),         NV(NETLINK_EXT_ACK),         NV(NETLINK_GET_STRICT_CHK),
  };
  switch (level) {
    case SOL_SOCKET:
      return sol;
    case IPPROTO_IP:
      return ip;
    case IPPROTO_IPV6:
      return ip6;
    case IPPROTO_TCP:
      return tcp;
    case SOL_NETLINK:
      return netlink;
    default:
      return {};
  }
}

std::span<const NamedValue> clone_flags() {
  static const NamedValue t[] = {
      NV(CLONE_VM),
      NV(CLONE_FS),
      NV(CLONE_FILES),
      NV(CLONE_SIGHAND),
      NV(CLONE_PIDFD),
      NV(CLONE_PTRACE),
      NV(CLONE_VFORK),
      NV(CLONE_PARENT),
      NV(CLONE_THREAD),
      NV(CLONE_NEWNS),
      NV(CLONE_SYSVSEM),
      NV(CLONE_SETTLS),
      NV(CLONE_PARENT_SETTID),
      NV(CLONE_CHILD_CLEARTID),
      NV(CLONE_DETACHED),
      NV(CLONE_UNTRACED),
      NV(CLONE_CHILD_SETTID),
      NV(CLONE_NEWCGROUP),
      NV(CLONE_NEWUTS),
      NV(CLONE_NEWIPC),
      NV(CLONE_NEWUSER),
      NV(CLONE_NEWPID),
      NV(CLONE_NEWNET),
      NV(CLONE_IO),
      NV(CLONE_NEWTIME),
  };
  return t;
}

std::span<const NamedValue> mount_flags() {
  static const NamedValue t[] = {
      NV(MS_RDONLY),      NV(MS_NOSUID),    NV(MS_NODEV),      NV(MS_NOEXEC),
      NV(MS_SYNCHRONOUS), NV(MS_REMOUNT),   NV(MS_MANDLOCK),   NV(MS_DIRSYNC),
      NV(MS_NOSYMFOLLOW), NV(MS_NOATIME),   NV(MS_NODIRATIME), NV(MS_BIND),
      NV(MS_MOVE),        NV(MS_REC),       NV(MS_SILENT),     NV(MS_POSIXACL),
      NV(MS_UNBINDABLE),  NV(MS_PRIVATE),   NV(MS_SLAVE),      NV(MS_SHARED),
      NV(MS_RELATIME),    NV(MS_KERNMOUNT), NV(MS_I_VERSION),  NV(MS_STRICTATIME),
      NV(MS_LAZYTIME),
      // Not MS_MGC_VAL: its bits are flags too; the decoder names the magic itself.
  };
  return t;
}

std::span<const NamedValue> umount_flags() {
  static const NamedValue t[] = {NV(MNT_FORCE), NV(MNT_DETACH), NV(MNT_EXPIRE),
                                 NV(UMOUNT_NOFOLLOW)};
  return t;
}

std::span<const NamedValue> prctl_options() {
  static const NamedValue t[] = {
      NV(PR_SET_PDEATHSIG),    NV(PR_GET_PDEATHSIG),    NV(PR_GET_DUMPABLE),
      NV(PR_SET_DUMPABLE),     NV(PR_GET_KEEPCAPS),     NV(PR_SET_KEEPCAPS),
      NV(PR_SET_NAME),         NV(PR_GET_NAME),         NV(PR_GET_SECCOMP),
      NV(PR_SET_SECCOMP),      NV(PR_CAPBSET_READ),     NV(PR_CAPBSET_DROP),
      NV(PR_GET_SECUREBITS),   NV(PR_SET_SECUREBITS),   NV(PR_SET_TIMERSLACK),
      NV(PR_SET_MM),           NV(PR_SET_PTRACER),      NV(PR_SET_CHILD_SUBREAPER),
      NV(PR_SET_NO_NEW_PRIVS), NV(PR_GET_NO_NEW_PRIVS), NV(PR_SET_THP_DISABLE),
      NV(PR_CAP_AMBIENT),      NV(PR_SET_IO_FLUSHER),   NV(PR_GET_IO_FLUSHER),
      NV(PR_SET_VMA),
  };
  return t;
}

std::span<const NamedValue> cap_ambient_ops() {
  static const NamedValue t[] = {NV(PR_CAP_AMBIENT_IS_SET), NV(PR_CAP_AMBIENT_RAISE),
                                 NV(PR_CAP_AMBIENT_LOWER), NV(PR_CAP_AMBIENT_CLEAR_ALL)};
  return t;
}

std::span<const NamedValue> clocks() {
  static const NamedValue t[] = {
      NV(CLOCK_REALTIME),          NV(CLOCK_MONOTONIC),     NV(CLOCK_PROCESS_CPUTIME_ID),
      NV(CLOCK_THREAD_CPUTIME_ID), NV(CLOCK_MONOTONIC_RAW), NV(CLOCK_REALTIME_COARSE),
      NV(CLOCK_MONOTONIC_COARSE),  NV(CLOCK_BOOTTIME),      NV(CLOCK_REALTIME_ALARM),
      NV(CLOCK_BOOTTIME_ALARM),    NV(CLOCK_TAI),
  };
  return t;
}

std::span<const NamedValue> sched_policies() {
  static const NamedValue t[] = {NV(SCHED_OTHER), NV(SCHED_FIFO), NV(SCHED_RR),
                                 NV(SCHED_BATCH), NV(SCHED_IDLE), NV(SCHED_DEADLINE)};
  return t;
}

std::span<const NamedValue> rlimits() {
  static const NamedValue t[] = {
      NV(RLIMIT_CPU),      NV(RLIMIT_FSIZE), NV(RLIMIT_DATA),   NV(RLIMIT_STACK),
      NV(RLIMIT_CORE),     NV(RLIMIT_RSS),   NV(RLIMIT_NPROC),  NV(RLIMIT_NOFILE),
      NV(RLIMIT_MEMLOCK),  NV(RLIMIT_AS),    NV(RLIMIT_LOCKS),  NV(RLIMIT_SIGPENDING),
      NV(RLIMIT_MSGQUEUE), NV(RLIMIT_NICE),  NV(RLIMIT_RTPRIO), NV(RLIMIT_RTTIME),
  };
  return t;
}

std::span<const NamedValue> mmap_flags() {
  static const NamedValue t[] = {
      NV(MAP_SHARED_VALIDATE), NV(MAP_SHARED),    NV(MAP_PRIVATE),   NV(MAP_FIXED),
      NV(MAP_ANONYMOUS),       NV(MAP_GROWSDOWN), NV(MAP_DENYWRITE), NV(MAP_EXECUTABLE),
      NV(MAP_LOCKED),          NV(MAP_NORESERVE), NV(MAP_POPULATE),  NV(MAP_NONBLOCK),
      NV(MAP_STACK),           NV(MAP_HUGETLB),   NV(MAP_SYNC),      NV(MAP_FIXED_NOREPLACE),
  };
  return t;
}

std::span<const NamedValue> mlockall_flags() {
  static const NamedValue t[] = {NV(MCL_CURRENT), NV(MCL_FUTURE), NV(MCL_ONFAULT)};
  return t;
}

std::span<const NamedValue> file_types() {
  static const NamedValue t[] = {NV(S_IFSOCK), NV(S_IFLNK), NV(S_IFREG), NV(S_IFBLK),
                                 NV(S_IFDIR),  NV(S_IFCHR), NV(S_IFIFO)};
  return t;
}

std::span<const NamedValue> priority_which() {
  static const NamedValue t[] = {NV(PRIO_PROCESS), NV(PRIO_PGRP), NV(PRIO_USER)};
  return t;
}

std::span<const NamedValue> ptrace_requests() {
  static const NamedValue t[] = {
      NV(PTRACE_TRACEME),
      NV(PTRACE_PEEKTEXT),
      NV(PTRACE_PEEKDATA),
      NV(PTRACE_PEEKUSER),
      NV(PTRACE_POKETEXT),
      NV(PTRACE_POKEDATA),
      NV(PTRACE_CONT),
      NV(PTRACE_KILL),
      NV(PTRACE_GETREGS),
      NV(PTRACE_SETREGS),
      NV(PTRACE_ATTACH),
      NV(PTRACE_DETACH),
      NV(PTRACE_SYSCALL),
      NV(PTRACE_SETOPTIONS),
      NV(PTRACE_SEIZE),
      NV(PTRACE_INTERRUPT),
      NV(PTRACE_LISTEN),
      NV(PTRACE_SECCOMP_GET_FILTER),
      NV(PTRACE_GET_SYSCALL_INFO),
  };
  return t;
}

std::span<const NamedValue> fcntl_commands() {
  static const NamedValue t[] = {
      NV(F_DUPFD),         NV(F_GETFD),      NV(F_SETFD),      NV(F_GETFL),     NV(F_SETFL),
      NV(F_GETLK),         NV(F_SETLK),      NV(F_SETLKW),     NV(F_SETOWN),    NV(F_GETOWN),
      NV(F_SETSIG),        NV(F_GETSIG),     NV(F_SETLEASE),   NV(F_GETLEASE),  NV(F_NOTIFY),
      NV(F_DUPFD_CLOEXEC), NV(F_SETPIPE_SZ), NV(F_GETPIPE_SZ), NV(F_ADD_SEALS), NV(F_GET_SEALS),
      NV(F_OFD_GETLK),     NV(F_OFD_SETLK),  NV(F_OFD_SETLKW),
  };
  return t;
}

std::span<const NamedValue> ipc_commands() {
  static const NamedValue t[] = {NV(IPC_RMID), NV(IPC_SET),  NV(IPC_STAT),
                                 NV(IPC_INFO), NV(SHM_LOCK), NV(SHM_UNLOCK)};
  return t;
}

std::span<const NamedValue> syslog_actions() {
  // glibc gives these no names; these are the kernel's SYSLOG_ACTION_* numbers
  // from include/linux/syslog.h, which is not a uapi header.
  static const NamedValue t[] = {
      {0, "SYSLOG_ACTION_CLOSE"},         {1, "SYSLOG_ACTION_OPEN"},
      {2, "SYSLOG_ACTION_READ"},          {3, "SYSLOG_ACTION_READ_ALL"},
      {4, "SYSLOG_ACTION_READ_CLEAR"},    {5, "SYSLOG_ACTION_CLEAR"},
      {6, "SYSLOG_ACTION_CONSOLE_OFF"},   {7, "SYSLOG_ACTION_CONSOLE_ON"},
      {8, "SYSLOG_ACTION_CONSOLE_LEVEL"}, {9, "SYSLOG_ACTION_SIZE_UNREAD"},
      {10, "SYSLOG_ACTION_SIZE_BUFFER"},
  };
  return t;
}

std::span<const NamedValue> reboot_commands() {
  static const NamedValue t[] = {
      NV(LINUX_REBOOT_CMD_RESTART),    NV(LINUX_REBOOT_CMD_HALT),
      NV(LINUX_REBOOT_CMD_CAD_ON),     NV(LINUX_REBOOT_CMD_CAD_OFF),
      NV(LINUX_REBOOT_CMD_POWER_OFF),  NV(LINUX_REBOOT_CMD_RESTART2),
      NV(LINUX_REBOOT_CMD_SW_SUSPEND), NV(LINUX_REBOOT_CMD_KEXEC),
  };
  return t;
}

std::span<const NamedValue> bpf_commands() {
  static const NamedValue t[] = {
      NV(BPF_MAP_CREATE),       NV(BPF_MAP_LOOKUP_ELEM),
      NV(BPF_MAP_UPDATE_ELEM),  NV(BPF_MAP_DELETE_ELEM),
      NV(BPF_MAP_GET_NEXT_KEY), NV(BPF_PROG_LOAD),
      NV(BPF_OBJ_PIN),          NV(BPF_OBJ_GET),
      NV(BPF_PROG_ATTACH),      NV(BPF_PROG_DETACH),
      NV(BPF_PROG_TEST_RUN),    NV(BPF_PROG_GET_NEXT_ID),
      NV(BPF_MAP_GET_NEXT_ID),  NV(BPF_PROG_GET_FD_BY_ID),
      NV(BPF_MAP_GET_FD_BY_ID), NV(BPF_OBJ_GET_INFO_BY_FD),
      NV(BPF_PROG_QUERY),       NV(BPF_RAW_TRACEPOINT_OPEN),
      NV(BPF_BTF_LOAD),         NV(BPF_BTF_GET_FD_BY_ID),
      NV(BPF_LINK_CREATE),      NV(BPF_ENABLE_STATS),
      NV(BPF_ITER_CREATE),
  };
  return t;
}

std::span<const NamedValue> ioprio_classes() {
  static const NamedValue t[] = {NV(IOPRIO_CLASS_NONE), NV(IOPRIO_CLASS_RT), NV(IOPRIO_CLASS_BE),
                                 NV(IOPRIO_CLASS_IDLE)};
  return t;
}

}  // namespace names
}  // namespace capmin::tracer
