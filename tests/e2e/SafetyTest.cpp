// SPDX-License-Identifier: MIT
// What capmin must never do: write through a link the program could have
// planted, lose or leak the user's environment, accept an impossible id, or
// hand the program a capability outside what the mode promises.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "Harness.h"

namespace capmin::e2e {
namespace {

const std::vector<std::string> kLeavesMarker = {"/usr/bin/touch", "marker"};

std::string read(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

TEST(Safety, AReportPathThatIsASymbolicLinkIsRefusedBeforeTheProgramRuns) {
  CAPMIN_REQUIRE_ROOT_AND_NAMESPACES();
  Options o;
  o.report = false;
  o.setup = "echo precious >target && ln -s target report.json";
  const CapminRun r =
      run_capmin({"profile", "--mode", "deny", "-o", "report.json"}, kLeavesMarker, o);
  const DescribeOnFailure described(r);
  EXPECT_EQ(r.status, 125);
  EXPECT_NE(r.err.find("symbolic link"), std::string::npos) << r.err;
  EXPECT_EQ(read(r.workdir + "/target"), "precious\n");
  EXPECT_FALSE(std::filesystem::exists(r.workdir + "/marker"));
}

TEST(Safety, TheReportAndTheProfileCannotGoToTheSameFile) {
  CAPMIN_REQUIRE_ROOT_AND_NAMESPACES();
  Options o;
  o.report = false;
  const CapminRun r = run_capmin({"profile", "--mode", "deny", "-o", "same.out", "-O", "same.out"},
                                 kLeavesMarker, o);
  EXPECT_EQ(r.status, 125);
  EXPECT_NE(r.err.find("same.out"), std::string::npos) << r.err;
  EXPECT_FALSE(std::filesystem::exists(r.workdir + "/marker"));
}

TEST(Safety, AnOutOfRangeUserIdIsRefused) {
  CAPMIN_REQUIRE_ROOT_AND_NAMESPACES();
  const CapminRun r = profile_deny(kLeavesMarker, {}, {"--user", "4294967295"});
  EXPECT_EQ(r.status, 125);
  EXPECT_NE(r.err.find("out of range"), std::string::npos) << r.err;
  EXPECT_FALSE(std::filesystem::exists(r.workdir + "/marker"));
}

TEST(Safety, TheEnvironmentReachesTheProgramAndStaysOutOfTheReport) {
  CAPMIN_REQUIRE_ROOT_AND_NAMESPACES();
  setenv("CAPMIN_TEST_SECRET", "s3cr3t-value", 1);
  const CapminRun r = profile_deny(
      {"/bin/sh", "-c", "echo \"seen:$CAPMIN_TEST_SECRET\"; " + fixture("bind_port") + " 80"});
  unsetenv("CAPMIN_TEST_SECRET");
  const DescribeOnFailure described(r);
  EXPECT_TRUE(r.printed("seen:s3cr3t-value"));
  EXPECT_EQ(r.report.dump().find("s3cr3t-value"), std::string::npos);
}

TEST(Safety, InProbeModeTheEffectiveSetIsEmptyOutsideTheRetries) {
  CAPMIN_REQUIRE_ROOT_AND_NAMESPACES();
  // Before and after a confirmed retry, in the program and in a child it
  // execs: no capability is effective except during the retried call.
  const std::string show = "grep '^CapEff' /proc/self/status";
  const CapminRun r = profile_probe({"/bin/sh", "-c",
                                     show + "; " + fixture("bind_port") + " 80 && " + show +
                                         " && exec " + fixture("show_creds")});
  const DescribeOnFailure described(r);
  EXPECT_EQ(r.status, 0);
  EXPECT_EQ(r.caps(), std::set<std::string>{"CAP_NET_BIND_SERVICE"});
  std::size_t zero_lines = 0;
  std::istringstream out(r.out);
  std::string line;
  while (std::getline(out, line)) {
    if (line.rfind("CapEff", 0) == 0) {
      EXPECT_NE(line.find("0000000000000000"), std::string::npos) << line;
      ++zero_lines;
    }
  }
  EXPECT_GE(zero_lines, 3u);  // the shell twice, show_creds once
}

}  // namespace
}  // namespace capmin::e2e
