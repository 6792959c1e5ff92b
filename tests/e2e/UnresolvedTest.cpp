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

TEST(Unresolved, AChmodOfAnImmutableFileIsUnresolvedWhetherByPathOrByDescriptor) {
  CAPMIN_REQUIRE_ROOT_AND_NAMESPACES();
  // The caller owns the file: only the immutable flag refuses the chmod,
  // and no capability a container can be granted lifts it (CAP_LINUX_IMMUTABLE
  // clears the flag, it does not let a chmod through). fchmod's event has
  // the file's owner from the descriptor, as chmod's has it from the path.
  Options o;
  o.setup = "touch file && chattr +i file";
  o.after = "chattr -i file";  // so that the work directory can be removed
  for (const std::vector<std::string>& how :
       {std::vector<std::string>{"file"}, std::vector<std::string>{"file", "fd"}}) {
    std::vector<std::string> command = {fixture("chmod_setgid")};
    command.insert(command.end(), how.begin(), how.end());
    for (const bool probe : {false, true}) {
      const CapminRun r = probe ? profile_probe(command, o) : profile_deny(command, o);
      const DescribeOnFailure described(r);
      const std::string call = how.size() == 2 ? "fchmod" : "chmod";
      EXPECT_EQ(r.status, 1) << call;
      EXPECT_TRUE(r.printed("FAIL EPERM")) << call;
      EXPECT_TRUE(r.caps().empty()) << call << (probe ? " probe" : " deny");
      EXPECT_TRUE(r.unresolved(call, "EPERM")) << call;
    }
  }
}

}  // namespace
}  // namespace capmin::e2e
