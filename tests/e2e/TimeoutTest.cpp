// SPDX-License-Identifier: MIT
// --timeout ends the program capmin started (SIGTERM, SIGKILL after the
// grace), through a pidfd of it: never a process that took its pid, and
// never the children it started, which are left to end as they would.
#include <gtest/gtest.h>

#include <chrono>

#include "Harness.h"
#include "RobustnessHelpers.h"

namespace capmin::e2e {
namespace {

using Caps = std::set<std::string>;
using std::chrono::seconds;
using std::chrono::steady_clock;

TEST(Timeout, EndsATracedProgramAndFollowsTheChildItLeftToItsEnd) {
  CAPMIN_REQUIRE_ROOT_AND_NAMESPACES();
  // The shell gets SIGTERM at 1 s; its child was not signalled, outlives
  // it, and is still traced: its refusal after the timeout is in the report.
  const auto start = steady_clock::now();
  const CapminRun r = profile_deny(
      {"/bin/sh", "-c", "( sleep 2; " + fixture("bind_port") + " 80 >child.out ) & wait"},
      {.write_through = true}, {"--timeout", "1"});
  const auto took = steady_clock::now() - start;
  const DescribeOnFailure described(r);
  EXPECT_EQ(r.status, 143);  // the shell's own end: SIGTERM
  ASSERT_TRUE(r.report.is_object());
  EXPECT_EQ(r.report["exit"]["stopped_by"], "timeout");
  EXPECT_EQ(file_in(r, "child.out"), "FAIL EACCES\n");
  EXPECT_EQ(r.caps(), Caps{"CAP_NET_BIND_SERVICE"});
  EXPECT_GE(took, seconds(2));
  EXPECT_LT(took, seconds(30));
}

TEST(Timeout, EndsAVerifiedRunWhenTheProgramLeftAChildRunning) {
  CAPMIN_REQUIRE_ROOT_AND_NAMESPACES();
  // Untraced, the run is the program alone: it ends when the program does,
  // whatever its child still does.
  const auto start = steady_clock::now();
  const CapminRun r = run_capmin({"verify", "--caps", "none", "--timeout", "1"},
                                 {"/bin/sh", "-c", "sleep 30 & wait"}, {.report = false});
  const auto took = steady_clock::now() - start;
  const DescribeOnFailure described(r);
  EXPECT_EQ(r.status, 0);
  EXPECT_NE(r.out.find("passed  (still running at the timeout (stopped))"), std::string::npos);
  EXPECT_LT(took, seconds(15));
}

TEST(Timeout, KillsATracedProgramThatIgnoresSigtermAfterTheGrace) {
  CAPMIN_REQUIRE_ROOT_AND_NAMESPACES();
  // Its own loop, so that SIGKILL leaves no long-lived child to follow.
  const CapminRun r = profile_deny({"/bin/sh", "-c", "trap '' TERM; while :; do sleep 0.1; done"},
                                   {}, {"--timeout", "1"});
  const DescribeOnFailure described(r);
  EXPECT_EQ(r.status, 137);  // SIGKILL, 2 s after SIGTERM
  ASSERT_TRUE(r.report.is_object());
  EXPECT_EQ(r.report["exit"]["stopped_by"], "timeout");
}

}  // namespace
}  // namespace capmin::e2e
