// SPDX-License-Identifier: MIT
// One fixture per capability no other end-to-end test reaches, each refused
// in the namespaces and the temporary directory the harness gives it and
// nowhere else: locked memory, another user's System V queue, a lease, an
// attach to another user's process, a file capability, the next pid of the
// private pid namespace, netlink broadcasts of every namespace, a BPF map,
// an alarm timer and an immutable file. For each, deny mode and the traced run's own answer
// (--no-minimal) name the one capability, and the proven set (capmin's
// default) keeps it.
#include <sys/timerfd.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>

#include "Harness.h"

namespace capmin::e2e {
namespace {

using Caps = std::set<std::string>;

// A process of uid 1234 that capmin does not trace, its pid in target.pid.
const std::string kForeignProcess = foreign_process_setup("target.pid");

struct Case {
  std::vector<std::string> command;
  std::string setup;
  std::string cap;      // the one capability it needs
  std::string syscall;  // the refused call
  std::string errno_name;
  std::string rule;    // the rule that explains it
  std::string denied;  // what the fixture prints when refused
};

void expect_one_evidence(const CapminRun& r, const Case& c) {
  const std::vector<nlohmann::json> e = r.evidence(c.cap);
  ASSERT_EQ(e.size(), 1U);
  EXPECT_EQ(e[0]["syscall"], c.syscall) << e[0];
  EXPECT_EQ(e[0]["errno"], c.errno_name) << e[0];
  EXPECT_EQ(e[0]["rule"], c.rule) << e[0];
}

// Deny mode, the probe's first answer and the proven set each name exactly
// `c.cap`; the program fails without it and succeeds with it.
void expect_needs_exactly(const Case& c) {
  const bool raisable = bounding_holds(c.cap);

  const CapminRun d = profile_deny(c.command, {.setup = c.setup});
  {
    const DescribeOnFailure described(d);
    EXPECT_EQ(d.status, 1);
    EXPECT_TRUE(d.printed(c.denied));
    EXPECT_EQ(d.caps(), Caps{c.cap});
    EXPECT_EQ(d.confidence(c.cap), "inferred");
    expect_one_evidence(d, c);
    EXPECT_TRUE(d.unresolved_entries().empty());
  }

  const CapminRun p = profile_probe(c.command, {.setup = c.setup});
  {
    const DescribeOnFailure described(p);
    EXPECT_EQ(p.caps(), Caps{c.cap});
    expect_one_evidence(p, c);
    EXPECT_TRUE(p.unresolved_entries().empty());
    if (raisable) {
      // The call retried with the capability raised went through.
      EXPECT_EQ(p.status, 0);
      EXPECT_TRUE(p.printed("OK"));
      EXPECT_EQ(p.confidence(c.cap), "confirmed");
    } else {
      EXPECT_EQ(p.status, 1);
      EXPECT_EQ(p.confidence(c.cap), "inferred");
    }
  }

  const CapminRun m = profile_probe(c.command, {.setup = c.setup, .minimal = true});
  {
    const DescribeOnFailure described(m);
    EXPECT_EQ(m.caps(), Caps{c.cap});
    if (raisable) {
      EXPECT_EQ(m.status, 0);
      EXPECT_EQ(m.confidence(c.cap), "confirmed");
      ASSERT_TRUE(m.report.contains("minimal"));
      EXPECT_EQ(m.report["minimal"]["proven"], true) << m.report["minimal"];
    } else {
      EXPECT_EQ(m.status, 1);
    }
  }
}

TEST(CapabilityFixtures, MlockBeyondALoweredMemlockLimitNeedsIpcLock) {
  CAPMIN_REQUIRE_ROOT_AND_NAMESPACES();
  expect_needs_exactly({.command = {fixture("mlock_page")},
                        .cap = "CAP_IPC_LOCK",
                        .syscall = "mlock",
                        .errno_name = "EPERM",
                        .rule = "mlock",
                        .denied = "FAIL EPERM"});
}

TEST(CapabilityFixtures, SendingToAnotherUsersPrivateMessageQueueNeedsIpcOwner) {
  CAPMIN_REQUIRE_ROOT_AND_NAMESPACES();
  // The program has an IPC namespace of its own, as in a container: the
  // queue is one it made and gave to another user (Containment.* shows a
  // queue of the host's is out of its sight).
  expect_needs_exactly({.command = {fixture("sysv_msg_send"), "--own"},
                        .cap = "CAP_IPC_OWNER",
                        .syscall = "msgsnd",
                        .errno_name = "EACCES",
                        .rule = "sysv-ipc-permission",
                        .denied = "FAIL EACCES"});
}

TEST(CapabilityFixtures, ALeaseOnAnotherUsersFileNeedsLease) {
  CAPMIN_REQUIRE_ROOT_AND_NAMESPACES();
  expect_needs_exactly({.command = {fixture("file_lease"), "f"},
                        .setup = "echo x >f && chown 1234:1234 f && chmod 644 f",
                        .cap = "CAP_LEASE",
                        .syscall = "fcntl",
                        .errno_name = "EACCES",
                        .rule = "fcntl-lease-not-owner",
                        .denied = "FAIL EACCES"});
}

TEST(CapabilityFixtures, AttachingToAnotherUsersProcessNeedsSysPtrace) {
  CAPMIN_REQUIRE_ROOT_AND_NAMESPACES();
  REQUIRE_PROGRAM("/usr/bin/setpriv");
  // The target is started by the setup, in the harness's pid namespace: not
  // a descendant of the program, so capmin does not trace it and an attach
  // with the capability succeeds.
  expect_needs_exactly({.command = {fixture("ptrace_attach_pid"), "target.pid"},
                        .setup = kForeignProcess,
                        .cap = "CAP_SYS_PTRACE",
                        .syscall = "ptrace",
                        .errno_name = "EPERM",
                        .rule = "ptrace-attach-other-user",
                        .denied = "FAIL EPERM"});
}

TEST(CapabilityFixtures, SettingAFileCapabilityNeedsSetfcap) {
  CAPMIN_REQUIRE_ROOT_AND_NAMESPACES();
  // The program's own file, not executable: only the attribute is refused.
  expect_needs_exactly({.command = {fixture("set_file_capability"), "f"},
                        .setup = "echo x >f && chmod 644 f",
                        .cap = "CAP_SETFCAP",
                        .syscall = "setxattr",
                        .errno_name = "EPERM",
                        .rule = "xattr-file-capability",
                        .denied = "FAIL EPERM"});
}

TEST(CapabilityFixtures, WritingNsLastPidOfThePrivatePidNamespaceNeedsCheckpointRestore) {
  CAPMIN_REQUIRE_ROOT_AND_NAMESPACES();
  // The harness's pid namespace is the program's: the host's pids are not
  // touched. The open succeeds and the write is refused.
  expect_needs_exactly({.command = {fixture("write_ns_last_pid")},
                        .cap = "CAP_CHECKPOINT_RESTORE",
                        .syscall = "write",
                        .errno_name = "EPERM",
                        .rule = "write-sysctl-next-id",
                        .denied = "FAIL write EPERM"});
}

TEST(CapabilityFixtures, ListeningToNetlinkBroadcastsOfEveryNamespaceNeedsNetBroadcast) {
  CAPMIN_REQUIRE_ROOT_AND_NAMESPACES();
  expect_needs_exactly({.command = {fixture("netlink_listen_all_nsid")},
                        .cap = "CAP_NET_BROADCAST",
                        .syscall = "setsockopt",
                        .errno_name = "EPERM",
                        .rule = "netlink-all-namespaces",
                        .denied = "FAIL EPERM"});
}

TEST(CapabilityFixtures, CreatingABpfArrayMapNeedsBpfWhenUnprivilegedBpfIsDisabled) {
  CAPMIN_REQUIRE_ROOT_AND_NAMESPACES();
  std::ifstream sysctl("/proc/sys/kernel/unprivileged_bpf_disabled");
  int disabled = 0;
  if (!(sysctl >> disabled) || disabled == 0) {
    GTEST_SKIP() << "kernel.unprivileged_bpf_disabled is 0 (or unreadable): an array map "
                    "needs no capability here";
  }
  expect_needs_exactly({.command = {fixture("bpf_array_map")},
                        .cap = "CAP_BPF",
                        .syscall = "bpf",
                        .errno_name = "EPERM",
                        .rule = "bpf-map-create",
                        .denied = "FAIL EPERM"});
}

TEST(CapabilityFixtures, MakingAFileImmutableNeedsLinuxImmutable) {
  CAPMIN_REQUIRE_ROOT_AND_NAMESPACES();
  // The file is in the overlay's upper tmpfs once the ioctl copies it up:
  // tmpfs has kept the immutable flag since Linux 6.0.
  expect_needs_exactly({.command = {fixture("set_immutable"), "f"},
                        .setup = "touch f",
                        .cap = "CAP_LINUX_IMMUTABLE",
                        .syscall = "ioctl",
                        .errno_name = "EPERM",
                        .rule = "chattr-immutable-or-append",
                        .denied = "FAIL EPERM"});
}

TEST(CapabilityFixtures, ATimerOnTheBoottimeAlarmClockNeedsWakeAlarm) {
  CAPMIN_REQUIRE_ROOT_AND_NAMESPACES();
  // As root with every capability: a kernel without alarm timers (no
  // alarm-capable RTC) refuses it whatever the capabilities.
  const int fd = timerfd_create(CLOCK_BOOTTIME_ALARM, TFD_CLOEXEC);
  if (fd < 0 && errno != EPERM) {
    GTEST_SKIP() << "timerfd_create(CLOCK_BOOTTIME_ALARM) fails even as root ("
                 << strerrorname_np(errno) << "): no alarm timers on this kernel";
  }
  if (fd >= 0) {
    close(fd);
  }
  expect_needs_exactly({.command = {fixture("timerfd_alarm")},
                        .cap = "CAP_WAKE_ALARM",
                        .syscall = "timerfd_create",
                        .errno_name = "EPERM",
                        .rule = "wake-alarm-timer",
                        .denied = "FAIL EPERM"});
}

}  // namespace
}  // namespace capmin::e2e
