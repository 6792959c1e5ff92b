// SPDX-License-Identifier: MIT
// Nothing escalated, nothing leaked (docs/robustness.md): a set-uid root
// program gains no capability in either mode, capmin writes through no link
// the program could plant, and the environment reaches the program whole and
// never the report.
#include <stdlib.h>

#include <filesystem>

#include "Harness.h"
#include "RobustnessHelpers.h"

namespace capmin::e2e {
namespace {

// Setup: a copy of show_creds that is set-uid root, in the work directory.
std::string setuid_setup() {
  return "cp " + shell_quote(fixture("show_creds")) +
         " suid_creds && chown 0:0 suid_creds && chmod 4755 suid_creds";
}

TEST(RobustnessSecurity, ASetuidRootProgramGainsNoCapabilityInDenyMode) {
  CAPMIN_REQUIRE_ROOT_AND_NAMESPACES();
  const CapminRun r =
      profile_deny({"./suid_creds"}, {.setup = setuid_setup()}, {"--user", "1000:1000"});
  const DescribeOnFailure described(r);
  ASSERT_TRUE(r.printed("OK"));
  // The set-uid bit took effect (euid 0), and still every set is empty.
  EXPECT_TRUE(r.printed("Uid:\t1000 0"));
  for (const char* set : {"CapInh", "CapPrm", "CapEff", "CapBnd", "CapAmb"}) {
    EXPECT_TRUE(r.printed(std::string(set) + ":\t0000000000000000")) << set;
  }
}

TEST(RobustnessSecurity, ASetuidRootProgramStartsWithAnEmptyEffectiveSetInProbeMode) {
  CAPMIN_REQUIRE_ROOT_AND_NAMESPACES();
  const CapminRun r =
      profile_probe({"./suid_creds"}, {.setup = setuid_setup()}, {"--user", "1000:1000"});
  const DescribeOnFailure described(r);
  ASSERT_TRUE(r.printed("OK"));
  EXPECT_TRUE(r.printed("Uid:\t1000 0"));
  EXPECT_TRUE(r.printed("CapEff:\t0000000000000000"));
}

TEST(RobustnessSecurity, AProfilePathThatIsASymbolicLinkIsRefusedBeforeTheProgramRuns) {
  CAPMIN_REQUIRE_ROOT_AND_NAMESPACES();
  Options o;
  o.setup = "echo precious >target && ln -s target profile.txt";
  const CapminRun r = profile_deny(kLeavesMarker, o, {"-O", "profile.txt"});
  const DescribeOnFailure described(r);
  expect_refused_before_running(r, "symbolic link");
  EXPECT_EQ(file_in(r, "target"), "precious\n");
}

TEST(RobustnessSecurity, ALinkTheProgramPlantsInPlaceOfTheReportIsNotWrittenThrough) {
  CAPMIN_REQUIRE_ROOT_AND_NAMESPACES();
  // The program may write the directory the report goes to: it swaps the
  // report's name for a link to a file of its choice while it runs.
  Options o;
  o.setup = "echo precious >target";
  const CapminRun r =
      profile_deny({"/bin/sh", "-c", "rm -f report.json && ln -s target report.json"}, o);
  const DescribeOnFailure described(r);
  EXPECT_EQ(r.status, 0);
  EXPECT_EQ(file_in(r, "target"), "precious\n");
  // The program did swap it; capmin wrote a new file and renamed it over
  // the link: the report is where it was asked for, the target untouched.
  EXPECT_FALSE(std::filesystem::is_symlink(r.workdir + "/report.json"));
  ASSERT_TRUE(r.report.is_object());
  EXPECT_EQ(r.report["exit"]["code"], 0);
}

TEST(RobustnessSecurity, TheWholeEnvironmentReachesTheProgramAndStaysOutOfEveryOutput) {
  CAPMIN_REQUIRE_ROOT_AND_NAMESPACES();
  const std::vector<std::pair<std::string, std::string>> vars = {
      {"CAPMIN_T_NEWLINE", "first line\nsecond line"},
      {"CAPMIN_T_EMPTY", ""},
      {"CAPMIN_T_EQUALS", "a=b=c"},
      {"CAPMIN_T_UTF8", "h\xc3\xa9llo \xe2\x9c\x93"},
      {"CAPMIN_T_SECRET", "hunter2-token"},
  };
  for (const auto& [name, value] : vars) {
    setenv(name.c_str(), value.c_str(), 1);
  }
  // env -0 without capmin first, then under it, both from the same shell.
  Options o;
  o.setup = "env -0 >env.plain";
  const CapminRun r = profile_deny({"/usr/bin/env", "-0"}, o, {"-O", "profile.txt"});
  for (const auto& [name, value] : vars) {
    unsetenv(name.c_str());
  }
  const DescribeOnFailure described(r);
  EXPECT_EQ(r.status, 0);
  const std::string plain = file_in(r, "env.plain");
  ASSERT_TRUE(mentions(plain, "CAPMIN_T_NEWLINE=first line\nsecond line")) << plain;
  // Two variables the shell itself sets per command (bash: "_" is the
  // command's path, SHLVL its depth) are not the program's environment.
  const auto without_shell_own = [](const std::string& env0) {
    std::string kept;
    std::size_t start = 0;
    for (std::size_t end; (end = env0.find('\0', start)) != std::string::npos; start = end + 1) {
      const std::string entry = env0.substr(start, end - start);
      if (entry.rfind("_=", 0) != 0 && entry.rfind("SHLVL=", 0) != 0) {
        kept += entry + '\0';
      }
    }
    return kept;
  };
  EXPECT_EQ(without_shell_own(r.out), without_shell_own(plain));
  const std::string profile = file_in(r, "profile.txt");
  ASSERT_FALSE(profile.empty());
  for (const std::string& where : {r.report.dump(), profile, r.err}) {
    EXPECT_FALSE(mentions(where, "hunter2-token"));
    EXPECT_FALSE(mentions(where, "CAPMIN_T_"));
  }
}

}  // namespace
}  // namespace capmin::e2e
