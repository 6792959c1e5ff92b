// SPDX-License-Identifier: MIT
// Refusals about identity, signals and the process's view of the system:
// setuid/setgid/setgroups, kill, chroot, mount.
#include <gtest/gtest.h>

#include "Harness.h"

namespace capmin::e2e {
namespace {

using Caps = std::set<std::string>;

const std::string kForeignProcess = foreign_process_setup("victim.pid");

// Runs a fixture that makes one refused call and checks the one capability
// inferred for it, with its evidence.
void expect_single_capability(const CapminRun& r, const std::string& cap,
                              const std::string& syscall) {
  const DescribeOnFailure described(r);
  EXPECT_TRUE(r.printed("FAIL EPERM"));
  EXPECT_EQ(r.status, 1);
  EXPECT_EQ(r.caps(), Caps{cap});
  EXPECT_EQ(r.confidence(cap), "inferred");
  const auto evidence = r.evidence(cap);
  ASSERT_EQ(evidence.size(), 1u);
  EXPECT_EQ(evidence[0]["syscall"], syscall);
  EXPECT_EQ(evidence[0]["errno"], "EPERM");
  EXPECT_TRUE(r.unresolved_entries().empty());
}

TEST(ProcessCapabilities, ChangingToAnotherUidNeedsSetuid) {
  CAPMIN_REQUIRE_ROOT_AND_NAMESPACES();
  expect_single_capability(profile_deny({fixture("set_uid"), "1000"}), "CAP_SETUID", "setuid");
}

TEST(ProcessCapabilities, ChangingToAnotherGidNeedsSetgid) {
  CAPMIN_REQUIRE_ROOT_AND_NAMESPACES();
  expect_single_capability(profile_deny({fixture("set_gid"), "1000"}), "CAP_SETGID", "setgid");
}

TEST(ProcessCapabilities, SettingSupplementaryGroupsNeedsSetgid) {
  CAPMIN_REQUIRE_ROOT_AND_NAMESPACES();
  expect_single_capability(profile_deny({fixture("set_groups")}), "CAP_SETGID", "setgroups");
}

TEST(ProcessCapabilities, CheckingWhetherAnotherUsersProcessCanBeSignalledNeedsKill) {
  CAPMIN_REQUIRE_ROOT_AND_NAMESPACES();
  // Signal 0 sends nothing, but the kernel checks the permission all the same.
  const CapminRun r =
      profile_deny({fixture("kill_pid"), "victim.pid", "0"}, {.setup = kForeignProcess});
  expect_single_capability(r, "CAP_KILL", "kill");
}

TEST(ProcessCapabilities, SignallingAnotherUsersProcessNeedsKill) {
  CAPMIN_REQUIRE_ROOT_AND_NAMESPACES();
  const CapminRun r =
      profile_deny({fixture("kill_pid"), "victim.pid", "15"}, {.setup = kForeignProcess});
  expect_single_capability(r, "CAP_KILL", "kill");
}

TEST(ProcessCapabilities, ChangingTheRootDirectoryNeedsSysChroot) {
  CAPMIN_REQUIRE_ROOT_AND_NAMESPACES();
  expect_single_capability(profile_deny({fixture("chroot_dir"), "."}), "CAP_SYS_CHROOT", "chroot");
}

TEST(ProcessCapabilities, MountingATmpfsNeedsSysAdmin) {
  CAPMIN_REQUIRE_ROOT_AND_NAMESPACES();
  const CapminRun r = profile_deny({fixture("mount_tmpfs"), "mnt"}, {.setup = "mkdir mnt"});
  expect_single_capability(r, "CAP_SYS_ADMIN", "mount");
}

}  // namespace
}  // namespace capmin::e2e
