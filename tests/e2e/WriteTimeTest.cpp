// SPDX-License-Identifier: MIT
// Refusals that arrive at write(2): the open of a sysctl or of
// oom_score_adj succeeds and the file's own handler refuses the value. The
// tracer moves such descriptors to the top of the table and sees the
// writes there, and no other write stops the program.
#include <fstream>
#include <regex>

#include "Harness.h"

namespace capmin::e2e {
namespace {

using Caps = std::set<std::string>;

const nlohmann::json* only_evidence(const CapminRun& r, const std::string& cap) {
  const std::vector<nlohmann::json> e = r.evidence(cap);
  return e.size() == 1 ? &r.report["findings"][0]["evidence"][0] : nullptr;
}

void expect_sys_resource(const CapminRun& r, const std::string& syscall) {
  EXPECT_EQ(r.caps(), Caps{"CAP_SYS_RESOURCE"});
  const auto* e = only_evidence(r, "CAP_SYS_RESOURCE");
  ASSERT_NE(e, nullptr);
  EXPECT_EQ((*e)["syscall"], syscall);
  EXPECT_EQ((*e)["errno"], "EACCES");
  EXPECT_NE((*e)["args"].get<std::string>().find("/oom_score_adj>"), std::string::npos) << *e;
  EXPECT_EQ((*e)["rule"], "write-oom-score-adj-lowered");
}

TEST(WriteTime, LoweringTheOomScoreAdjustmentIsRefusedAtTheWriteAndNeedsSysResource) {
  CAPMIN_REQUIRE_ROOT_AND_NAMESPACES();
  const CapminRun d = profile_deny({fixture("write_oom_score_adj")});
  const DescribeOnFailure described_d(d);
  EXPECT_EQ(d.status, 1);
  EXPECT_TRUE(d.printed("FAIL write EACCES"));
  expect_sys_resource(d, "write");
  EXPECT_EQ(d.confidence("CAP_SYS_RESOURCE"), "inferred");

  const CapminRun p = profile_probe({fixture("write_oom_score_adj")});
  const DescribeOnFailure described_p(p);
  expect_sys_resource(p, "write");
  if (bounding_holds("CAP_SYS_RESOURCE")) {
    // The write retried with the capability raised goes through, and the
    // program closes the descriptor it was given as its own.
    EXPECT_EQ(p.status, 0);
    EXPECT_TRUE(p.printed("OK"));
    EXPECT_EQ(p.confidence("CAP_SYS_RESOURCE"), "confirmed");
  } else {
    EXPECT_EQ(p.confidence("CAP_SYS_RESOURCE"), "inferred");
  }
}

TEST(WriteTime, SysctlSettingForwardingInAPrivateNetworkNamespaceNeedsNetAdmin) {
  CAPMIN_REQUIRE_ROOT_AND_NAMESPACES();
  REQUIRE_PROGRAM("/usr/sbin/sysctl");
  // The harness runs capmin in a network namespace of its own: the host's
  // forwarding is never touched.
  const std::vector<std::string> cmd = {"/usr/sbin/sysctl", "-w", "net.ipv4.conf.lo.forwarding=1"};
  const CapminRun d = profile_deny(cmd);
  const DescribeOnFailure described_d(d);
  EXPECT_NE(d.status, 0);
  EXPECT_EQ(d.caps(), Caps{"CAP_NET_ADMIN"});
  const CapminRun r = profile_probe(cmd, {.minimal = true});
  const DescribeOnFailure described(r);
  EXPECT_EQ(r.status, 0);
  EXPECT_TRUE(r.printed("net.ipv4.conf.lo.forwarding = 1"));
  EXPECT_EQ(r.caps(), Caps{"CAP_NET_ADMIN"});
  EXPECT_EQ(r.confidence("CAP_NET_ADMIN"), "confirmed");
  const auto* e = only_evidence(r, "CAP_NET_ADMIN");
  ASSERT_NE(e, nullptr);
  EXPECT_EQ((*e)["syscall"], "write");
  EXPECT_EQ((*e)["errno"], "EPERM");
  EXPECT_NE((*e)["args"].get<std::string>().find("</proc/sys/net/ipv4/conf/lo/forwarding>"),
            std::string::npos)
      << *e;
  EXPECT_EQ(r.report["minimal"]["proven"], true) << r.report["minimal"];
}

TEST(WriteTime, ChoomLoweringItsOwnScoreNeedsSysResource) {
  CAPMIN_REQUIRE_ROOT_AND_NAMESPACES();
  REQUIRE_PROGRAM("/usr/bin/choom");
  const CapminRun r = profile_probe({"/usr/bin/choom", "-n", "-500", "--", "/bin/true"});
  const DescribeOnFailure described(r);
  expect_sys_resource(r, "write");
  EXPECT_EQ(r.status, bounding_holds("CAP_SYS_RESOURCE") ? 0 : 1);
  // The proven set keeps it: shown needed where capmin holds it, marked
  // untestable (and the set unproven) where it does not.
  const CapminRun m =
      profile_probe({"/usr/bin/choom", "-n", "-500", "--", "/bin/true"}, {.minimal = true});
  const DescribeOnFailure described_m(m);
  EXPECT_EQ(m.caps(), Caps{"CAP_SYS_RESOURCE"});
  EXPECT_EQ(m.report["minimal"]["proven"], bounding_holds("CAP_SYS_RESOURCE"))
      << m.report["minimal"]["summary"];
}

// A set-user-ID program of root's, as an installer leaves it.
const char* kSetuidFile = "cp /bin/true prog && chmod 4755 prog";

void expect_setid_cleared(const CapminRun& r) {
  EXPECT_EQ(r.status, 0);
  EXPECT_EQ(r.caps(), Caps{"CAP_FSETID"});
  EXPECT_EQ(r.confidence("CAP_FSETID"), "inferred");
  const auto* e = only_evidence(r, "CAP_FSETID");
  ASSERT_NE(e, nullptr);
  EXPECT_EQ((*e)["syscall"], "write");
  EXPECT_EQ((*e)["rule"], "write-setid-cleared");
  EXPECT_NE((*e)["args"].get<std::string>().find("/prog>"), std::string::npos) << *e;
}

TEST(WriteTime, AnAppendToASetuidFileClearsTheBitWithoutFsetid) {
  CAPMIN_REQUIRE_ROOT_AND_NAMESPACES();
  for (const char* mode : {"deny", "probe"}) {
    const CapminRun r = run_capmin({"profile", "--mode", mode, "--no-minimal"},
                                   {fixture("append_to_setid"), "prog"}, {.setup = kSetuidFile});
    const DescribeOnFailure described(r);
    expect_setid_cleared(r);
    EXPECT_TRUE(r.printed("mode 0755")) << mode;  // as in a container without it
  }
  // The proof keeps it: without it the kernel quietly did less.
  const CapminRun m =
      profile_probe({fixture("append_to_setid"), "prog"}, {.setup = kSetuidFile, .minimal = true});
  const DescribeOnFailure described(m);
  expect_setid_cleared(m);
  EXPECT_NE(m.report["findings"][0].value("note", "").find("without it the kernel quietly"),
            std::string::npos)
      << m.report["findings"][0];
}

TEST(WriteTime, TeeAppendingToASetuidFileNeedsFsetid) {
  CAPMIN_REQUIRE_ROOT_AND_NAMESPACES();
  REQUIRE_PROGRAM("/usr/bin/tee");
  const CapminRun r = profile_probe({"/bin/sh", "-c", "echo x | /usr/bin/tee -a prog >/dev/null"},
                                    {.setup = kSetuidFile});
  const DescribeOnFailure described(r);
  expect_setid_cleared(r);
}

TEST(WriteTime, OrdinaryWritesDoNotStopTheProgram) {
  CAPMIN_REQUIRE_ROOT_AND_NAMESPACES();
  // 2000 writes to a file and to /dev/null: none reaches the tracer.
  const CapminRun r = profile_probe(
      {"/bin/sh", "-c", "for i in $(seq 1000); do echo x; echo y >&2; done >out 2>/dev/null"}, {},
      {"--stats"});
  const DescribeOnFailure described(r);
  EXPECT_EQ(r.status, 0);
  std::smatch m;
  ASSERT_TRUE(std::regex_search(r.err, m, std::regex("([0-9]+) syscall stops"))) << r.err;
  EXPECT_LT(std::stoi(m[1]), 500) << r.err;
}

}  // namespace
}  // namespace capmin::e2e
