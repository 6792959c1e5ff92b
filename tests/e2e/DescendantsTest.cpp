// SPDX-License-Identifier: MIT
// A refusal counts wherever it happens: in a forked child, in a second
// thread, after an execve. The evidence names the task that made the call.
#include <gtest/gtest.h>

#include <filesystem>
#include <sstream>

#include "Harness.h"

namespace capmin::e2e {
namespace {

using Caps = std::set<std::string>;

// The number after "LABEL " on a line the traced program printed, or -1.
int printed_number(const CapminRun& r, const std::string& label) {
  std::istringstream lines(r.out);
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind(label + " ", 0) == 0) {
      return std::stoi(line.substr(label.size() + 1));
    }
  }
  return -1;
}

// A fixture's path as /proc/PID/exe shows it.
std::string exe_of(const std::string& name) {
  return std::filesystem::canonical(fixture(name)).string();
}

// The one piece of evidence for binding port 80.
nlohmann::json bind_evidence(const CapminRun& r) {
  EXPECT_TRUE(r.printed("FAIL EACCES"));
  EXPECT_EQ(r.status, 1);
  EXPECT_EQ(r.caps(), Caps{"CAP_NET_BIND_SERVICE"});
  EXPECT_EQ(r.confidence("CAP_NET_BIND_SERVICE"), "inferred");
  const auto evidence = r.evidence("CAP_NET_BIND_SERVICE");
  EXPECT_EQ(evidence.size(), 1u);
  if (evidence.empty()) {
    return nlohmann::json::object();
  }
  EXPECT_EQ(evidence[0]["syscall"], "bind");
  EXPECT_EQ(evidence[0]["errno"], "EACCES");
  return evidence[0];
}

TEST(Descendants, ARefusalInAForkedChildCountsAndNamesTheChild) {
  CAPMIN_REQUIRE_ROOT_AND_NAMESPACES();
  const CapminRun r = profile_deny({fixture("bind_in_child")});
  const DescribeOnFailure described_r(r);
  const nlohmann::json e = bind_evidence(r);
  const int parent = printed_number(r, "parent");
  const int child = printed_number(r, "child");
  ASSERT_GT(child, 0);
  EXPECT_NE(child, parent);
  EXPECT_EQ(e.value("pid", -1), child) << e.dump();
  EXPECT_EQ(e.value("exe", ""), exe_of("bind_in_child")) << e.dump();
}

TEST(Descendants, ARefusalInASecondThreadCountsAndNamesItsProcess) {
  CAPMIN_REQUIRE_ROOT_AND_NAMESPACES();
  const CapminRun r = profile_deny({fixture("bind_in_thread")});
  const DescribeOnFailure described_r(r);
  const nlohmann::json e = bind_evidence(r);
  const int pid = printed_number(r, "pid");
  ASSERT_GT(pid, 0);
  // The evidence's pid is the thread group's, not the thread's own id.
  EXPECT_EQ(e.value("pid", -1), pid) << e.dump();
  EXPECT_EQ(e.value("exe", ""), exe_of("bind_in_thread")) << e.dump();
}

TEST(Descendants, ARefusalAfterAnExecveNamesTheNewProgram) {
  CAPMIN_REQUIRE_ROOT_AND_NAMESPACES();
  const CapminRun r = profile_deny({fixture("exec_program"), fixture("bind_port"), "80"});
  const DescribeOnFailure described_r(r);
  const nlohmann::json e = bind_evidence(r);
  const int pid = printed_number(r, "pid");
  ASSERT_GT(pid, 0);
  EXPECT_EQ(e.value("pid", -1), pid) << e.dump();
  EXPECT_EQ(e.value("exe", ""), exe_of("bind_port")) << e.dump();
}

TEST(Descendants, ARefusalInAChildThatExecsNamesTheChildsProgram) {
  CAPMIN_REQUIRE_ROOT_AND_NAMESPACES();
  // sh forks (the command is not its last), the child execs the fixture.
  const CapminRun r = profile_deny({"/bin/sh", "-c", fixture("bind_port") + " 80; exit $?"});
  const DescribeOnFailure described_r(r);
  const nlohmann::json e = bind_evidence(r);
  EXPECT_EQ(e.value("exe", ""), exe_of("bind_port")) << e.dump();
}

}  // namespace
}  // namespace capmin::e2e
