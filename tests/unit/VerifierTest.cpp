// SPDX-License-Identifier: MIT
// The verification logic on a scripted runtime: which runs it makes, how it
// judges them, and what it concludes; and the pieces `capmin verify` parses
// its input with and hands runc.
#include <gtest/gtest.h>
#include <linux/capability.h>

#include <atomic>
#include <csignal>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <thread>

#include "cli/CapList.h"
#include "events/Errors.h"
#include "verify/CheckCommand.h"
#include "verify/Deadline.h"
#include "verify/Expectation.h"
#include "verify/RuncBundle.h"
#include "verify/Verifier.h"

namespace capmin::verify {
namespace {

// A program that needs exactly `needed` to exit 0, and exits 1 otherwise;
// remembers every set it was run with.
class ScriptedRuntime final : public Runtime {
 public:
  explicit ScriptedRuntime(std::vector<int> needed) : needed_(std::move(needed)) {}
  std::string name() const override { return "scripted"; }
  std::string describe() const override { return "a test double"; }
  RunOutcome run(const std::vector<int>& caps) override {
    runs.push_back(caps);
    RunOutcome o;
    for (int c : needed_) {
      if (std::find(caps.begin(), caps.end(), c) == caps.end()) {
        o.exit_code = 1;
      }
    }
    o.output = o.exit_code == 0 ? "listening on :80\n" : "bind: Permission denied\n";
    return o;
  }
  std::vector<std::vector<int>> runs;

 private:
  std::vector<int> needed_;
};

TEST(Verifier, TheRightSetPassesAndEveryCapabilityIsShownNecessary) {
  ScriptedRuntime rt({CAP_CHOWN, CAP_NET_BIND_SERVICE});
  const Verification v = verify(rt, {CAP_NET_BIND_SERVICE, CAP_CHOWN}, Expectation{}, true);
  EXPECT_TRUE(v.works());
  EXPECT_TRUE(v.passed());
  EXPECT_EQ(v.necessary, (std::vector<int>{CAP_CHOWN, CAP_NET_BIND_SERVICE}));
  EXPECT_TRUE(v.unnecessary.empty());
  // The full set, then once without each.
  EXPECT_EQ(rt.runs, (std::vector<std::vector<int>>{
                         {CAP_CHOWN, CAP_NET_BIND_SERVICE}, {CAP_NET_BIND_SERVICE}, {CAP_CHOWN}}));
  EXPECT_EQ(v.summary(),
            "verified in scripted: works with exactly CAP_CHOWN, CAP_NET_BIND_SERVICE, and fails "
            "without any one of them");
}

TEST(Verifier, AnExtraCapabilityIsAFindingAgainstTheSet) {
  ScriptedRuntime rt({CAP_NET_BIND_SERVICE});
  const Verification v = verify(rt, {CAP_NET_BIND_SERVICE, CAP_SYS_ADMIN}, Expectation{}, true);
  EXPECT_TRUE(v.works());
  EXPECT_FALSE(v.passed());
  EXPECT_EQ(v.unnecessary, std::vector<int>{CAP_SYS_ADMIN});
  EXPECT_EQ(v.summary(), "works in scripted, but does as well without CAP_SYS_ADMIN: not needed");
}

TEST(Verifier, AMissingCapabilityFailsAndNothingMoreIsRun) {
  ScriptedRuntime rt({CAP_NET_BIND_SERVICE, CAP_SETUID});
  const Verification v = verify(rt, {CAP_NET_BIND_SERVICE}, Expectation{}, true);
  EXPECT_FALSE(v.works());
  EXPECT_FALSE(v.passed());
  EXPECT_EQ(rt.runs.size(), 1u);
  EXPECT_EQ(v.summary(),
            "does not work with CAP_NET_BIND_SERVICE in scripted: exit 1, expected exit 0");
}

TEST(Verifier, WithoutMinimalOnlyTheFullSetRuns) {
  ScriptedRuntime rt({});
  const Verification v = verify(rt, {CAP_KILL, CAP_CHOWN}, Expectation{}, false);
  EXPECT_TRUE(v.passed());
  EXPECT_EQ(rt.runs.size(), 1u);
  EXPECT_FALSE(v.minimal_checked);
}

TEST(Expectation, ExitStatusIsTheDefaultCriterion) {
  Expectation e;
  RunOutcome ok;
  RunOutcome failed;
  failed.exit_code = 3;
  RunOutcome killed;
  killed.signal = 9;
  EXPECT_TRUE(e.judge(ok).passed);
  EXPECT_FALSE(e.judge(failed).passed);
  EXPECT_EQ(e.judge(killed).why, "killed by SIGKILL, expected exit 0");
  e.expect_exit(3);
  EXPECT_TRUE(e.judge(failed).passed);
  EXPECT_FALSE(e.judge(ok).passed);
  EXPECT_EQ(e.describe(), "exit status 3");
}

TEST(Expectation, AnExecveTheKernelRefusedNeverPasses) {
  Expectation e;
  e.expect_exit(126);  // not even when 126 is what the user expects
  RunOutcome r;
  r.exec_refused = "Operation not permitted";
  EXPECT_EQ(r.status(), 126);
  const Judgement j = e.judge(r);
  EXPECT_FALSE(j.passed);
  EXPECT_EQ(j.why, "execve refused: Operation not permitted");
}

TEST(Expectation, OutputMustHaveAMatchingLine) {
  Expectation e;
  e.expect_output("^listening on :[0-9]+$");
  RunOutcome r;
  r.output = "starting\nlistening on :80\n";
  EXPECT_TRUE(e.judge(r).passed);
  r.output = "starting\nbind: Permission denied\n";
  const Judgement j = e.judge(r);
  EXPECT_FALSE(j.passed);
  EXPECT_NE(j.why.find("no line of output matches"), std::string::npos) << j.why;
  EXPECT_THROW(e.expect_output("(unclosed"), UserError);
}

TEST(Expectation, AServerStoppedAtTheTimeoutHasNotFailed) {
  Expectation e;
  RunOutcome r;
  r.timed_out = true;
  r.signal = 15;
  EXPECT_TRUE(e.judge(r).passed);
  e.expect_output("ready");
  EXPECT_FALSE(e.judge(r).passed);  // ... but it must still say what it said it would
}

TEST(OciConfig, CapabilitiesGoInEverySetTheKernelChecks) {
  BundleSpec spec;
  spec.argv = {"/usr/bin/true"};
  spec.caps = {CAP_CHOWN, CAP_NET_BIND_SERVICE};
  spec.cwd = "/tmp/work";
  const auto c = oci_config(spec);
  const auto& caps = c["process"]["capabilities"];
  for (const char* set : {"bounding", "effective", "permitted"}) {
    EXPECT_EQ(caps[set], (nlohmann::json{"CAP_CHOWN", "CAP_NET_BIND_SERVICE"})) << set;
  }
  // uid 0 needs no ambient set: execve gives root its permitted set.
  EXPECT_FALSE(caps.contains("ambient"));
  EXPECT_FALSE(caps.contains("inheritable"));
  EXPECT_EQ(c["process"]["noNewPrivileges"], false);
  EXPECT_EQ(c["process"]["args"], nlohmann::json{"/usr/bin/true"});
}

TEST(OciConfig, ANonRootUserKeepsThemThroughTheAmbientSet) {
  BundleSpec spec;
  spec.argv = {"/usr/bin/true"};
  spec.uid = 1000;
  spec.gid = 1000;
  spec.caps = {CAP_NET_RAW};
  spec.cwd = "/";
  const auto c = oci_config(spec);
  EXPECT_EQ(c["process"]["capabilities"]["ambient"], nlohmann::json{"CAP_NET_RAW"});
  EXPECT_EQ(c["process"]["capabilities"]["inheritable"], nlohmann::json{"CAP_NET_RAW"});
  EXPECT_EQ(c["process"]["user"]["uid"], 1000);
}

TEST(OciConfig, TheHostIsReadOnlyExceptTheWorkingDirectoryAndBinds) {
  BundleSpec spec;
  spec.argv = {"/bin/sh"};
  spec.cwd = "/srv/app";
  spec.binds = {Bind{"/var/lib/app", "/data"}};
  spec.host_network = false;
  const auto c = oci_config(spec);
  EXPECT_EQ(c["root"]["readonly"], true);
  std::map<std::string, nlohmann::json> mounts;
  for (const auto& m : c["mounts"]) {
    mounts[m["destination"]] = m;
  }
  EXPECT_EQ(mounts["/"]["options"], (nlohmann::json{"rbind", "rro"}));
  EXPECT_EQ(mounts["/srv/app"]["options"], (nlohmann::json{"rbind", "rw"}));
  EXPECT_EQ(mounts["/data"]["source"], "/var/lib/app");
  EXPECT_EQ(mounts["/data"]["options"], (nlohmann::json{"rbind", "rw"}));
  EXPECT_EQ(mounts["/tmp"]["type"], "tmpfs");
  bool network = false;
  for (const auto& ns : c["linux"]["namespaces"]) {
    network = network || ns["type"] == "network";
  }
  EXPECT_TRUE(network);  // --network none: loopback only
  // Nothing the host may refuse: no cgroup limits, rlimits or seccomp.
  EXPECT_FALSE(c["linux"].contains("resources"));
  EXPECT_FALSE(c["linux"].contains("seccomp"));
  EXPECT_FALSE(c["process"].contains("rlimits"));
}

TEST(OciConfig, AProgramUnderTmpStaysReachableReadOnly) {
  BundleSpec spec;
  spec.argv = {"/tmp/build/server"};
  spec.cwd = "/srv";
  spec.program_dir = "/tmp/build";
  const auto mounts = oci_config(spec)["mounts"];
  const auto& last = mounts.back();
  EXPECT_EQ(last["destination"], "/tmp/build");
  EXPECT_EQ(last["options"], (nlohmann::json{"rbind", "ro"}));
  // After the container's own /tmp, or that would hide it again.
  std::size_t tmp = 0;
  for (std::size_t i = 0; i < mounts.size(); ++i) {
    if (mounts[i]["destination"] == "/tmp") {
      tmp = i;
    }
  }
  EXPECT_LT(tmp, mounts.size() - 1);
}

TEST(OciConfig, HostNetworkMeansNoNetworkNamespace) {
  BundleSpec spec;
  spec.argv = {"/bin/sh"};
  spec.cwd = "/";
  const auto config = oci_config(spec);
  ASSERT_FALSE(config["linux"]["namespaces"].empty());
  for (const auto& ns : config["linux"]["namespaces"]) {
    EXPECT_NE(ns["type"], "network");
  }
}

TEST(BindOption, SourceIsMadeAbsoluteAndMustExist) {
  const std::string here = std::filesystem::current_path().string();
  const Bind same = parse_bind(".");
  EXPECT_EQ(same.source, here);
  EXPECT_EQ(same.destination, here);
  const Bind other = parse_bind(".:/data");
  EXPECT_EQ(other.destination, "/data");
  EXPECT_THROW(parse_bind("/no/such/dir/anywhere"), UserError);
  EXPECT_THROW(parse_bind(".:relative"), UserError);
  EXPECT_THROW(parse_bind(":/data"), UserError);
}

}  // namespace
}  // namespace capmin::verify

namespace capmin::cli {
namespace {

TEST(CapList, AcceptsEveryWayOfWritingANameOnce) {
  EXPECT_EQ(parse_cap_list("CAP_NET_RAW,net_raw, NET_RAW ,chown"),
            (std::vector<int>{CAP_CHOWN, CAP_NET_RAW}));  // by number
  EXPECT_TRUE(parse_cap_list("none").empty());
  EXPECT_TRUE(parse_cap_list("").empty());
}

TEST(CapList, AnUnknownNameIsRefusedWithTheCloseNames) {
  try {
    parse_cap_list("CHOWN,NET_BIND");
    FAIL() << "NET_BIND accepted";
  } catch (const UserError& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("unknown capability 'NET_BIND'"), std::string::npos) << what;
    EXPECT_NE(what.find("CAP_NET_BIND_SERVICE"), std::string::npos) << what;
  }
  EXPECT_THROW(parse_cap_list("CHOWN,,KILL"), UserError);
}

}  // namespace
}  // namespace capmin::cli

namespace capmin::verify {
namespace {

TEST(CheckCommand, PassesOnlyWhenTheShellCommandExitsZeroInTime) {
  EXPECT_TRUE(check_passes("exit 0"));
  EXPECT_FALSE(check_passes("exit 1"));
  EXPECT_FALSE(check_passes("/no/such/command"));
  const auto start = std::chrono::steady_clock::now();
  EXPECT_FALSE(check_passes("sleep 30", std::chrono::milliseconds(200)));
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
}

TEST(Deadline, APassingCheckEndsTheRunEarly) {
  std::atomic<int> calls{0};
  std::atomic<int> term{0};
  {
    const Deadline d(
        std::chrono::milliseconds(20000), [&](int sig) { term += sig == SIGTERM; },
        [&] { return ++calls >= 2; }, std::chrono::milliseconds(20000));
    for (int i = 0; i < 400 && term == 0; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    EXPECT_EQ(term, 1);
    EXPECT_TRUE(d.check_passed());
    EXPECT_FALSE(d.fired());
  }
  EXPECT_EQ(calls, 2);
}

TEST(Deadline, WithoutACheckOnlyTheTimeEndsTheRun) {
  std::atomic<int> term{0};
  const Deadline d(std::chrono::milliseconds(50), [&](int sig) { term += sig == SIGTERM; });
  for (int i = 0; i < 400 && term == 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_EQ(term, 1);
  EXPECT_TRUE(d.fired());
  EXPECT_FALSE(d.check_passed());
}

TEST(Expectation, WithACheckTheExitStatusNoLongerCounts) {
  Expectation e;
  e.expect_check("curl -sf http://127.0.0.1/");
  RunOutcome served;
  served.check_passed = true;
  served.signal = SIGTERM;
  EXPECT_TRUE(e.judge(served).passed);
  RunOutcome died;
  died.exit_code = 1;
  EXPECT_EQ(e.judge(died).why, "exit 1 before the check `curl -sf http://127.0.0.1/` passed");
  RunOutcome hung;
  hung.timed_out = true;
  EXPECT_FALSE(e.judge(hung).passed);
  EXPECT_EQ(e.describe(), "the check `curl -sf http://127.0.0.1/` passing while it runs");
}

}  // namespace
}  // namespace capmin::verify
