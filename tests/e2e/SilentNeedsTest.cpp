// SPDX-License-Identifier: MIT
// What the kernel does less of without an error, around calls that
// succeed: set-id bits dropped by a truncation of a set-id file, or from a
// set-gid file created in a set-gid directory of another group (the tracer
// looks at the file before and after), and kernel addresses shown as zeros
// to an opener without CAP_SYSLOG. Each capability is inferred, and the
// proof keeps it.
#include <fstream>

#include "Harness.h"

namespace capmin::e2e {
namespace {

using Caps = std::set<std::string>;

// A set-user-ID program of root's, as an installer leaves it.
const char* kSetuidFile = "cp /bin/true prog && chmod 4755 prog";
// A shared directory whose files take group 1234, which root is not in.
const char* kSetgidDir = "mkdir d && chown 0:1234 d && chmod 2775 d";

void expect_fsetid(const CapminRun& r, const std::string& syscall, const std::string& rule,
                   const std::string& dropped) {
  EXPECT_EQ(r.status, 0);
  EXPECT_EQ(r.caps(), Caps{"CAP_FSETID"});
  EXPECT_EQ(r.confidence("CAP_FSETID"), "inferred");
  const std::vector<nlohmann::json> e = r.evidence("CAP_FSETID");
  ASSERT_EQ(e.size(), 1u);
  EXPECT_EQ(e[0]["syscall"], syscall);
  EXPECT_EQ(e[0]["errno"], "");
  EXPECT_EQ(e[0]["rule"], rule);
  EXPECT_NE(e[0]["args"].get<std::string>().find("dropped=" + dropped), std::string::npos) << e[0];
}

TEST(SilentNeeds, ATruncationOfASetuidFileClearsTheBitWithoutFsetid) {
  CAPMIN_REQUIRE_ROOT_AND_NAMESPACES();
  const std::pair<const char*, const char*> ways[] = {
      {"open", "openat"}, {"truncate", "truncate"}, {"ftruncate", "ftruncate"}};
  for (const auto& [how, syscall] : ways) {
    for (const char* mode : {"deny", "probe"}) {
      SCOPED_TRACE(std::string(how) + " " + mode);
      const CapminRun r =
          run_capmin({"profile", "--mode", mode, "--no-minimal"},
                     {fixture("truncate_setid"), how, "prog"}, {.setup = kSetuidFile});
      const DescribeOnFailure described(r);
      expect_fsetid(r, syscall, "truncate-setid-cleared", "S_ISUID");
      EXPECT_TRUE(r.printed("mode 0755"));  // as in a container without it
    }
  }
}

TEST(SilentNeeds, ATruncationThatKeepsNothingToClearNeedsNothing) {
  CAPMIN_REQUIRE_ROOT_AND_NAMESPACES();
  // Set-gid without group execute is a locking mark the kernel leaves alone.
  const CapminRun r = profile_probe({fixture("truncate_setid"), "open", "prog"},
                                    {.setup = "cp /bin/true prog && chmod 2745 prog"});
  const DescribeOnFailure described(r);
  EXPECT_EQ(r.status, 0);
  EXPECT_TRUE(r.printed("mode 2745"));
  EXPECT_TRUE(r.caps().empty());
}

TEST(SilentNeeds, CpOntoASetuidFileIsProvenToNeedFsetid) {
  CAPMIN_REQUIRE_ROOT_AND_NAMESPACES();
  REQUIRE_PROGRAM("/usr/bin/cp");
  const CapminRun r =
      profile_probe({"/usr/bin/cp", "/bin/true", "prog"}, {.setup = kSetuidFile, .minimal = true});
  const DescribeOnFailure described(r);
  expect_fsetid(r, "openat", "truncate-setid-cleared", "S_ISUID");
  EXPECT_EQ(r.report["minimal"]["proven"], true) << r.report["minimal"]["summary"];
  EXPECT_NE(r.report["findings"][0].value("note", "").find("without it the kernel quietly"),
            std::string::npos)
      << r.report["findings"][0];
}

TEST(SilentNeeds, ASetgidFileCreatedInASetgidDirectoryOfAnotherGroupLosesTheBit) {
  CAPMIN_REQUIRE_ROOT_AND_NAMESPACES();
  const std::pair<const char*, const char*> ways[] = {{"open", "openat"}, {"mknod", "mknodat"}};
  for (const auto& [how, syscall] : ways) {
    for (const char* mode : {"deny", "probe"}) {
      SCOPED_TRACE(std::string(how) + " " + mode);
      const CapminRun r = run_capmin({"profile", "--mode", mode, "--no-minimal"},
                                     {fixture("create_setgid"), how, "d"}, {.setup = kSetgidDir});
      const DescribeOnFailure described(r);
      expect_fsetid(r, syscall, "create-setgid-dropped", "S_ISGID");
      EXPECT_TRUE(r.printed("mode 0755"));
    }
  }
  // In a directory of the caller's own group the bit stays: nothing needed.
  const CapminRun own =
      profile_probe({fixture("create_setgid"), "open", "d"}, {.setup = "mkdir d && chmod 2775 d"});
  const DescribeOnFailure described(own);
  EXPECT_TRUE(own.printed("mode 2755"));
  EXPECT_TRUE(own.caps().empty());
}

TEST(SilentNeeds, PythonCreatingASetgidFileInASharedDirectoryIsProvenToNeedFsetid) {
  CAPMIN_REQUIRE_ROOT_AND_NAMESPACES();
  REQUIRE_PROGRAM("/usr/bin/python3");
  const CapminRun r =
      profile_probe({"/usr/bin/python3", "-c",
                     "import os; os.close(os.open('d/new', os.O_CREAT | os.O_WRONLY, 0o2755))"},
                    {.setup = kSetgidDir, .minimal = true});
  const DescribeOnFailure described(r);
  expect_fsetid(r, "openat", "create-setgid-dropped", "S_ISGID");
  EXPECT_EQ(r.report["minimal"]["proven"], true) << r.report["minimal"]["summary"];
}

TEST(SilentNeeds, GrepReadingKallsymsNeedsSyslogWhereTheHostHidesAddresses) {
  CAPMIN_REQUIRE_ROOT_AND_NAMESPACES();
  REQUIRE_PROGRAM("/usr/bin/grep");
  const std::vector<std::string> grep = {"/usr/bin/grep", "-m1", " _stext", "/proc/kallsyms"};
  // The kernel is the judge of whether grep, without CAP_SYSLOG, reads
  // zeros; CAP_SYSLOG shows them unless kptr_restrict is 2.
  std::ifstream kptr("/proc/sys/kernel/kptr_restrict");
  int restrict_level = 2;
  kptr >> restrict_level;
  Caps expected;
  for (const char* mode : {"deny", "probe"}) {
    SCOPED_TRACE(mode);
    const CapminRun r = run_capmin({"profile", "--mode", mode, "--no-minimal"}, grep);
    const DescribeOnFailure described(r);
    EXPECT_EQ(r.status, 0);
    const bool hidden = r.printed("0000000000000000 T _stext");
    expected = hidden && restrict_level < 2 ? Caps{"CAP_SYSLOG"} : Caps{};
    EXPECT_EQ(r.caps(), expected);
    if (expected.empty()) {
      continue;
    }
    EXPECT_EQ(r.confidence("CAP_SYSLOG"), "inferred");
    const std::vector<nlohmann::json> e = r.evidence("CAP_SYSLOG");
    ASSERT_EQ(e.size(), 1u);
    EXPECT_EQ(e[0]["rule"], "kallsyms-addresses-hidden");
    EXPECT_EQ(e[0]["errno"], "");
  }
  const CapminRun proven = profile_probe(grep, {.minimal = true});
  const DescribeOnFailure described(proven);
  EXPECT_EQ(proven.caps(), expected);
  EXPECT_EQ(proven.report["minimal"]["proven"], true) << proven.report["minimal"]["summary"];
}

}  // namespace
}  // namespace capmin::e2e
