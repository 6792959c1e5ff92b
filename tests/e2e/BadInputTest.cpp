// SPDX-License-Identifier: MIT
// Mistakes on the command line or in a rule file stop capmin with status 125
// and one line saying what is wrong, before the command runs.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <regex>

#include "Harness.h"

namespace capmin::e2e {
namespace {

// The command every test would run: it leaves a marker if it ran.
const std::vector<std::string> kLeavesMarker = {"/usr/bin/touch", "marker"};

void expect_refused_before_running(const CapminRun& r, const std::string& mentioned) {
  EXPECT_EQ(r.status, 125);
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1);
  EXPECT_EQ(r.err.rfind("capmin: error: ", 0), 0u);
  EXPECT_NE(r.err.find(mentioned), std::string::npos);
  EXPECT_FALSE(std::filesystem::exists(r.workdir + "/marker"))
      << "the command ran although capmin refused its input";
}

// Writes FILE with TEXT in the work directory, from the setup snippet.
std::string write_file(const std::string& file, const std::string& text) {
  return "cat >" + file + " <<'CAPMIN_EOF'\n" + text + "CAPMIN_EOF\n";
}

TEST(BadInput, AnUnknownModeIsRefused) {
  CAPMIN_REQUIRE_ROOT_AND_NAMESPACES();
  const CapminRun r = run_capmin({"profile", "--mode", "sideways"}, kLeavesMarker);
  const DescribeOnFailure described_r(r);
  expect_refused_before_running(r, "sideways");
}

TEST(BadInput, AnUnknownOutputFormatIsRefused) {
  CAPMIN_REQUIRE_ROOT_AND_NAMESPACES();
  const CapminRun r = profile_deny(kLeavesMarker, {}, {"-f", "yaml"});
  const DescribeOnFailure described_r(r);
  expect_refused_before_running(r, "yaml");
}

TEST(BadInput, AnUnknownUserIsRefused) {
  CAPMIN_REQUIRE_ROOT_AND_NAMESPACES();
  const CapminRun r = profile_deny(kLeavesMarker, {}, {"--user", "capmin-no-such-user"});
  const DescribeOnFailure described_r(r);
  expect_refused_before_running(r, "capmin-no-such-user");
}

TEST(BadInput, AnUnknownGroupIsRefused) {
  CAPMIN_REQUIRE_ROOT_AND_NAMESPACES();
  const CapminRun r = profile_deny(kLeavesMarker, {}, {"--user", "1000:capmin-no-such-group"});
  const DescribeOnFailure described_r(r);
  expect_refused_before_running(r, "capmin-no-such-group");
}

TEST(BadInput, APolicyFileThatIsNotYamlIsRefusedWithItsPosition) {
  CAPMIN_REQUIRE_ROOT_AND_NAMESPACES();
  const std::string broken =
      "rules:\n"
      "  - id: broken\n"
      "    syscalls: [bind\n"
      "    errno: EACCES\n";
  const CapminRun r = profile_deny(kLeavesMarker, {.setup = write_file("broken.yaml", broken)},
                                   {"--policy", "broken.yaml"});
  const DescribeOnFailure described_r(r);
  expect_refused_before_running(r, "broken.yaml");
  EXPECT_TRUE(std::regex_search(r.err, std::regex(R"(broken\.yaml:[0-9]+:[0-9]+: )")))
      << "no file:line:column in " << r.err;
}

TEST(BadInput, AMisspelledCapabilityInAPolicyIsRefusedWithItsPositionAndAHint) {
  CAPMIN_REQUIRE_ROOT_AND_NAMESPACES();
  const std::string typo =
      "rules:\n"
      "  - id: typo\n"
      "    syscalls: [bind]\n"
      "    errno: EACCES\n"
      "    candidates: [CAP_NET_BIND_SERVIC]\n"
      "    reason: a misspelled capability\n";
  const CapminRun r = profile_deny(kLeavesMarker, {.setup = write_file("typo.yaml", typo)},
                                   {"--policy", "typo.yaml"});
  const DescribeOnFailure described_r(r);
  // Line 5, column 18: where CAP_NET_BIND_SERVIC starts.
  expect_refused_before_running(r, "typo.yaml:5:18");
  EXPECT_NE(r.err.find("CAP_NET_BIND_SERVICE"), std::string::npos) << "no hint in " << r.err;
}

TEST(BadInput, AMissingPolicyFileIsRefused) {
  CAPMIN_REQUIRE_ROOT_AND_NAMESPACES();
  const CapminRun r = profile_deny(kLeavesMarker, {}, {"--policy", "no-such-rules.yaml"});
  const DescribeOnFailure described_r(r);
  expect_refused_before_running(r, "no-such-rules.yaml");
}

TEST(BadInput, AReportPathThatCannotBeWrittenIsRefused) {
  CAPMIN_REQUIRE_ROOT_AND_NAMESPACES();
  const CapminRun r = profile_deny(kLeavesMarker, {.setup = "", .report = false},
                                   {"-o", "missing-dir/report.json"});
  const DescribeOnFailure described_r(r);
  expect_refused_before_running(r, "missing-dir/report.json");
}

TEST(BadInput, NoCommandIsRefused) {
  CAPMIN_REQUIRE_ROOT_AND_NAMESPACES();
  const CapminRun r = run_capmin({"profile", "--mode", "deny"}, {});
  const DescribeOnFailure described_r(r);
  EXPECT_EQ(r.status, 125);
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1);
}

}  // namespace
}  // namespace capmin::e2e
