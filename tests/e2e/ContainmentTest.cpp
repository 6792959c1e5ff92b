// SPDX-License-Identifier: MIT
// What keeps the program under test from the rest of the machine (issue
// 20's first part): every run capmin makes, traced or not, gets uts and ipc
// namespaces of its own, as a container's process does. The tests run in
// namespaces of their own too (the harness's), so that a failure here
// changes only the harness's hostname and IPC objects, never the machine's.
#include "Harness.h"

namespace capmin::e2e {
namespace {

TEST(Containment, AHostnameSetInAProbedRetryStaysInTheRunsOwnUtsNamespace) {
  CAPMIN_REQUIRE_ROOT_AND_NAMESPACES();
  REQUIRE_PROGRAM("/bin/hostname");
  const CapminRun r = profile_probe({"/bin/sh", "-c", "hostname capmin-probed && hostname"},
                                    {.setup = "hostname capmin-before", .after = "hostname"});
  const DescribeOnFailure described(r);
  EXPECT_EQ(r.status, 0);
  EXPECT_TRUE(r.printed("capmin-probed"));  // inside, the retry did set it
  EXPECT_EQ(r.caps(), std::set<std::string>{"CAP_SYS_ADMIN"});
  EXPECT_EQ(r.confidence("CAP_SYS_ADMIN"), "confirmed");
  EXPECT_EQ(r.after, "capmin-before\n") << "the hostname outside the run changed";
  EXPECT_EQ(r.report["contained_by"][0], "uts and ipc namespaces of its own");
  EXPECT_TRUE(
      r.printed("  kept apart by: uts and ipc namespaces of its own; the working "
                "directory through an overlay of its own"));
}

TEST(Containment, VerifyRunsGetTheirOwnUtsNamespaceToo) {
  CAPMIN_REQUIRE_ROOT_AND_NAMESPACES();
  REQUIRE_PROGRAM("/bin/hostname");
  const CapminRun r = run_capmin(
      {"verify", "--caps", "SYS_ADMIN", "--minimal"}, {"/bin/hostname", "capmin-verified"},
      {.setup = "hostname capmin-before", .report = false, .after = "hostname"});
  const DescribeOnFailure described(r);
  EXPECT_EQ(r.status, 0);
  EXPECT_TRUE(r.printed("  without CAP_SYS_ADMIN  failed  (exit 1)  -> needed")) << r.out;
  EXPECT_EQ(r.after, "capmin-before\n") << "the hostname outside the runs changed";
}

TEST(Containment, TheHostsSystemVQueuesAreOutOfTheProgramsSight) {
  CAPMIN_REQUIRE_ROOT_AND_NAMESPACES();
  REQUIRE_PROGRAM("/usr/bin/perl");
  // A queue anyone may write to, outside the run: a container would not see
  // it, and neither does the program now.
  const CapminRun r =
      profile_probe({fixture("sysv_msg_send"), "0x43a9"},
                    {.setup = "perl -e 'defined msgget(0x43a9, 01666) or die \"msgget: $!\"'",
                     .after = "ipcs -q | awk '$1 == \"0x000043a9\" {print $6}'"});
  const DescribeOnFailure described(r);
  EXPECT_EQ(r.status, 1);
  EXPECT_TRUE(r.printed("FAIL msgget ENOENT"));
  EXPECT_EQ(r.caps(), std::set<std::string>{});
  EXPECT_EQ(r.after, "0\n") << "a message reached the queue outside the run";
}

TEST(Containment, WhereTheMachineForbidsNamespacesOneLineSaysSoOrRequireRefuses) {
  CAPMIN_REQUIRE_ROOT_AND_NAMESPACES();
  REQUIRE_PROGRAM("/usr/sbin/capsh");
  // Without CAP_SYS_ADMIN in its bounding set (a CI container's lot) capmin
  // can make no namespace: no overlay (--write-through), no filter
  // (--no-seccomp), and no uts or ipc namespace.
  const std::string run =
      "capsh --drop=cap_sys_admin -- -c '\"$CAPMIN_BIN\" profile "
      "--write-through --no-seccomp --no-minimal ";
  std::string out;
  EXPECT_EQ(run_script_in_namespaces(run + "-- /bin/true' 2>&1 >/dev/null", out), 0) << out;
  EXPECT_EQ(out,
            "capmin: warning: the program shares this machine's hostname and System V IPC: "
            "capmin cannot give it namespaces of its own here (unshare(CLONE_NEWUTS|CLONE_NEWIPC): "
            "Operation not permitted)\n");
  EXPECT_EQ(run_script_in_namespaces(run + "--contain=require -- /bin/true'", out), 125) << out;
  EXPECT_EQ(out,
            "capmin: error: --contain=require: capmin cannot give the program uts and ipc "
            "namespaces of its own here (unshare(CLONE_NEWUTS|CLONE_NEWIPC): Operation not "
            "permitted)\n");
}

}  // namespace
}  // namespace capmin::e2e
