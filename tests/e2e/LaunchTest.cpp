// SPDX-License-Identifier: MIT
// What the traced program starts with: exactly docker run --cap-drop=ALL.
#include <gtest/gtest.h>
#include <pwd.h>

#include "Harness.h"

namespace capmin::e2e {
namespace {

using Caps = std::set<std::string>;

constexpr const char* kNoCapabilities = "0000000000000000";

void expect_every_capability_set_empty(const CapminRun& r) {
  for (const char* set : {"CapInh", "CapPrm", "CapEff", "CapBnd", "CapAmb"}) {
    EXPECT_TRUE(r.printed(std::string(set) + ":\t" + kNoCapabilities)) << set << " is not empty\n";
  }
}

TEST(Launch, AllFiveCapabilitySetsAreEmptyInTheProgram) {
  CAPMIN_REQUIRE_ROOT_AND_NAMESPACES();
  const CapminRun r = profile_deny({fixture("show_creds")});
  const DescribeOnFailure described_r(r);
  ASSERT_TRUE(r.printed("OK"));
  EXPECT_EQ(r.status, 0);
  expect_every_capability_set_empty(r);
  EXPECT_EQ(r.caps(), Caps{});
}

TEST(Launch, TheProgramRunsAsRootByDefault) {
  CAPMIN_REQUIRE_ROOT_AND_NAMESPACES();
  const CapminRun r = profile_deny({fixture("show_creds")});
  const DescribeOnFailure described_r(r);
  ASSERT_TRUE(r.printed("OK"));
  EXPECT_TRUE(r.printed("Uid:\t0 0"));
  EXPECT_TRUE(r.printed("Gid:\t0 0"));
  ASSERT_TRUE(r.report.is_object());
  EXPECT_EQ(r.report["user"]["uid"], 0);
  EXPECT_EQ(r.report["user"]["gid"], 0);
}

TEST(Launch, NoNewPrivsIsOffAndSecurebitsAreClear) {
  CAPMIN_REQUIRE_ROOT_AND_NAMESPACES();
  // Docker sets neither unless asked (--security-opt no-new-privileges): a
  // set-uid or file-capability program must behave as it would there.
  const CapminRun r = profile_deny({fixture("show_creds")});
  const DescribeOnFailure described_r(r);
  ASSERT_TRUE(r.printed("OK"));
  EXPECT_TRUE(r.printed("NoNewPrivs:\t0"));
  EXPECT_TRUE(r.printed("Securebits:\t0"));
}

TEST(Launch, WithUserTheProgramHasThatUidAndGidAndNoSupplementaryGroups) {
  CAPMIN_REQUIRE_ROOT_AND_NAMESPACES();
  const CapminRun r = profile_deny({fixture("show_creds")}, {}, {"--user", "1000:1000"});
  const DescribeOnFailure described_r(r);
  ASSERT_TRUE(r.printed("OK"));
  EXPECT_EQ(r.status, 0);
  EXPECT_TRUE(r.printed("Uid:\t1000 1000"));
  EXPECT_TRUE(r.printed("Gid:\t1000 1000"));
  EXPECT_TRUE(r.printed("Groups:\t0"));
  expect_every_capability_set_empty(r);
  EXPECT_TRUE(r.printed("NoNewPrivs:\t0"));
  EXPECT_TRUE(r.printed("Securebits:\t0"));
  ASSERT_TRUE(r.report.is_object());
  EXPECT_EQ(r.report["user"]["uid"], 1000);
  EXPECT_EQ(r.report["user"]["gid"], 1000);
  EXPECT_EQ(r.caps(), Caps{});
}

TEST(Launch, WithAUserNameTheProgramGetsThatUsersPrimaryGroup) {
  CAPMIN_REQUIRE_ROOT_AND_NAMESPACES();
  const passwd* nobody = getpwnam("nobody");
  if (nobody == nullptr) {
    GTEST_SKIP() << "no user 'nobody' in /etc/passwd";
  }
  const std::string uid = std::to_string(nobody->pw_uid);
  const std::string gid = std::to_string(nobody->pw_gid);
  const CapminRun r = profile_deny({fixture("show_creds")}, {}, {"--user", "nobody"});
  const DescribeOnFailure described_r(r);
  ASSERT_TRUE(r.printed("OK"));
  EXPECT_TRUE(r.printed("Uid:\t" + uid + " " + uid));
  EXPECT_TRUE(r.printed("Gid:\t" + gid + " " + gid));
  EXPECT_TRUE(r.printed("Groups:\t0"));
  expect_every_capability_set_empty(r);
}

TEST(Launch, WithAUidThatHasNoPasswdEntryTheGidIsZeroAsInDocker) {
  CAPMIN_REQUIRE_ROOT_AND_NAMESPACES();
  constexpr uid_t kStranger = 43210;
  if (getpwuid(kStranger) != nullptr) {
    GTEST_SKIP() << "uid " << kStranger << " has a passwd entry on this machine";
  }
  const CapminRun r = profile_deny({fixture("show_creds")}, {}, {"--user", "43210"});
  const DescribeOnFailure described_r(r);
  ASSERT_TRUE(r.printed("OK"));
  EXPECT_TRUE(r.printed("Uid:\t43210 43210"));
  EXPECT_TRUE(r.printed("Gid:\t0 0"));
  EXPECT_TRUE(r.printed("Groups:\t0"));
  expect_every_capability_set_empty(r);
}

}  // namespace
}  // namespace capmin::e2e
