// SPDX-License-Identifier: MIT
// Signals to capmin reach the program, as with docker run; the report of
// everything seen so far is written however the run ends.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "Harness.h"

namespace capmin::e2e {
namespace {

using Caps = std::set<std::string>;

std::string during_log(const CapminRun& r) {
  std::ifstream in(r.workdir + "/during.log");
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// A shell that makes one refused call, then waits to be signalled.
std::vector<std::string> waiting_shell(const std::string& traps) {
  return {"/bin/sh", "-c",
          traps + "; " + fixture("bind_port") + " 80; i=0; while [ $i -lt 100 ]; do sleep 0.1; " +
              "i=$((i+1)); done; exit 9"};
}

TEST(Signals, SigtermToCapminIsForwardedAndTheReportWritten) {
  CAPMIN_REQUIRE_ROOT_AND_NAMESPACES();
  Options o;
  o.during = "sleep 0.5; kill -TERM $CAPMIN_PID";
  const CapminRun r = profile_deny(waiting_shell("trap 'exit 7' TERM"), o);
  const DescribeOnFailure described(r);
  EXPECT_EQ(r.status, 7);
  EXPECT_EQ(r.caps(), Caps{"CAP_NET_BIND_SERVICE"});
  EXPECT_EQ(r.report["exit"]["code"], 7);
}

TEST(Signals, SighupToCapminIsForwarded) {
  CAPMIN_REQUIRE_ROOT_AND_NAMESPACES();
  Options o;
  o.during = "sleep 0.5; kill -HUP $CAPMIN_PID";
  const CapminRun r = profile_deny(waiting_shell("trap 'exit 5' HUP"), o);
  const DescribeOnFailure described(r);
  EXPECT_EQ(r.status, 5);
  EXPECT_EQ(r.caps(), Caps{"CAP_NET_BIND_SERVICE"});
}

TEST(Signals, AnUnhandledSigintKillsTheProgramAndGives130) {
  CAPMIN_REQUIRE_ROOT_AND_NAMESPACES();
  Options o;
  o.during = "sleep 0.5; kill -INT $CAPMIN_PID";
  const CapminRun r = profile_deny({fixture("exec_program"), "/bin/sleep", "10"}, o);
  const DescribeOnFailure described(r);
  EXPECT_EQ(r.status, 130);
  EXPECT_EQ(r.report["exit"]["signal"], "SIGINT");
}

TEST(Signals, ASecondInterruptKillsAProgramThatIgnoresTheFirst) {
  CAPMIN_REQUIRE_ROOT_AND_NAMESPACES();
  Options o;
  o.during = "sleep 0.5; kill -INT $CAPMIN_PID; sleep 0.3; kill -INT $CAPMIN_PID";
  const CapminRun r = profile_deny(waiting_shell("trap '' INT"), o);
  const DescribeOnFailure described(r);
  EXPECT_EQ(r.status, 137);  // SIGKILL
  EXPECT_EQ(r.caps(), Caps{"CAP_NET_BIND_SERVICE"});
  EXPECT_EQ(r.report["exit"]["signal"], "SIGKILL");
}

TEST(Signals, AStoppedProgramStaysStoppedUntilSigcont) {
  CAPMIN_REQUIRE_ROOT_AND_NAMESPACES();
  Options o;
  o.write_through = true;
  // The shell stops itself; while stopped it must not write `resumed`.
  o.during =
      "sleep 0.5; test ! -e resumed && echo still-stopped; "
      "pkill -CONT -f 'kill -STOP'; sleep 0.5";
  const CapminRun r = profile_deny({"/bin/sh", "-c", "kill -STOP $$; touch resumed"}, o);
  const DescribeOnFailure described(r);
  EXPECT_EQ(r.status, 0);
  EXPECT_NE(during_log(r).find("still-stopped"), std::string::npos) << during_log(r);
  EXPECT_EQ(access((r.workdir + "/resumed").c_str(), F_OK), 0);
}

TEST(Signals, SigtstpStopsTheProgramAsWithoutCapmin) {
  CAPMIN_REQUIRE_ROOT_AND_NAMESPACES();
  Options o;
  o.during =
      "sleep 0.5; pkill -TSTP -x sleep; sleep 0.3; "
      "grep -q '^State:.*[Tt]' /proc/$(pgrep -x sleep)/status && echo was-stopped; "
      "pkill -CONT -x sleep";
  const CapminRun r = profile_deny({"/bin/sleep", "1"}, o);
  const DescribeOnFailure described(r);
  EXPECT_EQ(r.status, 0);
  EXPECT_NE(during_log(r).find("was-stopped"), std::string::npos) << during_log(r);
}

TEST(Signals, KillingCapminWithSigkillKillsTheProgramToo) {
  CAPMIN_REQUIRE_ROOT_AND_NAMESPACES();
  Options o;
  o.during =
      "sleep 0.5; kill -KILL $CAPMIN_PID; sleep 0.5; "
      "if pgrep -x sleep >/dev/null; then echo still-running; else echo gone; fi";
  const CapminRun r = profile_deny({"/bin/sleep", "30"}, o);
  EXPECT_EQ(r.status, 137);
  EXPECT_NE(during_log(r).find("gone"), std::string::npos) << during_log(r);
}

}  // namespace
}  // namespace capmin::e2e
