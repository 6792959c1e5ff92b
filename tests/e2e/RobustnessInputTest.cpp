// SPDX-License-Identifier: MIT
// Bad input (docs/robustness.md): rule files that are empty, endless, binary,
// nested beyond reason or huge; unknown names; malformed users; output paths
// that cannot be written; commands that cannot run; options that conflict.
// Each is refused before the program starts, with one line saying why, or
// handled as documented.
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <regex>

#include "Harness.h"
#include "RobustnessHelpers.h"

namespace capmin::e2e {
namespace {

using Caps = std::set<std::string>;

CapminRun with_policy(const std::string& setup, const std::string& policy) {
  return profile_deny(kLeavesMarker, {.setup = setup}, {"--policy", policy});
}

TEST(RobustnessInput, AnEmptyRuleFileIsRefused) {
  CAPMIN_REQUIRE_ROOT_AND_NAMESPACES();
  const CapminRun r = with_policy(": >empty.yaml", "empty.yaml");
  const DescribeOnFailure described(r);
  expect_refused_before_running(r, "empty.yaml: empty rule file");
}

TEST(RobustnessInput, ARuleFileThatIsADirectoryIsRefusedWithTheReason) {
  CAPMIN_REQUIRE_ROOT_AND_NAMESPACES();
  const CapminRun r = with_policy("mkdir rules.d", "rules.d");
  const DescribeOnFailure described(r);
  expect_refused_before_running(r, "cannot read rule file 'rules.d': Is a directory");
}

TEST(RobustnessInput, ARuleFileThatNeverEndsIsRefusedInsteadOfReadForever) {
  CAPMIN_REQUIRE_ROOT_AND_NAMESPACES();
  const CapminRun r = with_policy("", "/dev/zero");
  const DescribeOnFailure described(r);
  expect_refused_before_running(r, "'/dev/zero' is larger than 16 MiB");
}

TEST(RobustnessInput, ARuleFileThatIsAFifoWithoutWriterIsRefusedInsteadOfWaitedFor) {
  CAPMIN_REQUIRE_ROOT_AND_NAMESPACES();
  const CapminRun r = with_policy("mkfifo rules.fifo", "rules.fifo");
  const DescribeOnFailure described(r);
  expect_refused_before_running(r, "rules.fifo: empty rule file");
}

TEST(RobustnessInput, ADeeplyNestedRuleFileIsRefusedWithItsPosition) {
  CAPMIN_REQUIRE_ROOT_AND_NAMESPACES();
  const CapminRun r =
      with_policy("head -c 100000 /dev/zero | tr '\\0' '[' >deep.yaml", "deep.yaml");
  const DescribeOnFailure described(r);
  expect_refused_before_running(r, "deep.yaml:");
  EXPECT_TRUE(std::regex_search(r.err, std::regex(R"(deep\.yaml:[0-9]+:[0-9]+: )"))) << r.err;
}

TEST(RobustnessInput, ABinaryRuleFileIsRefusedWithItsPosition) {
  CAPMIN_REQUIRE_ROOT_AND_NAMESPACES();
  const CapminRun r = with_policy(
      "printf 'rules:\\n  - id: \"\\\\\\001\\377\\376\"\\n    syscalls: [bind]\\n' >bin.yaml",
      "bin.yaml");
  const DescribeOnFailure described(r);
  expect_refused_before_running(r, "bin.yaml:2:");
  EXPECT_TRUE(std::regex_search(r.err, std::regex(R"(bin\.yaml:2:[0-9]+: )"))) << r.err;
  EXPECT_TRUE(mentions(r.err, "\\x01")) << "the control byte is shown escaped: " << r.err;
}

TEST(RobustnessInput, AnErrorQuotingANewlineFromARuleFileStaysOneLine) {
  CAPMIN_REQUIRE_ROOT_AND_NAMESPACES();
  const CapminRun r = with_policy(
      "printf 'rules:\\n  - id: nl\\n    syscalls: [bind]\\n    errno: EACCES\\n"
      "    candidates: [\"CAP_FOO\\\\nBAR\"]\\n    reason: r\\n' >nl.yaml",
      "nl.yaml");
  const DescribeOnFailure described(r);
  expect_refused_before_running(r, "nl.yaml:5:18: unknown capability 'CAP_FOO\\x0aBAR'");
}

TEST(RobustnessInput, AHugeRuleFileLoadsWholeAndItsLastRuleApplies) {
  CAPMIN_REQUIRE_ROOT_AND_NAMESPACES();
  // 20,000 rules (about 3 MB) for ports no one binds, then one for port 80.
  const std::string generate =
      "awk 'BEGIN { print \"rules:\"; for (i = 0; i < 20000; i++) { "
      "printf \"  - id: filler-%d\\n    syscalls: [bind]\\n    errno: EACCES\\n"
      "    when:\\n      addr.port: %d\\n    candidates: [CAP_NET_BIND_SERVICE]\\n"
      "    reason: filler %d\\n\", i, 2000 + i, i } "
      "print \"  - id: the-last-rule\\n    syscalls: [bind]\\n    errno: EACCES\\n"
      "    when:\\n      addr.port: 80\\n    candidates: [CAP_NET_BIND_SERVICE]\\n"
      "    reason: the last of 20001 rules\" }' >huge.yaml";
  const CapminRun r =
      profile_deny({fixture("bind_port"), "80"}, {.setup = generate}, {"--policy", "huge.yaml"});
  const DescribeOnFailure described(r);
  EXPECT_GT(std::filesystem::file_size(r.workdir + "/huge.yaml"), 2'000'000u);
  EXPECT_EQ(r.status, 1);
  EXPECT_EQ(r.caps(), Caps{"CAP_NET_BIND_SERVICE"});
  const auto e = r.evidence("CAP_NET_BIND_SERVICE");
  ASSERT_EQ(e.size(), 1u);
  EXPECT_EQ(e[0].value("rule", ""), "the-last-rule");
}

// Bad input: names, users, paths, commands, options

// capmin ARGS outside any namespace, for subcommands that run no program.
struct PlainRun {
  int status = -1;
  std::string out;
  std::string err;
};

PlainRun run_plain(const std::vector<std::string>& args) {
  char tmpl[] = "/tmp/capmin-e2e-plain.XXXXXX";
  PlainRun run;
  if (mkdtemp(tmpl) == nullptr) {
    return run;
  }
  const std::string dir = tmpl;
  std::string cmd = shell_quote(capmin_binary());
  for (const std::string& a : args) {
    cmd += " " + shell_quote(a);
  }
  const int rc = system((cmd + " >" + dir + "/out 2>" + dir + "/err </dev/null").c_str());
  run.status = WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
  run.out = slurp(dir + "/out");
  run.err = slurp(dir + "/err");
  std::error_code ignored;
  std::filesystem::remove_all(dir, ignored);
  return run;
}

TEST(RobustnessInput, UnknownCapabilityNamesAreRefusedWithAHint) {
  CAPMIN_REQUIRE_ROOT_AND_NAMESPACES();
  const CapminRun verify =
      run_capmin({"verify", "--caps", "NET_BIND"}, kLeavesMarker, {.setup = "", .report = false});
  {
    const DescribeOnFailure described(verify);
    expect_refused_before_running(verify, "unknown capability 'NET_BIND'");
    EXPECT_TRUE(mentions(verify.err, "did you mean CAP_NET_BIND_SERVICE")) << verify.err;
  }
  const PlainRun explain = run_plain({"explain", "CAP_NET_BIN"});
  EXPECT_EQ(explain.status, 125);
  EXPECT_EQ(explain.err,
            "capmin: error: 'CAP_NET_BIN' is neither a capability nor a system call "
            "(did you mean CAP_NET_BIND_SERVICE?)\n");
  EXPECT_EQ(explain.out, "");
  const PlainRun caps = run_plain({"caps", "CAP_NET_BIND_SERVICE"});
  EXPECT_EQ(caps.status, 125);
  EXPECT_EQ(caps.err, "capmin: error: capmin caps takes no arguments\n");
}

TEST(RobustnessInput, MalformedUsersAreRefusedBeforeTheProgramRuns) {
  CAPMIN_REQUIRE_ROOT_AND_NAMESPACES();
  const std::vector<std::pair<std::string, std::string>> users = {
      {"-1", "no user named '-1'"},
      {"1000:", "empty group"},
      {":1000", "empty user"},
      {"1000:4294967296", "gid 4294967296 is out of range"},
      {"99999999999999999999999", "is out of range"},
      {"12abc", "'12abc' is not a number or a name"},
  };
  for (const auto& [user, why] : users) {
    const CapminRun r = profile_deny(kLeavesMarker, {}, {"--user", user});
    const DescribeOnFailure described(r);
    expect_refused_before_running(r, why);
  }
}

TEST(RobustnessInput, AProfilePathThatCannotBeWrittenIsRefusedBeforeTheProgramRuns) {
  CAPMIN_REQUIRE_ROOT_AND_NAMESPACES();
  const CapminRun r = profile_deny(kLeavesMarker, {}, {"-O", "missing-dir/profile.txt"});
  const DescribeOnFailure described(r);
  expect_refused_before_running(r, "cannot write 'missing-dir/profile.txt'");
}

TEST(RobustnessInput, AReportPathOnAReadOnlyMountIsRefusedBeforeTheProgramRuns) {
  CAPMIN_REQUIRE_ROOT_AND_NAMESPACES();
  Options o;
  o.report = false;
  o.setup = "mkdir ro && mount -t tmpfs -o ro tmpfs ro";
  const CapminRun r =
      run_capmin({"profile", "--mode", "deny", "-o", "ro/report.json"}, kLeavesMarker, o);
  const DescribeOnFailure described(r);
  expect_refused_before_running(r, "Read-only file system");
}

TEST(RobustnessInput, AReportPathThatIsADirectoryIsRefusedBeforeTheProgramRuns) {
  CAPMIN_REQUIRE_ROOT_AND_NAMESPACES();
  Options o;
  o.report = false;
  o.setup = "mkdir outdir";
  const CapminRun r = run_capmin({"profile", "--mode", "deny", "-o", "outdir"}, kLeavesMarker, o);
  const DescribeOnFailure described(r);
  expect_refused_before_running(r, "Is a directory");
}

TEST(RobustnessInput, AReportThatCannotBeWrittenAfterTheRunIsAnErrorNotASilentLoss) {
  CAPMIN_REQUIRE_ROOT_AND_NAMESPACES();
  // /dev/full opens but refuses every write: a full disk.
  Options o;
  o.report = false;
  const CapminRun r = run_capmin(
      {"profile", "--mode", "deny", "--write-through", "-o", "/dev/full", "-f", "docker"},
      {"/bin/sh", "-c", "touch marker; exit 3"}, o);
  const DescribeOnFailure described(r);
  EXPECT_TRUE(std::filesystem::exists(r.workdir + "/marker"));  // it ran
  EXPECT_EQ(r.status, 125);
  EXPECT_EQ(r.err, "capmin: error: write /dev/full: No space left on device\n");
  // The -f output is still written: one lost output does not take the other.
  EXPECT_NE(r.out.find("--cap-drop=ALL"), std::string::npos);
}

TEST(RobustnessInput, ACommandThatIsADirectoryGives126) {
  CAPMIN_REQUIRE_ROOT_AND_NAMESPACES();
  const CapminRun r = profile_deny({"./adir"}, {.setup = "mkdir adir"});
  const DescribeOnFailure described(r);
  EXPECT_EQ(r.status, 126);
  EXPECT_EQ(r.err, "capmin: error: cannot run './adir': Permission denied\n");
}

TEST(RobustnessInput, AnEmptyCommandNameGives127) {
  CAPMIN_REQUIRE_ROOT_AND_NAMESPACES();
  const CapminRun r = profile_deny({""});
  const DescribeOnFailure described(r);
  EXPECT_EQ(r.status, 127);
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
}

TEST(RobustnessInput, ConflictingOrOutOfRangeOptionsAreRefusedBeforeTheProgramRuns) {
  CAPMIN_REQUIRE_ROOT_AND_NAMESPACES();
  const std::vector<std::pair<std::vector<std::string>, std::string>> cases = {
      {{"--mode", "probe", "--iterate"}, "--iterate"},
      {{"--mode", "deny", "--mode", "probe"}, "mode"},
      {{"-f", "json", "-f", "text"}, "format"},
      {{"--iterate=65"}, "--iterate=65"},
      {{"--iterate=0"}, "--iterate=0"},
  };
  for (const auto& [args, mentioned] : cases) {
    std::vector<std::string> all = {"profile"};
    all.insert(all.end(), args.begin(), args.end());
    const CapminRun r = run_capmin(all, kLeavesMarker);
    const DescribeOnFailure described(r);
    expect_refused_before_running(r, mentioned);
  }
}

}  // namespace
}  // namespace capmin::e2e
