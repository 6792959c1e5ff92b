// SPDX-License-Identifier: MIT
// Calls whose effect no namespace of the run would hold (the clock, kernel
// modules, swap, reboot, the kernel log): probe mode does not retry them,
// and no later run is granted a capability only they need, unless
// --probe-unsafe says so. The fixture makes each so that it would change
// nothing even if allowed, so that a failure of this test cannot touch the
// machine either.
#include "Harness.h"

namespace capmin::e2e {
namespace {

using Caps = std::set<std::string>;

const Caps kHostWide = {"CAP_SYS_ADMIN", "CAP_SYS_BOOT", "CAP_SYS_TIME", "CAP_SYSLOG"};

TEST(HostWide, ProbeModeInfersThemWithoutRetryingAndLeavesThemUntested) {
  CAPMIN_REQUIRE_ROOT_AND_NAMESPACES();
  const CapminRun r = profile_probe({fixture("host_wide_calls")}, {.minimal = true});
  const DescribeOnFailure described(r);
  EXPECT_EQ(r.status, 1);
  for (const char* call : {"settimeofday EPERM", "swapoff EPERM", "reboot EPERM", "syslog EPERM"}) {
    EXPECT_TRUE(r.printed(call)) << call;  // refused, and never allowed
  }
  EXPECT_EQ(r.caps(), kHostWide);
  for (const std::string& cap : kHostWide) {
    EXPECT_EQ(r.confidence(cap), "inferred") << cap;
    for (const nlohmann::json& e : r.evidence(cap)) {
      EXPECT_NE(e["note"].get<std::string>().find("not retried: allowed, it would change "),
                std::string::npos)
          << e;
    }
  }
  // The program failed without them, and no run may grant them: unproven.
  const nlohmann::json& minimal = r.report["minimal"];
  EXPECT_FALSE(minimal["proven"].get<bool>());
  EXPECT_EQ(minimal["untestable"].size(), kHostWide.size());
  EXPECT_TRUE(
      r.printed("    note:  needed? not tested: granted, it would let the program change "
                "the system clock for the whole machine (--probe-unsafe tests it); the clock is "
                "shared by every container on the host"));
}

TEST(HostWide, ProbeUnsafeRetriesThem) {
  CAPMIN_REQUIRE_ROOT_AND_NAMESPACES();
  const CapminRun r = profile_probe({fixture("host_wide_calls")}, {}, {"--probe-unsafe"});
  const DescribeOnFailure described(r);
  EXPECT_EQ(r.status, 0);
  // Allowed, each failed for its harmless argument instead.
  for (const char* call : {"settimeofday ok", "swapoff ENOENT", "reboot EINVAL", "syslog EINVAL"}) {
    EXPECT_TRUE(r.printed(call)) << call;
  }
  EXPECT_EQ(r.caps(), kHostWide);
  for (const std::string& cap : kHostWide) {
    EXPECT_EQ(r.confidence(cap), "confirmed") << cap;
  }
}

TEST(HostWide, DenyIterateGrantsThemInNoLaterRound) {
  CAPMIN_REQUIRE_ROOT_AND_NAMESPACES();
  const CapminRun r = profile_deny({fixture("host_wide_calls")}, {}, {"--iterate"});
  const DescribeOnFailure described(r);
  EXPECT_EQ(r.status, 1);
  EXPECT_EQ(r.caps(), kHostWide);
  // Nothing found that a later round could be granted: one round.
  ASSERT_EQ(r.report["rounds"].size(), 1u) << r.report["rounds"];
  EXPECT_TRUE(r.report["rounds"][0]["found"].empty());
  EXPECT_FALSE(r.printed("settimeofday ok"));
}

TEST(HostWide, VerifyAfterAProfileDoesNotGrantThem) {
  CAPMIN_REQUIRE_ROOT_AND_NAMESPACES();
  const CapminRun r = profile_probe({fixture("host_wide_calls")}, {}, {"--verify"});
  const DescribeOnFailure described(r);
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(
      r.report["verification"]["summary"].get<std::string>().find("could not run: granted CAP_"),
      std::string::npos)
      << r.report["verification"];
  EXPECT_FALSE(r.printed("settimeofday ok"));
}

}  // namespace
}  // namespace capmin::e2e
