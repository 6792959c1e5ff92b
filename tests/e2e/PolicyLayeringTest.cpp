// SPDX-License-Identifier: MIT
// --policy FILE layers a user's rules over the built-in ones: consulted first,
// and a rule with a built-in rule's id replaces it.
#include <gtest/gtest.h>

#include "Harness.h"

namespace capmin::e2e {
namespace {

using Caps = std::set<std::string>;

std::string write_file(const std::string& file, const std::string& text) {
  return "cat >" + file + " <<'CAPMIN_EOF'\n" + text + "CAPMIN_EOF\n";
}

TEST(PolicyLayering, AUserRuleExplainsARefusalTheBuiltInRulesLeaveUnresolved) {
  CAPMIN_REQUIRE_ROOT_AND_NAMESPACES();
  const std::vector<std::string> command = {fixture("link_dir"), "dir", "alias"};
  const CapminRun plain = profile_deny(command, {.setup = "mkdir dir"});
  const DescribeOnFailure described_plain(plain);
  // Built in, no capability explains it (FileCapabilities checks that it is
  // listed as unresolved once a built-in rule watches link()).
  ASSERT_TRUE(plain.printed("FAIL EPERM"));
  ASSERT_EQ(plain.caps(), Caps{});

  // Wrong as kernel fact, but it is the user's to say: the test is that it is heard.
  const std::string rules =
      "rules:\n"
      "  - id: user-link-directory\n"
      "    syscalls: [link, linkat]\n"
      "    errno: EPERM\n"
      "    when:\n"
      "      file.type: dir\n"
      "    candidates: [CAP_FOWNER]\n"
      "    reason: the user says so\n";
  const CapminRun layered =
      profile_deny(command, {.setup = "mkdir dir && " + write_file("user.yaml", rules)},
                   {"--policy", "user.yaml"});
  const DescribeOnFailure described_layered(layered);
  EXPECT_EQ(layered.status, 1);
  EXPECT_EQ(layered.caps(), Caps{"CAP_FOWNER"});
  EXPECT_EQ(layered.confidence("CAP_FOWNER"), "inferred");
  const auto evidence = layered.evidence("CAP_FOWNER");
  ASSERT_EQ(evidence.size(), 1u);
  EXPECT_EQ(evidence[0]["syscall"], "link");
  EXPECT_EQ(evidence[0]["rule"], "user-link-directory");
  EXPECT_FALSE(layered.unresolved("link", "EPERM"));
}

TEST(PolicyLayering, AUserRuleWithABuiltInRulesIdReplacesIt) {
  CAPMIN_REQUIRE_ROOT_AND_NAMESPACES();
  const std::vector<std::string> command = {fixture("bind_port"), "80"};
  const CapminRun plain = profile_deny(command);
  const DescribeOnFailure described_plain(plain);
  ASSERT_EQ(plain.caps(), Caps{"CAP_NET_BIND_SERVICE"});
  const auto evidence = plain.evidence("CAP_NET_BIND_SERVICE");
  ASSERT_EQ(evidence.size(), 1u);
  ASSERT_TRUE(evidence[0].contains("rule"));
  const std::string id = evidence[0]["rule"].get<std::string>();

  // A user whose network sets net.ipv4.ip_unprivileged_port_start=0.
  const std::string rules =
      "rules:\n"
      "  - id: " +
      id +
      "\n"
      "    syscalls: [bind]\n"
      "    errno: EACCES\n"
      "    candidates: []\n"
      "    reason: our network lets any user bind any port\n";
  const CapminRun layered =
      profile_deny(command, {.setup = write_file("user.yaml", rules)}, {"--policy", "user.yaml"});
  const DescribeOnFailure described_layered(layered);
  EXPECT_EQ(layered.status, 1);
  ASSERT_TRUE(layered.report.is_object());
  EXPECT_EQ(layered.caps(), Caps{});
  const auto unresolved = layered.unresolved_entries();
  ASSERT_EQ(unresolved.size(), 1u);
  EXPECT_EQ(unresolved[0]["syscall"], "bind");
  EXPECT_EQ(unresolved[0]["errno"], "EACCES");
  EXPECT_EQ(unresolved[0]["reason"], "our network lets any user bind any port");
}

}  // namespace
}  // namespace capmin::e2e
