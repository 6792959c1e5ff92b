// SPDX-License-Identifier: MIT
// capmin exits with the program's own status, 128+N when a signal killed it,
// and 126/127 when the program cannot be run at all, as docker run does.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>

#include "Harness.h"

namespace capmin::e2e {
namespace {

// capmin's error output is one line naming what went wrong.
void expect_one_line_naming(const CapminRun& r, const std::string& what) {
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1);
  EXPECT_NE(r.err.find(what), std::string::npos);
}

TEST(ExitStatus, TheProgramsExitCodeIsCapminsExitCode) {
  CAPMIN_REQUIRE_ROOT_AND_NAMESPACES();
  const CapminRun r = profile_deny({fixture("exit_with"), "42"});
  const DescribeOnFailure described_r(r);
  EXPECT_EQ(r.status, 42);
  ASSERT_TRUE(r.report.is_object()) << "the report is written whatever the program's status\n";
  EXPECT_EQ(r.report["exit"]["code"], 42);
  EXPECT_TRUE(r.report["exit"]["signal"].is_null());
}

TEST(ExitStatus, AProgramKilledBySigsegvGives139) {
  CAPMIN_REQUIRE_ROOT_AND_NAMESPACES();
  const CapminRun r = profile_deny({fixture("die_by_signal"), "segv"});
  const DescribeOnFailure described_r(r);
  EXPECT_EQ(r.status, 128 + 11);
  ASSERT_TRUE(r.report.is_object());
  EXPECT_EQ(r.report["exit"]["code"], 139);
  EXPECT_EQ(r.report["exit"]["signal"], "SIGSEGV");
}

TEST(ExitStatus, AProgramThatAbortsGives134) {
  CAPMIN_REQUIRE_ROOT_AND_NAMESPACES();
  const CapminRun r = profile_deny({fixture("die_by_signal"), "abort"});
  const DescribeOnFailure described_r(r);
  EXPECT_EQ(r.status, 128 + 6);
  ASSERT_TRUE(r.report.is_object());
  EXPECT_EQ(r.report["exit"]["code"], 134);
  EXPECT_EQ(r.report["exit"]["signal"], "SIGABRT");
}

TEST(ExitStatus, ACommandThatDoesNotExistGives127AndOneLineNamingIt) {
  CAPMIN_REQUIRE_ROOT_AND_NAMESPACES();
  const CapminRun r = profile_deny({"capmin-e2e-no-such-command", "arg"});
  const DescribeOnFailure described_r(r);
  EXPECT_EQ(r.status, 127);
  expect_one_line_naming(r, "capmin-e2e-no-such-command");
}

TEST(ExitStatus, AMissingPathGives127) {
  CAPMIN_REQUIRE_ROOT_AND_NAMESPACES();
  const CapminRun r = profile_deny({"./no/such/program"});
  const DescribeOnFailure described_r(r);
  EXPECT_EQ(r.status, 127);
  expect_one_line_naming(r, "./no/such/program");
}

TEST(ExitStatus, AFileWithoutExecutePermissionGives126AndDoesNotRun) {
  CAPMIN_REQUIRE_ROOT_AND_NAMESPACES();
  const CapminRun r = profile_deny(
      {"./script"}, {.setup = "printf '#!/bin/sh\\ntouch ran\\n' >script && chmod 0644 script"});
  const DescribeOnFailure described_r(r);
  EXPECT_EQ(r.status, 126);
  expect_one_line_naming(r, "./script");
  EXPECT_FALSE(std::filesystem::exists(r.workdir + "/ran"));
}

}  // namespace
}  // namespace capmin::e2e
