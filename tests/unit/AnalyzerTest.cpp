// SPDX-License-Identifier: MIT
#include <gtest/gtest.h>

#include "analyzer/Analyzer.h"
#include "events/CapabilityNames.h"
#include "events/SyscallNames.h"

namespace capmin::analyzer {
namespace {

constexpr int kEPERM = 1;
constexpr int kEACCES = 13;
constexpr int kEROFS = 30;

const char* kRules = R"(rules:
  - id: bind-low
    syscalls: [bind]
    errno: EACCES
    when: {addr.port: {lt: 1024}}
    candidates: [CAP_NET_BIND_SERVICE]
    reason: binding a port below 1024
    note: or lower net.ipv4.ip_unprivileged_port_start
  - id: raw-socket
    syscalls: [socket]
    errno: EPERM
    candidates: [CAP_NET_RAW]
    reason: opening a raw socket
  - id: chown
    syscalls: [chown]
    errno: EPERM
    candidates: [CAP_CHOWN]
    reason: changing a file's owner
  - id: open-write
    syscalls: [openat]
    errno: EACCES
    when: {flags: {any_of: [O_WRONLY, O_RDWR]}}
    candidates: [CAP_DAC_OVERRIDE]
    reason: writing a file
  - id: open-read
    syscalls: [openat]
    errno: EACCES
    candidates: [CAP_DAC_READ_SEARCH, CAP_DAC_OVERRIDE]
    reason: reading a file
  - id: utimes
    syscalls: [utimensat]
    errno: EACCES
    candidates: [CAP_DAC_OVERRIDE, CAP_FOWNER]
    reason: setting a file's times to now
  - id: read-only-fs
    syscalls: [mkdir]
    errno: EROFS
    candidates: []
    reason: the file system is mounted read-only
  - id: bpf-prog
    syscalls: [bpf]
    errno: EPERM
    candidates: [[CAP_BPF, CAP_PERFMON], CAP_SYS_ADMIN]
    reason: loading a BPF program
)";

int cap(const char* name) { return events::cap_from_name(name).value(); }

events::SyscallEvent ev(const std::string& syscall, int err, std::vector<events::Arg> args) {
  events::SyscallEvent e;
  e.pid = 100;
  e.tid = 101;
  e.exe = "/usr/bin/app";
  e.syscall = syscall;
  e.nr = events::syscall_number(syscall).value();
  e.err = err;
  e.args = std::move(args);
  return e;
}

events::SyscallEvent bind80() {
  return ev("bind", kEACCES,
            {{"fd", "3", 3}, {"addr", "0.0.0.0:80", std::nullopt}, {"addr.port", "80", 80}});
}
events::SyscallEvent raw_socket() {
  return ev("socket", kEPERM, {{"domain", "AF_INET", 2}, {"type", "SOCK_RAW", 3}});
}
events::SyscallEvent open_read() {
  return ev("openat", kEACCES, {{"path", "/etc/shadow", std::nullopt}, {"flags", "O_RDONLY", 0}});
}
events::SyscallEvent open_write() {
  return ev("openat", kEACCES, {{"path", "/etc/motd", std::nullopt}, {"flags", "O_WRONLY", 1}});
}
events::SyscallEvent touch() {
  return ev("utimensat", kEACCES, {{"path", "/srv/f", std::nullopt}, {"times", "NULL", 0}});
}

class AnalyzerTest : public ::testing::Test {
 protected:
  AnalyzerTest() { rules_.load_string(kRules, "test.yaml"); }

  Profile analyze(const std::vector<events::SyscallEvent>& events) {
    Analyzer a(rules_);
    for (const auto& e : events) {
      a.add(e);
    }
    return a.profile(RunInfo{});
  }

  RuleTable rules_;
};

std::vector<int> caps(std::initializer_list<const char*> names) {
  std::vector<int> out;
  for (const char* n : names) {
    out.push_back(cap(n));
  }
  return out;
}

TEST_F(AnalyzerTest, ChoosesTheOnlyCandidateOfEachRefusal) {
  const Profile p = analyze({bind80(), raw_socket()});
  EXPECT_EQ(p.capabilities, caps({"CAP_NET_BIND_SERVICE", "CAP_NET_RAW"}));
  ASSERT_EQ(p.findings.size(), 2u);
  EXPECT_EQ(p.findings[0].capability, cap("CAP_NET_BIND_SERVICE"));
  EXPECT_EQ(p.findings[0].reason, "binding a port below 1024");
  EXPECT_EQ(p.findings[0].note, "or lower net.ipv4.ip_unprivileged_port_start");
  EXPECT_EQ(p.findings[0].confidence, Confidence::Inferred);
  EXPECT_EQ(p.findings[1].capability, cap("CAP_NET_RAW"));
  EXPECT_EQ(p.findings[1].reason, "opening a raw socket");
  EXPECT_TRUE(p.unresolved.empty());
}

TEST_F(AnalyzerTest, AReadAloneTakesDacReadSearch) {
  const Profile p = analyze({open_read()});
  EXPECT_EQ(p.capabilities, caps({"CAP_DAC_READ_SEARCH"}));
}

TEST_F(AnalyzerTest, AWriteMakesDacReadSearchRedundant) {
  for (const auto& order :
       {std::vector{open_read(), open_write()}, std::vector{open_write(), open_read()}}) {
    const Profile p = analyze(order);
    EXPECT_EQ(p.capabilities, caps({"CAP_DAC_OVERRIDE"}));
    ASSERT_EQ(p.findings.size(), 1u);
    // DAC_OVERRIDE explains both refusals, so both are its evidence.
    ASSERT_EQ(p.findings[0].evidence.size(), 2u);
    EXPECT_EQ(p.findings[0].evidence[0].args, order[0].args_summary());
    EXPECT_EQ(p.findings[0].evidence[1].args, order[1].args_summary());
  }
}

TEST_F(AnalyzerTest, DropsAnEarlierChoiceThatALaterRefusalMakesRedundant) {
  // The read alone would take DAC_READ_SEARCH; the utimensat refusal is
  // explained by DAC_OVERRIDE first, which covers the read as well.
  const Profile p = analyze({open_read(), touch()});
  EXPECT_EQ(p.capabilities, caps({"CAP_DAC_OVERRIDE"}));
  ASSERT_EQ(p.findings.size(), 1u);
  EXPECT_EQ(p.findings[0].evidence.size(), 2u);
}

TEST_F(AnalyzerTest, KeepsAConjunctiveCandidateWhole) {
  const Profile p = analyze({ev("bpf", kEPERM, {{"cmd", "BPF_PROG_LOAD", 5}})});
  EXPECT_EQ(p.capabilities, caps({"CAP_PERFMON", "CAP_BPF"}));
  ASSERT_EQ(p.findings.size(), 2u);
  EXPECT_EQ(p.findings[0].evidence.size(), 1u);
  EXPECT_EQ(p.findings[1].evidence.size(), 1u);
}

TEST_F(AnalyzerTest, OrdersCapabilitiesByNumber) {
  const Profile p =
      analyze({raw_socket(), bind80(), ev("chown", kEPERM, {{"path", "/f", std::nullopt}})});
  EXPECT_EQ(p.capabilities, caps({"CAP_CHOWN", "CAP_NET_BIND_SERVICE", "CAP_NET_RAW"}));
  ASSERT_EQ(p.findings.size(), 3u);
  for (std::size_t i = 0; i < p.findings.size(); ++i) {
    EXPECT_EQ(p.findings[i].capability, p.capabilities[i]);
  }
}

TEST_F(AnalyzerTest, FoldsIdenticalRefusalsIntoOneCountedEvidence) {
  Analyzer a(rules_);
  auto first = bind80();
  first.stack = {"bind+0x10 (libc.so.6)", "main+0x20 (/usr/bin/app)"};
  a.add(first);
  auto second = bind80();
  second.pid = 200;  // another process of the same program: the same evidence
  second.stack = {"elsewhere"};
  a.add(second);
  a.add(bind80());
  EXPECT_EQ(a.events(), 3u);
  const Profile p = a.profile(RunInfo{});
  ASSERT_EQ(p.findings.size(), 1u);
  ASSERT_EQ(p.findings[0].evidence.size(), 1u);
  const Evidence& e = p.findings[0].evidence[0];
  EXPECT_EQ(e.count, 3u);
  EXPECT_EQ(e.syscall, "bind");
  EXPECT_EQ(e.args, "fd=3, addr=0.0.0.0:80");
  EXPECT_EQ(e.err, "EACCES");
  EXPECT_EQ(e.pid, 100);
  EXPECT_EQ(e.exe, "/usr/bin/app");
  EXPECT_EQ(e.stack, first.stack);
  EXPECT_EQ(e.rule, "bind-low");
  EXPECT_FALSE(e.confirmed);
}

TEST_F(AnalyzerTest, KeepsRefusalsApartByArgumentsExecutableAndErrno) {
  auto other_port = bind80();
  other_port.args = {
      {"fd", "3", 3}, {"addr", "0.0.0.0:443", std::nullopt}, {"addr.port", "443", 443}};
  auto other_exe = bind80();
  other_exe.exe = "/usr/bin/helper";
  const Profile p = analyze({bind80(), other_port, other_exe, bind80()});
  ASSERT_EQ(p.findings.size(), 1u);
  const auto& evidence = p.findings[0].evidence;
  ASSERT_EQ(evidence.size(), 3u);
  EXPECT_EQ(evidence[0].count, 2u);
  EXPECT_EQ(evidence[1].args, "fd=3, addr=0.0.0.0:443");
  EXPECT_EQ(evidence[1].count, 1u);
  EXPECT_EQ(evidence[2].exe, "/usr/bin/helper");
}

TEST_F(AnalyzerTest, LeavesARefusalNoRuleExplainsUnresolved) {
  auto high = bind80();
  high.args = {{"fd", "3", 3}, {"addr", "0.0.0.0:8080", std::nullopt}, {"addr.port", "8080", 8080}};
  const Profile p = analyze({high, high});
  EXPECT_TRUE(p.capabilities.empty());
  EXPECT_TRUE(p.findings.empty());
  ASSERT_EQ(p.unresolved.size(), 1u);
  EXPECT_EQ(p.unresolved[0].reason, "no rule explains this refusal");
  EXPECT_EQ(p.unresolved[0].evidence.syscall, "bind");
  EXPECT_EQ(p.unresolved[0].evidence.count, 2u);
  EXPECT_EQ(p.unresolved[0].evidence.rule, "");
}

TEST_F(AnalyzerTest, LeavesARefusalNoCapabilityCuresUnresolvedWithItsReason) {
  const Profile p = analyze({ev("mkdir", kEROFS, {{"path", "/usr/x", std::nullopt}}), bind80()});
  EXPECT_EQ(p.capabilities, caps({"CAP_NET_BIND_SERVICE"}));
  ASSERT_EQ(p.unresolved.size(), 1u);
  EXPECT_EQ(p.unresolved[0].reason, "the file system is mounted read-only");
  EXPECT_EQ(p.unresolved[0].evidence.err, "EROFS");
  EXPECT_EQ(p.unresolved[0].evidence.rule, "read-only-fs");
}

TEST_F(AnalyzerTest, KeepsUnresolvedRefusalsInTheOrderFirstSeen) {
  const Profile p = analyze({ev("mkdir", kEROFS, {{"path", "/z", std::nullopt}}),
                             ev("kill", kEPERM, {{"pid", "1", 1}}),
                             ev("mkdir", kEROFS, {{"path", "/a", std::nullopt}})});
  ASSERT_EQ(p.unresolved.size(), 3u);
  EXPECT_EQ(p.unresolved[0].evidence.args, "path=/z");
  EXPECT_EQ(p.unresolved[1].evidence.syscall, "kill");
  EXPECT_EQ(p.unresolved[2].evidence.args, "path=/a");
}

TEST_F(AnalyzerTest, AConfirmedRefusalMakesItsFindingConfirmed) {
  auto proven = bind80();
  proven.probed = true;
  proven.confirmed = {cap("CAP_NET_BIND_SERVICE")};
  const Profile p = analyze({proven, raw_socket()});
  ASSERT_EQ(p.findings.size(), 2u);
  EXPECT_EQ(p.findings[0].confidence, Confidence::Confirmed);
  EXPECT_TRUE(p.findings[0].evidence[0].confirmed);
  EXPECT_EQ(p.findings[1].confidence, Confidence::Inferred);
  EXPECT_STREQ(confidence_name(p.findings[0].confidence), "confirmed");
  EXPECT_STREQ(confidence_name(p.findings[1].confidence), "inferred");
}

TEST_F(AnalyzerTest, AProvenCapabilityWinsOverTheRulesFirstCandidate) {
  // The probe found that DAC_OVERRIDE, not DAC_READ_SEARCH, cured the read.
  auto proven = open_read();
  proven.confirmed = {cap("CAP_DAC_OVERRIDE")};
  const Profile p = analyze({proven});
  EXPECT_EQ(p.capabilities, caps({"CAP_DAC_OVERRIDE"}));
  ASSERT_EQ(p.findings.size(), 1u);
  EXPECT_EQ(p.findings[0].confidence, Confidence::Confirmed);
  EXPECT_EQ(p.findings[0].reason, "reading a file");
}

TEST_F(AnalyzerTest, AProvenCapabilityNeedsNoRule) {
  auto proven = ev("kill", kEPERM, {{"pid", "1", 1}, {"sig", "SIGTERM", 15}});
  proven.confirmed = {cap("CAP_KILL")};
  const Profile p = analyze({proven});
  EXPECT_EQ(p.capabilities, caps({"CAP_KILL"}));
  EXPECT_TRUE(p.unresolved.empty());
  ASSERT_EQ(p.findings.size(), 1u);
  EXPECT_EQ(p.findings[0].reason, "the retry succeeded with it");
  EXPECT_EQ(p.findings[0].confidence, Confidence::Confirmed);
}

TEST_F(AnalyzerTest, ALaterConfirmationUpgradesEarlierEvidence) {
  auto proven = bind80();
  proven.confirmed = {cap("CAP_NET_BIND_SERVICE")};
  const Profile p = analyze({bind80(), proven});
  ASSERT_EQ(p.findings.size(), 1u);
  ASSERT_EQ(p.findings[0].evidence.size(), 1u);
  EXPECT_EQ(p.findings[0].evidence[0].count, 2u);
  EXPECT_EQ(p.findings[0].confidence, Confidence::Confirmed);
}

TEST_F(AnalyzerTest, ARefusalTheProbeCouldNotCureIsUnresolvedWithWhatWasTried) {
  auto tried = open_read();
  tried.probed = true;
  tried.probe_note = "retried with CAP_DAC_READ_SEARCH, then CAP_DAC_OVERRIDE: still EACCES";
  const Profile p = analyze({tried, bind80()});
  // The rule would have guessed DAC_READ_SEARCH; the kernel said no.
  EXPECT_EQ(p.capabilities, caps({"CAP_NET_BIND_SERVICE"}));
  ASSERT_EQ(p.unresolved.size(), 1u);
  EXPECT_EQ(p.unresolved[0].reason, tried.probe_note);
  EXPECT_EQ(p.unresolved[0].evidence.note, tried.probe_note);
}

TEST_F(AnalyzerTest, SaysWhenTheProgramRaisedACapabilityItself) {
  auto raised = ev("capset", 0, {{"effective", "CAP_NET_ADMIN", 1 << 12}});
  raised.probed = true;
  raised.self_raised = true;
  raised.confirmed = {cap("CAP_NET_ADMIN")};
  const Profile p = analyze({raised});
  EXPECT_EQ(p.capabilities, caps({"CAP_NET_ADMIN"}));
  ASSERT_EQ(p.findings.size(), 1u);
  EXPECT_EQ(p.findings[0].reason, "the program raised it into its effective set itself");
  EXPECT_EQ(p.findings[0].confidence, Confidence::Confirmed);
  EXPECT_EQ(p.findings[0].evidence[0].err, "");  // the call itself succeeded
}

TEST_F(AnalyzerTest, CarriesTheRunInformationThrough) {
  Analyzer a(rules_);
  RunInfo run;
  run.command = {"python3", "-m", "http.server", "80"};
  run.mode = "deny";
  run.uid = 1000;
  run.exit_code = 3;
  const Profile p = a.profile(run);
  EXPECT_EQ(p.run.command, run.command);
  EXPECT_EQ(p.run.mode, "deny");
  EXPECT_EQ(p.run.uid, 1000u);
  EXPECT_EQ(p.run.exit_code, 3);
  EXPECT_TRUE(p.capabilities.empty());
  EXPECT_TRUE(p.findings.empty());
  EXPECT_TRUE(p.unresolved.empty());
}

}  // namespace
}  // namespace capmin::analyzer

namespace capmin::analyzer {
namespace {

events::SyscallEvent open_read_of(int i) {
  return ev("openat", kEACCES,
            {{"path", "/srv/file" + std::to_string(i), std::nullopt}, {"flags", "O_RDONLY", 0}});
}

TEST_F(AnalyzerTest, KeepsABoundedNumberOfDistinctArgumentListsPerCall) {
  Analyzer a(rules_);
  for (int i = 0; i < 1000; ++i) {
    a.add(open_read_of(i));
  }
  const Profile p = a.profile(RunInfo{});
  ASSERT_EQ(p.findings.size(), 1u);
  const auto& evidence = p.findings[0].evidence;
  EXPECT_LE(evidence.size(), 33u);
  std::uint64_t total = 0;
  for (const auto& e : evidence) {
    total += e.count;
  }
  EXPECT_EQ(total, 1000u);
  EXPECT_EQ(evidence.back().args, "(more calls with other arguments)");
  // Once the entry is shared, the tracer need not walk more stacks for it.
  EXPECT_TRUE(a.seen(open_read_of(5000)));
}

TEST_F(AnalyzerTest, SeenTellsARefusalAlreadyFoldedFromANewOne) {
  Analyzer a(rules_);
  a.add(bind80());
  EXPECT_TRUE(a.seen(bind80()));
  EXPECT_FALSE(a.seen(raw_socket()));
}

}  // namespace
}  // namespace capmin::analyzer
