// SPDX-License-Identifier: MIT
// Proving a profile: the program re-run untraced, natively and in a runc
// container, with exactly the capabilities found and with each one left
// out; and deny --iterate, the drop-all-add-back loop done for the user.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>

#include "Harness.h"

namespace capmin::e2e {
namespace {

using Caps = std::set<std::string>;

const std::string kFourCaps = "NET_BIND_SERVICE,CHOWN,SETGID,SETUID";

CapminRun verify(const std::vector<std::string>& args, const std::vector<std::string>& command) {
  std::vector<std::string> all = {"verify"};
  all.insert(all.end(), args.begin(), args.end());
  return run_capmin(all, command, {.report = false});
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

TEST(Verify, RuncRunsTheFixtureWithTheRightSet) {
  CAPMIN_REQUIRE_ROOT_AND_NAMESPACES();
  const CapminRun r =
      verify({"--runtime", "runc", "--caps", kFourCaps}, {fixture("four_privileged_ops")});
  const DescribeOnFailure described(r);
  EXPECT_EQ(r.status, 0);
  EXPECT_TRUE(r.printed("OK uid=1000 gid=1000"));  // the program itself, in the container
  EXPECT_TRUE(contains(r.out, "runtime:  runc "));
  EXPECT_TRUE(contains(r.out,
                       "result: verified in runc: works with CAP_CHOWN, CAP_SETGID, "
                       "CAP_SETUID, CAP_NET_BIND_SERVICE"));
}

TEST(Verify, RuncFailsWithOneCapabilityLess) {
  CAPMIN_REQUIRE_ROOT_AND_NAMESPACES();
  const CapminRun r = verify({"--runtime", "runc", "--caps", "NET_BIND_SERVICE,CHOWN,SETGID"},
                             {fixture("four_privileged_ops")});
  const DescribeOnFailure described(r);
  EXPECT_EQ(r.status, 1);
  EXPECT_TRUE(r.printed("FAIL setuid EPERM"));
  EXPECT_TRUE(contains(r.err,
                       "capmin: verify failed: does not work with CAP_CHOWN, CAP_SETGID, "
                       "CAP_NET_BIND_SERVICE in runc: exit 4, expected exit 0"));
}

TEST(Verify, RuncMinimalFlagsAnUnneededCapability) {
  CAPMIN_REQUIRE_ROOT_AND_NAMESPACES();
  const CapminRun r = verify({"--runtime", "runc", "--minimal", "--caps", kFourCaps + ",SYS_ADMIN"},
                             {fixture("four_privileged_ops")});
  const DescribeOnFailure described(r);
  EXPECT_EQ(r.status, 2);
  EXPECT_TRUE(contains(r.out, "without CAP_SYS_ADMIN         passed  (exit 0)  -> not needed"));
  EXPECT_TRUE(contains(r.out, "without CAP_SETUID            failed  (exit 4)  -> needed"));
  EXPECT_TRUE(contains(
      r.out, "FINDING: works in runc, but does as well without CAP_SYS_ADMIN: not needed"));
}

TEST(Verify, NativeMinimalShowsEachOfTheFourNecessary) {
  CAPMIN_REQUIRE_ROOT_AND_NAMESPACES();
  const CapminRun r = verify({"--minimal", "--caps", kFourCaps}, {fixture("four_privileged_ops")});
  const DescribeOnFailure described(r);
  EXPECT_EQ(r.status, 0);
  for (const char* exit : {"exit 1", "exit 2", "exit 3", "exit 4"}) {
    EXPECT_TRUE(contains(r.out, std::string("failed  (") + exit + ")  -> needed")) << exit;
  }
  EXPECT_TRUE(contains(r.out, "result: verified in native: works with exactly"));
}

TEST(Verify, ExpectExitAndExpectOutputSayWhatSuccessIs) {
  CAPMIN_REQUIRE_ROOT_AND_NAMESPACES();
  // Without CAP_SETUID the fixture exits 4 saying so: that is success here.
  const CapminRun r = verify({"--caps", "NET_BIND_SERVICE,CHOWN,SETGID", "--expect-exit", "4",
                              "--expect-output", "^FAIL setuid EPERM$"},
                             {fixture("four_privileged_ops")});
  const DescribeOnFailure described(r);
  EXPECT_EQ(r.status, 0);
  EXPECT_TRUE(r.printed("FAIL setuid EPERM"));  // still passed through
  const CapminRun wrong = verify({"--caps", kFourCaps, "--expect-output", "^never printed$"},
                                 {fixture("four_privileged_ops")});
  const DescribeOnFailure described_wrong(wrong);
  EXPECT_EQ(wrong.status, 1);
  EXPECT_TRUE(contains(wrong.err, "no line of output matches /^never printed$/"));
}

TEST(Verify, ProfileVerifyRuncRecordsTheOutcomeInTheReport) {
  CAPMIN_REQUIRE_ROOT_AND_NAMESPACES();
  const CapminRun r = profile_probe({fixture("four_privileged_ops")}, {}, {"--verify=runc"});
  const DescribeOnFailure described(r);
  EXPECT_EQ(r.status, 0);
  EXPECT_EQ(r.caps(), (Caps{"CAP_CHOWN", "CAP_SETGID", "CAP_SETUID", "CAP_NET_BIND_SERVICE"}));
  const auto& v = r.report["verification"];
  EXPECT_EQ(v["runtime"], "runc");
  EXPECT_EQ(v["works"], true);
  EXPECT_EQ(v["passed"], true);
  EXPECT_TRUE(v["unnecessary"].empty());
  ASSERT_EQ(v["runs"].size(), 5u);  // the profile, then without each of the four
  for (std::size_t i = 1; i < 5; ++i) {
    EXPECT_EQ(v["runs"][i]["passed"], false) << v["runs"][i].dump();
  }
  EXPECT_TRUE(contains(r.out, "Verification (runc): verified in runc: works with exactly"));
}

TEST(Verify, ProfileVerifyNativeOnABindToPort80) {
  CAPMIN_REQUIRE_ROOT_AND_NAMESPACES();
  const CapminRun r = profile_probe({fixture("bind_port"), "80"}, {}, {"--verify"});
  const DescribeOnFailure described(r);
  EXPECT_EQ(r.caps(), Caps{"CAP_NET_BIND_SERVICE"});
  EXPECT_EQ(r.report["verification"]["runtime"], "native");
  EXPECT_EQ(r.report["verification"]["passed"], true);
}

TEST(Verify, IterateConvergesInFiveRunsAndMatchesProbeMode) {
  CAPMIN_REQUIRE_ROOT_AND_NAMESPACES();
  const CapminRun it = profile_deny({fixture("four_privileged_ops")}, {}, {"--iterate"});
  const DescribeOnFailure described(it);
  EXPECT_EQ(it.status, 0);  // the last round ran with everything it needs
  const auto& rounds = it.report["rounds"];
  ASSERT_EQ(rounds.size(), 5u);
  const std::vector<std::string> found = {"CAP_NET_BIND_SERVICE", "CAP_CHOWN", "CAP_SETGID",
                                          "CAP_SETUID"};
  for (std::size_t i = 0; i < 4; ++i) {
    EXPECT_EQ(rounds[i]["found"], nlohmann::json{found[i]}) << rounds[i].dump();
    EXPECT_EQ(rounds[i]["exit"]["code"], static_cast<int>(i) + 1);
    EXPECT_EQ(rounds[i]["granted"].size(), i);
  }
  EXPECT_TRUE(rounds[4]["found"].empty());
  EXPECT_EQ(rounds[4]["exit"]["code"], 0);

  const CapminRun probe = profile_probe({fixture("four_privileged_ops")});
  const DescribeOnFailure described_probe(probe);
  EXPECT_EQ(it.caps(), probe.caps());
  EXPECT_EQ(it.caps().size(), 4u);
}

TEST(Verify, IterateStopsAtItsLimit) {
  CAPMIN_REQUIRE_ROOT_AND_NAMESPACES();
  const CapminRun r = profile_deny({fixture("four_privileged_ops")}, {}, {"--iterate=2"});
  const DescribeOnFailure described(r);
  EXPECT_EQ(r.report["rounds"].size(), 2u);
  EXPECT_EQ(r.caps(), (Caps{"CAP_NET_BIND_SERVICE", "CAP_CHOWN"}));
  EXPECT_EQ(r.status, 2);  // the last run's own status: it stopped at the chown
}

TEST(Verify, AnUnknownCapabilityNameIsRefusedWithTheCloseNames) {
  CAPMIN_REQUIRE_ROOT_AND_NAMESPACES();
  const CapminRun r = verify({"--caps", "NET_BIND"}, {"/bin/true"});
  const DescribeOnFailure described(r);
  EXPECT_EQ(r.status, 125);
  EXPECT_TRUE(contains(r.err, "unknown capability 'NET_BIND'"));
  EXPECT_TRUE(contains(r.err, "CAP_NET_BIND_SERVICE"));
}

TEST(Verify, RuncMissingIsAOneLineErrorWithStatus125) {
  CAPMIN_REQUIRE_ROOT_AND_NAMESPACES();
  const CapminRun named =
      verify({"--runtime", "runc", "--runc", "/nonexistent/runc", "--caps", "none"}, {"/bin/true"});
  const DescribeOnFailure described(named);
  EXPECT_EQ(named.status, 125);
  EXPECT_EQ(named.err, "capmin: error: --runc '/nonexistent/runc': no such executable\n");

  // Not on $PATH: capmin fails before it runs anything, so no namespaces.
  const std::string cmd = "env PATH=/nonexistent " + capmin_binary() +
                          " verify --runtime runc --caps none -- /bin/true 2>&1";
  FILE* p = popen(cmd.c_str(), "r");
  ASSERT_NE(p, nullptr);
  std::string err;
  char buf[512];
  while (fgets(buf, sizeof buf, p) != nullptr) {
    err += buf;
  }
  const int status = pclose(p);
  EXPECT_EQ(WEXITSTATUS(status), 125);
  EXPECT_TRUE(contains(err, "runc not found on $PATH")) << err;
}

TEST(Verify, BadOptionsAreRefusedBeforeAnythingRuns) {
  CAPMIN_REQUIRE_ROOT_AND_NAMESPACES();
  const CapminRun runtime = verify({"--runtime", "docker", "--caps", "none"}, {"/bin/true"});
  EXPECT_EQ(runtime.status, 125);
  EXPECT_TRUE(contains(runtime.err, "runtime 'docker': expected native or runc"));
  const CapminRun bind = verify({"--bind", "/tmp", "--caps", "none"}, {"/bin/true"});
  EXPECT_EQ(bind.status, 125);
  const CapminRun probe_iterate = profile_probe({"/bin/true"}, {}, {"--iterate"});
  EXPECT_EQ(probe_iterate.status, 125);
  EXPECT_TRUE(contains(probe_iterate.err, "--iterate"));
  const CapminRun missing = verify({"--caps", "none"}, {"/no/such/program"});
  EXPECT_EQ(missing.status, 127);
}

}  // namespace
}  // namespace capmin::e2e

namespace capmin::e2e {
namespace {

TEST(Verify, AnExecveRefusedForWantOfACapabilityIsAFailedRunNotAnError) {
  CAPMIN_REQUIRE_ROOT_AND_NAMESPACES();
  // As Debian ships ping: file capabilities. Without CAP_NET_RAW in the
  // bounding set the kernel refuses to execute it at all (EPERM).
  const std::string setup = "cp " + fixture("raw_socket") + " ./raw && setcap cap_net_raw+ep ./raw";
  const CapminRun r = run_capmin({"verify", "--minimal", "--caps", "NET_RAW"}, {"./raw"},
                                 {.setup = setup, .report = false});
  const DescribeOnFailure described(r);
  EXPECT_EQ(r.status, 0);
  EXPECT_TRUE(contains(r.out,
                       "without CAP_NET_RAW  failed  (execve refused: Operation not "
                       "permitted)  -> needed"));
}

TEST(Verify, ACapabilityCapminDoesNotHoldIsRefusedAsUntestableNotAFailedCapset) {
  CAPMIN_REQUIRE_ROOT_AND_NAMESPACES();
  REQUIRE_PROGRAM("/usr/bin/setpriv");
  std::string out;
  const int rc = run_script_in_namespaces(
      "setpriv --bounding-set -sys_nice \"$CAPMIN_BIN\" verify --caps SYS_NICE,CHOWN -- /bin/true; "
      "echo \"status $?\"",
      out);
  ASSERT_EQ(rc, 0) << out;
  EXPECT_EQ(out,
            "capmin: error: CAP_SYS_NICE cannot be tested here: capmin does not hold it (not in "
            "its permitted set)\nstatus 125\n");
}

TEST(Verify, AVerificationThatCannotRunStillLeavesTheReport) {
  CAPMIN_REQUIRE_ROOT_AND_NAMESPACES();
  // The program removes itself: the traced run works, the re-run finds nothing.
  const std::string setup = "printf '#!/bin/sh\\nrm -f \"$0\"\\n' >gone && chmod 755 gone";
  const CapminRun r =
      profile_probe({"./gone"}, {.setup = setup, .write_through = true}, {"--verify"});
  const DescribeOnFailure described(r);
  EXPECT_EQ(r.status, 0);  // the program's own
  ASSERT_TRUE(r.report.is_object());
  const std::string summary = r.report["verification"]["summary"];
  EXPECT_EQ(summary.rfind("could not run: ", 0), 0u) << summary;
  EXPECT_EQ(r.report["verification"]["works"], false);
  EXPECT_TRUE(contains(r.err, "capmin: verify failed: could not run: "));
}

}  // namespace
}  // namespace capmin::e2e

namespace capmin::e2e {
namespace {

// A real server, and a check that it answers over loopback.
const std::vector<std::string> kHttpServer = {"/usr/bin/python3", "-m",       "http.server", "80",
                                              "--bind",           "127.0.0.1"};
const std::string kFetch =
    "/usr/bin/python3 -c 'import urllib.request as u; u.urlopen(\"http://127.0.0.1/\", "
    "timeout=2)'";

TEST(Verify, ACheckProvesAServerServesWithItsCapabilities) {
  CAPMIN_REQUIRE_ROOT_AND_NAMESPACES();
  const CapminRun r = verify(
      {"--minimal", "--caps", "NET_BIND_SERVICE,SYS_ADMIN", "--timeout", "20", "--check", kFetch},
      kHttpServer);
  const DescribeOnFailure described(r);
  EXPECT_EQ(r.status, 2);  // SYS_ADMIN is not needed
  EXPECT_TRUE(contains(r.out, "with all of them              passed  (the check passed"));
  EXPECT_TRUE(contains(r.out, "without CAP_NET_BIND_SERVICE  failed  (exit 1)  -> needed"));
  EXPECT_TRUE(contains(r.out, "without CAP_SYS_ADMIN         passed  (the check passed"));
}

TEST(Verify, ProfileWithACheckStopsTheServerOnceItAnswered) {
  CAPMIN_REQUIRE_ROOT_AND_NAMESPACES();
  const auto start = std::chrono::steady_clock::now();
  const CapminRun r = profile_probe(kHttpServer, {}, {"--timeout", "60", "--check", kFetch});
  const DescribeOnFailure described(r);
  // Stopped by capmin's SIGTERM once the check passed, long before 60 s.
  EXPECT_EQ(r.status, 143);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(30));
  EXPECT_EQ(r.caps(), Caps{"CAP_NET_BIND_SERVICE"});
  EXPECT_EQ(r.confidence("CAP_NET_BIND_SERVICE"), "confirmed");
  ASSERT_TRUE(r.report.is_object());
  EXPECT_EQ(r.report["exit"]["stopped_by"], "check");
  EXPECT_EQ(r.report["exit"]["check_passed"], true);
}

TEST(Verify, ProfileSaysWhenItsCheckNeverPassed) {
  CAPMIN_REQUIRE_ROOT_AND_NAMESPACES();
  // The run ends at the timeout with the check still failing: whatever the
  // program would have done once it answered was not seen, and the report
  // says so rather than show a mere exit status.
  const CapminRun r =
      profile_deny({"/bin/sleep", "30"}, {}, {"--timeout", "1", "--check", "false"});
  const DescribeOnFailure described(r);
  EXPECT_EQ(r.status, 143);
  ASSERT_TRUE(r.report.is_object());
  EXPECT_EQ(r.report["exit"]["stopped_by"], "timeout");
  EXPECT_EQ(r.report["exit"]["check_passed"], false);
  const CapminRun text =
      run_capmin({"profile", "--mode", "deny", "--timeout", "1", "--check", "false"},
                 {"/bin/sleep", "30"}, {.report = false});
  EXPECT_TRUE(
      text.printed("  ended: by capmin, at the --timeout; the --check never passed, so "
                   "what the program does after that point was not seen"))
      << text.out;
}

}  // namespace
}  // namespace capmin::e2e

namespace capmin::e2e {
namespace {

TEST(Verify, RuncWorksWhenCapminRunsInAChroot) {
  CAPMIN_REQUIRE_ROOT_AND_NAMESPACES();
  // A chroot whose root is a plain directory, not a mount point, and with no
  // cgroup hierarchy mounted, as on a CI machine built with debootstrap:
  // every top-level directory of this system bound into a directory of a
  // fresh tmpfs.
  const std::string script = R"(set -e
mkdir -p /mnt && mount -t tmpfs capmin-chroot /mnt && mkdir /mnt/r
for e in /*; do
  n=${e#/}
  [ "$n" = mnt ] && continue
  # A fresh sysfs, as in a debootstrap chroot: no cgroup hierarchy on it.
  if [ "$n" = sys ]; then mkdir /mnt/r/sys && mount -t sysfs sys /mnt/r/sys; continue; fi
  if [ -L "$e" ]; then cp -P "$e" /mnt/r/
  elif [ -d "$e" ]; then mkdir "/mnt/r/$n" && mount --rbind "$e" "/mnt/r/$n"; fi
done
here=$(pwd)
chroot /mnt/r /bin/sh -c "cd '$here' && \"\$CAPMIN_BIN\" verify --runtime runc --minimal --caps NET_BIND_SERVICE -- )" +
                             fixture("bind_port") + " 80\"";
  std::string out;
  const int status = run_script_in_namespaces(script, out);
  EXPECT_EQ(status, 0) << out;
  EXPECT_TRUE(
      contains(out,
               "(runc started in a mount namespace of its own, with / bound onto a mount: "
               "capmin runs in a chroot, with cgroup2 mounted on /sys/fs/cgroup: none was)"))
      << out;
  EXPECT_TRUE(contains(out, "without CAP_NET_BIND_SERVICE  failed")) << out;
  EXPECT_TRUE(contains(out, "result: verified in runc: works with exactly CAP_NET_BIND_SERVICE"))
      << out;
}

}  // namespace
}  // namespace capmin::e2e
