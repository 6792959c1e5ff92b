// SPDX-License-Identifier: MIT
// Faults of processes and signals (docs/robustness.md): nothing lost, nothing
// hung. Signals sent to capmin, a program that dies or is stopped at any
// moment, threads and processes that come and go around refused calls, a
// program that is a debugger itself, and capmin killed.
#include <signal.h>
#include <unistd.h>

#include "Harness.h"
#include "RobustnessHelpers.h"

namespace capmin::e2e {
namespace {

using Caps = std::set<std::string>;

// A second SIGINT or SIGTERM kills a program that ignores the first, even
// while capmin is busy with the program's stops every moment it runs.
void expect_second_signal_kills_busy_program(const std::string& mode, const std::string& sig) {
  Options o;
  o.during = wait_for_file("refuse_loop.started") + "kill -" + sig + " $CAPMIN_PID; sleep 0.3; " +
             "kill -" + sig + " $CAPMIN_PID; " + wait_for_capmin_to_end(10) +
             "pkill -KILL -x refuse_loop; true";
  // The program gives up by itself after 20 s (status 3): a capmin that did
  // not kill it fails the test instead of hanging it.
  const CapminRun r = run_capmin({"profile", "--mode", mode, "--no-minimal", "--write-through"},
                                 {fixture("refuse_loop"), "20", "ignore"}, o);
  const DescribeOnFailure described(r);
  EXPECT_EQ(file_in(r, "during.log"), "capmin-ended\n");
  EXPECT_EQ(r.status, 128 + SIGKILL);
  ASSERT_TRUE(r.report.is_object());
  EXPECT_EQ(r.report["exit"]["signal"], "SIGKILL");
  EXPECT_EQ(r.caps(), Caps{"CAP_NET_BIND_SERVICE"});
  EXPECT_GE(r.refusal_count("CAP_NET_BIND_SERVICE"), 1u);
  expect_no_internal_error(r);
}

TEST(Robustness, ASecondSigintKillsABusyProgramThatIgnoresTheFirst) {
  CAPMIN_REQUIRE_ROOT_AND_NAMESPACES();
  expect_second_signal_kills_busy_program("deny", "INT");
}

TEST(Robustness, ASecondSigintKillsABusyProgramInProbeMode) {
  CAPMIN_REQUIRE_ROOT_AND_NAMESPACES();
  expect_second_signal_kills_busy_program("probe", "INT");
}

TEST(Robustness, ASecondSigtermKillsABusyProgramThatIgnoresTheFirst) {
  CAPMIN_REQUIRE_ROOT_AND_NAMESPACES();
  expect_second_signal_kills_busy_program("deny", "TERM");
}

TEST(Robustness, ASecondSigintKillsWhatOutlivesTheProgram) {
  CAPMIN_REQUIRE_ROOT_AND_NAMESPACES();
  // The program has exited (and its pid may be reused: nothing is sent to
  // it); a busy orphan it left is still traced, and killed.
  Options o;
  o.during = wait_for_file("refuse_loop.started") + "sleep 0.3; kill -INT $CAPMIN_PID; " +
             "sleep 0.3; kill -INT $CAPMIN_PID; " + wait_for_capmin_to_end(10) +
             "pkill -KILL -x refuse_loop; true";
  const CapminRun r =
      profile_deny({"/bin/sh", "-c", fixture("refuse_loop") + " 20 ignore & exit 5"}, o);
  const DescribeOnFailure described(r);
  EXPECT_EQ(file_in(r, "during.log"), "capmin-ended\n");
  EXPECT_EQ(r.status, 5);  // the program's own
  EXPECT_EQ(r.caps(), Caps{"CAP_NET_BIND_SERVICE"});
}

TEST(Robustness, SigquitSigusr1AndSigusr2ToCapminAreForwarded) {
  CAPMIN_REQUIRE_ROOT_AND_NAMESPACES();
  const std::vector<std::pair<std::string, int>> signals = {
      {"QUIT", 11}, {"USR1", 12}, {"USR2", 13}};
  for (const auto& [sig, code] : signals) {
    Options o;
    o.during = wait_for_file("ready") + "kill -" + sig + " $CAPMIN_PID";
    const CapminRun r = profile_deny(
        {"/bin/sh", "-c",
         "trap 'exit " + std::to_string(code) + "' " + sig + "; " + fixture("bind_port") +
             " 80; touch ready; i=0; while [ $i -lt 100 ]; do sleep 0.1; i=$((i+1)); done; "
             "exit 9"},
        o);
    const DescribeOnFailure described(r);
    EXPECT_EQ(r.status, code) << "SIG" << sig;
    EXPECT_EQ(r.caps(), Caps{"CAP_NET_BIND_SERVICE"}) << "SIG" << sig;
  }
}

// The program dies

TEST(Robustness, AProgramKilledBySigkillFromOutsideGives137AndItsReport) {
  CAPMIN_REQUIRE_ROOT_AND_NAMESPACES();
  Options o;
  o.during = wait_for_file("refused") +
             "i=0; until pgrep -x sleep >/dev/null || [ $i -ge 100 ]; do sleep 0.1; "
             "i=$((i+1)); done; pkill -KILL -x sleep";
  const CapminRun r = profile_deny(
      {"/bin/sh", "-c", fixture("bind_port") + " 80; touch refused; exec sleep 30"}, o);
  const DescribeOnFailure described(r);
  EXPECT_EQ(r.status, 128 + SIGKILL);
  ASSERT_TRUE(r.report.is_object());
  EXPECT_EQ(r.report["exit"]["code"], 137);
  EXPECT_EQ(r.report["exit"]["signal"], "SIGKILL");
  EXPECT_EQ(r.caps(), Caps{"CAP_NET_BIND_SERVICE"});
}

TEST(Robustness, ARefusalBeforeASegfaultIsInTheReport) {
  CAPMIN_REQUIRE_ROOT_AND_NAMESPACES();
  const CapminRun r = profile_deny(
      {"/bin/sh", "-c", fixture("bind_port") + " 80; exec " + fixture("die_by_signal") + " segv"});
  const DescribeOnFailure described(r);
  EXPECT_EQ(r.status, 128 + SIGSEGV);
  ASSERT_TRUE(r.report.is_object());
  EXPECT_EQ(r.report["exit"]["signal"], "SIGSEGV");
  EXPECT_EQ(r.caps(), Caps{"CAP_NET_BIND_SERVICE"});
}

TEST(Robustness, ARefusalBeforeAnAbortIsInTheReportInProbeMode) {
  CAPMIN_REQUIRE_ROOT_AND_NAMESPACES();
  const CapminRun r = profile_probe(
      {"/bin/sh", "-c", fixture("bind_port") + " 80; exec " + fixture("die_by_signal") + " abort"});
  const DescribeOnFailure described(r);
  EXPECT_EQ(r.status, 128 + SIGABRT);
  ASSERT_TRUE(r.report.is_object());
  EXPECT_EQ(r.report["exit"]["signal"], "SIGABRT");
  EXPECT_EQ(r.caps(), Caps{"CAP_NET_BIND_SERVICE"});
  EXPECT_EQ(r.confidence("CAP_NET_BIND_SERVICE"), "confirmed");
}

// Job control

void expect_job_control_as_without_capmin(const CapminRun& r) {
  EXPECT_EQ(r.status, 0);
  EXPECT_TRUE(r.printed("cycles 6"));
  EXPECT_TRUE(r.printed("OK"));
  EXPECT_EQ(r.caps(), Caps{"CAP_NET_BIND_SERVICE"});
  expect_no_internal_error(r);
}

TEST(Robustness, StoppingAndContinuingAThreadedChildWorksAsWithoutCapmin) {
  CAPMIN_REQUIRE_ROOT_AND_NAMESPACES();
  // The same program without capmin first: what "as without" means.
  Options o;
  o.setup = fixture("job_control") + " 6 >plain.out";
  const CapminRun r = profile_deny({fixture("job_control"), "6"}, o);
  const DescribeOnFailure described(r);
  EXPECT_EQ(file_in(r, "plain.out"), "cycles 6\nOK\n");
  expect_job_control_as_without_capmin(r);
}

TEST(Robustness, StoppingAndContinuingAThreadedChildWorksInProbeMode) {
  CAPMIN_REQUIRE_ROOT_AND_NAMESPACES();
  const CapminRun r = profile_probe({fixture("job_control"), "6"});
  const DescribeOnFailure described(r);
  expect_job_control_as_without_capmin(r);
  EXPECT_EQ(r.confidence("CAP_NET_BIND_SERVICE"), "confirmed");
}

// Threads and processes that come and go

TEST(Robustness, AProcessEndedByOneThreadWhileOthersAreRefusedEndsTheRun) {
  CAPMIN_REQUIRE_ROOT_AND_NAMESPACES();
  for (const std::string mode : {"deny", "probe"}) {
    const CapminRun r = run_capmin({"profile", "--mode", mode, "--no-minimal"},
                                   {fixture("thread_exits"), "group", "16", "100000"});
    const DescribeOnFailure described(r);
    EXPECT_EQ(r.status, 3) << mode;
    EXPECT_TRUE(r.printed("exiting")) << mode;
    EXPECT_EQ(r.caps(), Caps{"CAP_NET_BIND_SERVICE"}) << mode;
    if (mode == "deny") {
      EXPECT_GE(r.refusal_count("CAP_NET_BIND_SERVICE"), 16u);
    } else {
      // A retry leaves the capability raised in its thread: at most one
      // refusal per thread, from those that got to bind before the exit.
      EXPECT_GE(r.refusal_count("CAP_NET_BIND_SERVICE"), 1u);
      EXPECT_LE(r.refusal_count("CAP_NET_BIND_SERVICE"), 16u);
    }
    expect_no_internal_error(r);
  }
}

TEST(Robustness, ThreadsOutlivingTheirLeaderThreadAreFollowedToTheEnd) {
  CAPMIN_REQUIRE_ROOT_AND_NAMESPACES();
  // The leader thread exits alone at once: its exit is reported only when
  // the last thread ends, and every refusal in between counts.
  const CapminRun deny = profile_deny({fixture("thread_exits"), "leader", "8", "50"});
  {
    const DescribeOnFailure described(deny);
    EXPECT_EQ(deny.status, 0);
    EXPECT_TRUE(deny.printed("refused 400"));
    EXPECT_EQ(deny.caps(), Caps{"CAP_NET_BIND_SERVICE"});
    EXPECT_EQ(deny.refusal_count("CAP_NET_BIND_SERVICE"), 400u);
  }
  const CapminRun probe = profile_probe({fixture("thread_exits"), "leader", "8", "50"});
  {
    const DescribeOnFailure described(probe);
    EXPECT_EQ(probe.status, 0);
    EXPECT_TRUE(probe.printed("refused 0"));  // every retry succeeded
    EXPECT_EQ(probe.confidence("CAP_NET_BIND_SERVICE"), "confirmed");
    EXPECT_EQ(probe.refusal_count("CAP_NET_BIND_SERVICE"), 8u);  // once per thread
  }
}

TEST(Robustness, AnOrphanThatOutlivesTheProgramIsFollowedAndTheProgramsStatusKept) {
  CAPMIN_REQUIRE_ROOT_AND_NAMESPACES();
  const CapminRun r = profile_deny(
      {"/bin/sh", "-c", "( sleep 0.3; " + fixture("bind_port") + " 80 >orphan.out ) & exit 4"},
      {.write_through = true});
  const DescribeOnFailure described(r);
  EXPECT_EQ(r.status, 4);  // the program's, not the orphan's
  EXPECT_EQ(file_in(r, "orphan.out"), "FAIL EACCES\n");
  EXPECT_EQ(r.caps(), Caps{"CAP_NET_BIND_SERVICE"});
}

TEST(Robustness, AParentSeesItsChildrenExitBeKilledAndBecomeZombiesAsWithoutCapmin) {
  CAPMIN_REQUIRE_ROOT_AND_NAMESPACES();
  for (const std::string mode : {"deny", "probe"}) {
    const CapminRun r =
        run_capmin({"profile", "--mode", mode, "--no-minimal"}, {fixture("reap_children"), "20"});
    const DescribeOnFailure described(r);
    EXPECT_EQ(r.status, 0) << mode;
    for (const char* line : {"exited 20", "killed 20", "zombies 20", "auto-reaped 20", "OK"}) {
      EXPECT_TRUE(r.printed(line)) << mode << ": " << line;
    }
    EXPECT_EQ(r.caps(), Caps{"CAP_CHOWN"}) << mode;
    EXPECT_EQ(r.refusal_count("CAP_CHOWN"), 4u) << mode;  // children 0, 5, 10, 15
  }
}

// A program that uses ptrace itself

TEST(Robustness, AProgramThatTracesItsOwnChildIsToldWhyAndDoesNotHang) {
  CAPMIN_REQUIRE_ROOT_AND_NAMESPACES();
  for (const std::string how : {"traceme", "attach", "seize"}) {
    const CapminRun r = profile_deny({fixture("ptrace_child"), how});
    const DescribeOnFailure described(r);
    EXPECT_EQ(r.status, 0) << how;
    EXPECT_TRUE(r.printed("FAIL EPERM")) << how;
    EXPECT_TRUE(r.caps().empty()) << how;
    const auto unresolved = r.unresolved_entries();
    ASSERT_EQ(unresolved.size(), 1u) << how;
    EXPECT_EQ(unresolved[0]["syscall"], "ptrace") << how;
    EXPECT_EQ(unresolved[0]["errno"], "EPERM") << how;
    EXPECT_TRUE(mentions(unresolved[0].value("reason", ""), "capmin")) << how;
  }
}

// capmin killed

TEST(Robustness, KillingCapminWithSigkillKillsTheWholeTreeStoppedAndDetachedAlike) {
  CAPMIN_REQUIRE_ROOT_AND_NAMESPACES();
  // Five sleeps: three in the background (one of them stopped), one in a
  // daemon of its own session, and the program itself.
  const std::string tree =
      "sleep 30 & sleep 30 & sleep 30 & p=$!; "
      "i=0; until grep -q '^Name:.*sleep' /proc/$p/status || [ $i -ge 100 ]; do sleep 0.05; "
      "i=$((i+1)); done; kill -STOP $p; "
      "setsid sh -c 'sleep 30 & exit 0'; touch tree; exec sleep 30";
  Options o;
  o.during =
      wait_for_file("tree") +
      "i=0; while [ \"$(pgrep -x sleep | wc -l)\" -lt 5 ] && [ $i -lt 100 ]; do "
      "sleep 0.1; i=$((i+1)); done; echo before $(pgrep -x sleep | wc -l); "
      "echo stopped $(grep -l '^State:.*[Tt]' $(pgrep -x sleep | sed 's|.*|/proc/&/status|') "
      "| wc -l); "
      "kill -KILL $CAPMIN_PID; "
      "i=0; while pgrep -x sleep >/dev/null && [ $i -lt 50 ]; do sleep 0.1; "
      "i=$((i+1)); done; echo after $(pgrep -x sleep | wc -l)";
  const CapminRun r = profile_deny({"/bin/sh", "-c", tree}, o);
  const DescribeOnFailure described(r);
  EXPECT_EQ(r.status, 128 + SIGKILL);
  EXPECT_EQ(file_in(r, "during.log"), "before 5\nstopped 1\nafter 0\n");
}

TEST(Robustness, KillingCapminWithSigkillMidProbeKillsTheProgram) {
  CAPMIN_REQUIRE_ROOT_AND_NAMESPACES();
  // The program holds a full permitted set in probe mode: it must not run on
  // unsupervised.
  Options o;
  o.during = wait_for_file("refuse_loop.started") + "kill -KILL $CAPMIN_PID; " +
             "i=0; while pgrep -x refuse_loop >/dev/null && [ $i -lt 50 ]; do sleep 0.1; "
             "i=$((i+1)); done; echo left $(pgrep -x refuse_loop | wc -l)";
  const CapminRun r = profile_probe({fixture("refuse_loop"), "20"}, o);
  const DescribeOnFailure described(r);
  EXPECT_EQ(r.status, 128 + SIGKILL);
  EXPECT_EQ(file_in(r, "during.log"), "left 0\n");
}

}  // namespace
}  // namespace capmin::e2e
