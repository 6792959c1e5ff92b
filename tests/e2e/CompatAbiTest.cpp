// SPDX-License-Identifier: MIT
// System calls a 64-bit program makes through the 32-bit ABI (int $0x80):
// they run as without capmin, and their refusals are traced and decoded as
// the native call of the same layout.
#include <gtest/gtest.h>

#include <cstdlib>

#include "Harness.h"

namespace capmin::e2e {
namespace {

// The kernel may be built or booted without IA32 emulation; then int $0x80
// faults with or without capmin, and there is nothing to test.
bool kernel_runs_32bit_calls() {
  const std::string cmd = fixture("int80_chown") + " --getpid-only >/dev/null 2>&1";
  return std::system(cmd.c_str()) == 0;
}

#define REQUIRE_32BIT_CALLS()                                                        \
  do {                                                                               \
    CAPMIN_REQUIRE_ROOT_AND_NAMESPACES();                                            \
    if (!kernel_runs_32bit_calls()) {                                                \
      GTEST_SKIP() << "this kernel runs no 32-bit system calls (no IA32 emulation)"; \
    }                                                                                \
  } while (0)

TEST(CompatAbi, A32BitCallRunsAsWithoutCapmin) {
  REQUIRE_32BIT_CALLS();
  for (const char* mode : {"deny", "probe"}) {
    const CapminRun r = run_capmin({"profile", "--mode", mode, "--no-minimal"},
                                   {fixture("int80_chown"), "--getpid-only"});
    const DescribeOnFailure described(r);
    // Before, the filter's default for another ABI killed it with SIGSYS (159).
    EXPECT_EQ(r.status, 0) << mode;
    EXPECT_TRUE(r.printed("OK")) << mode;
    EXPECT_TRUE(r.caps().empty()) << mode;
  }
}

TEST(CompatAbi, ARefusedChown32IsChownInDenyMode) {
  REQUIRE_32BIT_CALLS();
  Options o;
  o.setup = "touch f";
  const CapminRun r = profile_deny({fixture("int80_chown"), "f"}, o);
  const DescribeOnFailure described(r);
  EXPECT_EQ(r.status, 1);  // the program's own: its chown32 was refused
  EXPECT_TRUE(r.printed("FAIL 1"));
  EXPECT_EQ(r.caps(), (std::set<std::string>{"CAP_CHOWN"}));
  EXPECT_EQ(r.confidence("CAP_CHOWN"), "inferred");
  const auto evidence = r.evidence("CAP_CHOWN");
  ASSERT_EQ(evidence.size(), 1u);
  EXPECT_EQ(evidence[0]["syscall"], "chown32");
  EXPECT_EQ(evidence[0]["abi"], "i386");
  EXPECT_NE(evidence[0]["args"].get<std::string>().find("uid=1234"), std::string::npos);
}

TEST(CompatAbi, ARefusedChown32IsChownInProbeModeWithoutARetry) {
  REQUIRE_32BIT_CALLS();
  Options o;
  o.setup = "touch f";
  const CapminRun r = profile_probe({fixture("int80_chown"), "f"}, o);
  const DescribeOnFailure described(r);
  EXPECT_EQ(r.status, 1);
  EXPECT_EQ(r.caps(), (std::set<std::string>{"CAP_CHOWN"}));
  // capmin cannot hand a 64-bit program's 32-bit call memory below 4 GiB to
  // inject into: the refusal stands, inferred from the rule table.
  EXPECT_EQ(r.confidence("CAP_CHOWN"), "inferred");
  const auto evidence = r.evidence("CAP_CHOWN");
  ASSERT_EQ(evidence.size(), 1u);
  EXPECT_NE(evidence[0]["note"].get<std::string>().find("32-bit system call"), std::string::npos);
}

}  // namespace
}  // namespace capmin::e2e
