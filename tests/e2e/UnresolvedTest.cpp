// SPDX-License-Identifier: MIT
// Refusals no rule explains: reported as unresolved, never guessed into a
// capability.
#include <gtest/gtest.h>

#include "Harness.h"

namespace capmin::e2e {
namespace {

TEST(Unresolved, ARefusalNoRuleExplainsIsListedAndGivesNoCapability) {
  CAPMIN_REQUIRE_ROOT_AND_NAMESPACES();
  Options o;
  o.setup = "mkdir noexec && mount -t tmpfs -o noexec tmpfs noexec && echo x >noexec/lib.so";
  // Without the filter every call stops, so a call no rule names is seen.
  const CapminRun r = profile_deny({fixture("mmap_exec"), "noexec/lib.so"}, o, {"--no-seccomp"});
  const DescribeOnFailure described(r);
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.out.find("FAIL EPERM"), std::string::npos);
  EXPECT_TRUE(r.caps().empty());
  ASSERT_TRUE(r.unresolved("mmap", "EPERM"));
  for (const auto& u : r.report["unresolved"]) {
    if (u["syscall"] == "mmap") {
      EXPECT_EQ(u["reason"], "no rule explains this refusal");
    }
  }
}

TEST(Unresolved, WithTheFilterACallNoRuleNamesIsNotEvenStopped) {
  CAPMIN_REQUIRE_ROOT_AND_NAMESPACES();
  Options o;
  o.setup = "mkdir noexec && mount -t tmpfs -o noexec tmpfs noexec && echo x >noexec/lib.so";
  const CapminRun r = profile_deny({fixture("mmap_exec"), "noexec/lib.so"}, o);
  const DescribeOnFailure described(r);
  EXPECT_EQ(r.status, 1);
  EXPECT_TRUE(r.caps().empty());
  EXPECT_FALSE(r.unresolved("mmap", "EPERM"));
}

}  // namespace
}  // namespace capmin::e2e
