// SPDX-License-Identifier: MIT
// Every process and thread the program creates is followed to the end,
// however it is created and however long it outlives its parent.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "Harness.h"

namespace capmin::e2e {
namespace {

using Caps = std::set<std::string>;

std::string file_in(const CapminRun& r, const std::string& name) {
  std::ifstream in(r.workdir + "/" + name);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

TEST(ProcessTree, ADaemonThatDoubleForksIsFollowedAfterItsParentsExit) {
  CAPMIN_REQUIRE_ROOT_AND_NAMESPACES();
  const CapminRun r = profile_deny({fixture("daemonize")}, {.write_through = true});
  const DescribeOnFailure described(r);
  EXPECT_EQ(r.status, 0);
  EXPECT_EQ(file_in(r, "daemon.out"), "FAIL EACCES\n");
  EXPECT_EQ(r.caps(), Caps{"CAP_NET_BIND_SERVICE"});
}

TEST(ProcessTree, AnExecveFromASecondThreadIsFollowed) {
  CAPMIN_REQUIRE_ROOT_AND_NAMESPACES();
  const CapminRun r = profile_deny({fixture("exec_from_thread"), fixture("bind_port"), "80"});
  const DescribeOnFailure described(r);
  EXPECT_EQ(r.status, 1);  // bind_port's own status
  EXPECT_TRUE(r.printed("FAIL EACCES"));
  EXPECT_EQ(r.caps(), Caps{"CAP_NET_BIND_SERVICE"});
  const auto e = r.evidence("CAP_NET_BIND_SERVICE");
  ASSERT_EQ(e.size(), 1u);
  EXPECT_EQ(e[0]["exe"], fixture("bind_port"));
}

TEST(ProcessTree, AVforkedChildIsFollowed) {
  CAPMIN_REQUIRE_ROOT_AND_NAMESPACES();
  const CapminRun r = profile_deny({fixture("vfork_exec"), fixture("bind_port"), "80"});
  const DescribeOnFailure described(r);
  EXPECT_EQ(r.status, 1);
  EXPECT_EQ(r.caps(), Caps{"CAP_NET_BIND_SERVICE"});
}

TEST(ProcessTree, AThousandShortLivedProcessesAreAllCounted) {
  CAPMIN_REQUIRE_ROOT_AND_NAMESPACES();
  const CapminRun r = profile_deny({fixture("many_processes"), "1000"});
  const DescribeOnFailure described(r);
  EXPECT_EQ(r.status, 0);
  EXPECT_TRUE(r.printed("refused 1000"));
  EXPECT_EQ(r.caps(), Caps{"CAP_CHOWN"});
  EXPECT_EQ(r.refusal_count("CAP_CHOWN"), 1000u);
}

TEST(ProcessTree, SixtyFourThreadsRefusedInALoopLoseNoEvent) {
  CAPMIN_REQUIRE_ROOT_AND_NAMESPACES();
  // One more thread exits at once while the others are being refused.
  const CapminRun r = profile_deny({fixture("many_threads"), "64", "50"});
  const DescribeOnFailure described(r);
  EXPECT_EQ(r.status, 0);
  EXPECT_TRUE(r.printed("refused 3200"));
  EXPECT_EQ(r.caps(), Caps{"CAP_NET_BIND_SERVICE"});
  EXPECT_EQ(r.refusal_count("CAP_NET_BIND_SERVICE"), 3200u);
}

TEST(ProcessTree, SixtyFourThreadsInProbeModeAreEachConfirmed) {
  CAPMIN_REQUIRE_ROOT_AND_NAMESPACES();
  const CapminRun r = run_capmin({"profile", "--mode", "probe", "--no-minimal"},
                                 {fixture("many_threads"), "64", "20"});
  const DescribeOnFailure described(r);
  EXPECT_EQ(r.status, 0);
  EXPECT_TRUE(r.printed("refused 0"));  // every retry succeeded
  EXPECT_EQ(r.caps(), Caps{"CAP_NET_BIND_SERVICE"});
  EXPECT_EQ(r.confidence("CAP_NET_BIND_SERVICE"), "confirmed");
  // Each thread is refused once: the retry leaves the capability raised in
  // that thread, so its other 19 binds succeed without a refusal.
  EXPECT_EQ(r.refusal_count("CAP_NET_BIND_SERVICE"), 64u);
}

TEST(ProcessTree, AProgramThatUsesPtraceItselfGetsAClearRefusalNotAHang) {
  CAPMIN_REQUIRE_ROOT_AND_NAMESPACES();
  if (access("/usr/bin/strace", X_OK) != 0) {
    GTEST_SKIP() << "strace is not installed";
  }
  // The kernel allows one tracer: strace's attach to its own child is
  // refused, and the report says so instead of capmin waiting forever.
  const CapminRun r = profile_deny({"/usr/bin/strace", "-f", "-o", "/dev/null", "/bin/true"});
  const DescribeOnFailure described(r);
  EXPECT_NE(r.status, 0);
  EXPECT_TRUE(r.caps().empty());
  EXPECT_TRUE(r.unresolved("ptrace", "EPERM"));
}

}  // namespace
}  // namespace capmin::e2e
