// SPDX-License-Identifier: MIT
#include <gtest/gtest.h>

#include <algorithm>

#include "analyzer/RuleTable.h"
#include "events/CapabilityNames.h"
#include "events/Errno.h"
#include "events/Errors.h"
#include "events/SyscallNames.h"

namespace capmin::analyzer {
namespace {

constexpr int kEACCES = 13;
constexpr int kEPERM = 1;

int cap(const char* name) { return events::cap_from_name(name).value(); }

events::SyscallEvent event(const std::string& syscall, int err, std::vector<events::Arg> args) {
  events::SyscallEvent e;
  e.syscall = syscall;
  e.nr = events::syscall_number(syscall).value();
  e.err = err;
  e.args = std::move(args);
  return e;
}

events::SyscallEvent open_event(const std::string& flags) {
  return event("openat", kEACCES, {{"path", "/srv/secret", std::nullopt}, {"flags", flags, 0}});
}

events::SyscallEvent bind_event(int port) {
  return event("bind", kEACCES,
               {{"addr", "0.0.0.0:" + std::to_string(port), std::nullopt},
                {"addr.family", "AF_INET", 2},
                {"addr.port", std::to_string(port), port}});
}

const char* kFileRules = R"(rules:
  - id: open-write
    syscalls: [open, openat]
    errno: EACCES
    when:
      flags: {any_of: [O_WRONLY, O_RDWR]}
    candidates: [CAP_DAC_OVERRIDE]
    reason: writing a file the user may not write
  - id: open-read
    syscalls: [open, openat]
    errno: EACCES
    candidates: [CAP_DAC_READ_SEARCH, CAP_DAC_OVERRIDE]
    reason: reading a file the user may not read
    source: fs/namei.c:generic_permission()
    note: a read is DAC_READ_SEARCH first
)";

RuleTable table(const std::string& yaml) {
  RuleTable t;
  t.load_string(yaml, "test.yaml");
  return t;
}

TEST(RuleTable, LoadsEveryFieldOfARule) {
  const RuleTable t = table(kFileRules);
  ASSERT_EQ(t.size(), 2u);
  const Rule& r = t.layers().at(0).at(1);
  EXPECT_EQ(r.id, "open-read");
  EXPECT_EQ(r.syscalls, (std::vector<std::string>{"open", "openat"}));
  EXPECT_EQ(r.syscall_numbers,
            (std::vector<int>{*events::syscall_number("open"), *events::syscall_number("openat")}));
  EXPECT_EQ(r.errnos, std::vector<int>{kEACCES});
  EXPECT_TRUE(r.conditions.empty());
  EXPECT_EQ(r.reason, "reading a file the user may not read");
  EXPECT_EQ(r.source, "fs/namei.c:generic_permission()");
  EXPECT_EQ(r.note, "a read is DAC_READ_SEARCH first");
  EXPECT_EQ(r.origin, "test.yaml:9");
  const Rule& w = t.layers().at(0).at(0);
  ASSERT_EQ(w.conditions.size(), 1u);
  EXPECT_EQ(w.conditions[0].field(), "flags");
  EXPECT_EQ(w.conditions[0].op(), Condition::Op::AnyOf);
}

TEST(RuleTable, PrefersDacReadSearchOverDacOverride) {
  const RuleTable t = table(kFileRules);
  const Rule* r = t.match(open_event("O_RDONLY|O_CLOEXEC"));
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(r->id, "open-read");
  ASSERT_EQ(r->candidates.size(), 2u);
  EXPECT_EQ(r->candidates[0], CapSet{cap("CAP_DAC_READ_SEARCH")});
  EXPECT_EQ(r->candidates[1], CapSet{cap("CAP_DAC_OVERRIDE")});
}

TEST(RuleTable, FirstMatchingRuleInAFileWins) {
  const RuleTable t = table(kFileRules);
  // Both rules match a write; the specific one stands first.
  const Rule* r = t.match(open_event("O_WRONLY|O_CREAT"));
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(r->id, "open-write");
}

TEST(RuleTable, MatchesOnlyTheSyscallsAndErrnosOfARule) {
  const RuleTable t = table(kFileRules);
  EXPECT_EQ(t.match(event("openat", kEPERM, {{"flags", "O_RDONLY", 0}})), nullptr);
  EXPECT_EQ(t.match(event("bind", kEACCES, {})), nullptr);
  EXPECT_NE(t.match(event("open", kEACCES, {})), nullptr);
}

TEST(RuleTable, AllConditionsOfARuleMustHold) {
  const RuleTable t = table(R"(rules:
  - id: bind-low
    syscalls: bind
    errno: [EACCES, EPERM]
    when:
      addr.family: [AF_INET, AF_INET6]
      addr.port: {lt: 1024}
    candidates: [CAP_NET_BIND_SERVICE]
    reason: low port
)");
  EXPECT_NE(t.match(bind_event(80)), nullptr);
  EXPECT_EQ(t.match(bind_event(8080)), nullptr);
  auto unix_bind = bind_event(80);
  unix_bind.args[1] = {"addr.family", "AF_UNIX", 1};
  EXPECT_EQ(t.match(unix_bind), nullptr);
}

TEST(RuleTable, KeepsConjunctiveCandidatesAsOneSet) {
  const RuleTable t = table(R"(rules:
  - id: bpf-prog
    syscalls: [bpf]
    errno: EPERM
    candidates: [[CAP_BPF, CAP_PERFMON], CAP_SYS_ADMIN]
    reason: loading a BPF program
)");
  const Rule* r = t.match(event("bpf", kEPERM, {}));
  ASSERT_NE(r, nullptr);
  ASSERT_EQ(r->candidates.size(), 2u);
  // Inside a set the capabilities are in number order: CAP_PERFMON is 38, CAP_BPF 39.
  EXPECT_EQ(r->candidates[0], (CapSet{cap("CAP_PERFMON"), cap("CAP_BPF")}));
  EXPECT_EQ(r->candidates[1], CapSet{cap("CAP_SYS_ADMIN")});
  EXPECT_EQ(r->candidates_for(event("bpf", kEPERM, {})).size(), 2u);
}

TEST(RuleTable, EmptyCandidatesMarkARefusalNoCapabilityCures) {
  const RuleTable t = table(R"(rules:
  - id: read-only-fs
    syscalls: [openat]
    errno: EROFS
    candidates: []
    reason: the file system is mounted read-only
)");
  const Rule* r = t.match(event("openat", 30, {}));
  ASSERT_NE(r, nullptr);
  EXPECT_TRUE(r->candidates_for(event("openat", 30, {})).empty());
  EXPECT_EQ(r->reason, "the file system is mounted read-only");
}

TEST(RuleTable, ALaterFileIsConsultedFirst) {
  RuleTable t = table(kFileRules);
  t.load_string(R"(rules:
  - id: my-open
    syscalls: [openat]
    errno: EACCES
    candidates: [CAP_FOWNER]
    reason: mine
)",
                "user.yaml");
  ASSERT_EQ(t.layers().size(), 2u);
  EXPECT_EQ(t.size(), 3u);
  const Rule* r = t.match(open_event("O_WRONLY"));
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(r->id, "my-open");
  EXPECT_EQ(r->origin, "user.yaml:2");
  // The earlier file still answers what the later one does not.
  const Rule* older = t.match(event("open", kEACCES, {{"flags", "O_RDONLY", 0}}));
  ASSERT_NE(older, nullptr);
  EXPECT_EQ(older->id, "open-read");
}

TEST(RuleTable, ARuleWithTheSameIdReplacesTheEarlierOne) {
  RuleTable t = table(kFileRules);
  t.load_string(R"(rules:
  - id: open-write
    syscalls: [chmod]
    errno: EPERM
    candidates: [CAP_FOWNER]
    reason: replaced
)",
                "user.yaml");
  EXPECT_EQ(t.size(), 2u);
  // The old open-write is gone: a write now falls through to open-read.
  const Rule* r = t.match(open_event("O_WRONLY"));
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(r->id, "open-read");
  const Rule* chmod = t.match(event("chmod", kEPERM, {}));
  ASSERT_NE(chmod, nullptr);
  EXPECT_EQ(chmod->reason, "replaced");
}

TEST(RuleTable, WatchedListsEverySyscallAndErrnoPairOnce) {
  RuleTable t = table(kFileRules);
  t.load_string(R"(rules:
  - id: ro
    syscalls: [openat, mkdir]
    errno: [EROFS, EACCES]
    candidates: []
    reason: read-only
)",
                "more.yaml");
  const int open = *events::syscall_number("open");
  const int openat = *events::syscall_number("openat");
  const int mkdir = *events::syscall_number("mkdir");
  std::vector<std::pair<int, int>> expected = {
      {open, kEACCES}, {openat, kEACCES}, {openat, 30}, {mkdir, kEACCES}, {mkdir, 30}};
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(t.watched(), expected);
}

TEST(RuleTable, AnEmptyTableMatchesNothing) {
  RuleTable t;
  EXPECT_EQ(t.match(bind_event(80)), nullptr);
  EXPECT_EQ(t.size(), 0u);
  EXPECT_TRUE(t.watched().empty());
  t.load_string("rules: []\n", "empty-list.yaml");
  EXPECT_EQ(t.size(), 0u);
}

TEST(RuleTable, AcceptsAVersionKey) {
  const RuleTable t = table("version: 1\nrules: []\n");
  EXPECT_EQ(t.size(), 0u);
}

TEST(RuleTable, ScalarAndListConditionsMeanEqAndIn) {
  const RuleTable t = table(R"(rules:
  - id: raw
    syscalls: [socket]
    errno: EPERM
    when:
      type: SOCK_RAW
      domain: [AF_INET, AF_INET6]
    candidates: [CAP_NET_RAW]
    reason: raw sockets
)");
  const Rule& r = t.layers().at(0).at(0);
  ASSERT_EQ(r.conditions.size(), 2u);
  EXPECT_EQ(r.conditions[0].op(), Condition::Op::Eq);
  EXPECT_EQ(r.conditions[1].op(), Condition::Op::In);
  EXPECT_NE(t.match(event("socket", kEPERM, {{"domain", "AF_INET6", 10}, {"type", "SOCK_RAW", 3}})),
            nullptr);
  EXPECT_EQ(
      t.match(event("socket", kEPERM, {{"domain", "AF_PACKET", 17}, {"type", "SOCK_RAW", 3}})),
      nullptr);
}

TEST(RuleTable, LoadsTheShippedRules) {
  RuleTable t;
  ASSERT_NO_THROW(t.load_file(CAPMIN_SOURCE_DIR "/policies/rules.yaml"));
  EXPECT_GT(t.size(), 0u);
  const Rule* r = t.match(bind_event(80));
  ASSERT_NE(r, nullptr);
  ASSERT_FALSE(r->candidates.empty());
  EXPECT_EQ(r->candidates.front(), CapSet{cap("CAP_NET_BIND_SERVICE")});
}

TEST(RuleTable, ReportsAFileItCannotRead) {
  RuleTable t;
  try {
    t.load_file("/nonexistent/rules.yaml");
    FAIL() << "no error";
  } catch (const UserError& e) {
    EXPECT_STREQ(e.what(),
                 "cannot read rule file '/nonexistent/rules.yaml': No such file or directory");
  }
}

}  // namespace
}  // namespace capmin::analyzer

namespace capmin::analyzer {
namespace {

TEST(RuleTable, CandidatesFromTakeTheCapabilitiesTheCallNames) {
  const RuleTable t = table(R"(rules:
  - id: capset-asks
    syscalls: [capset]
    errno: EPERM
    candidates_from: [effective, permitted]
    reason: the program asked for capabilities it does not hold
)");
  const auto e = event("capset", kEPERM,
                       {{"effective", "CAP_SETGID|CAP_SETUID", 0xc0},
                        {"permitted", "CAP_SETGID|CAP_SETUID|CAP_SETPCAP", 0x1c0}});
  const Rule* r = t.match(e);
  ASSERT_NE(r, nullptr);
  const auto alts = r->candidates_for(e);
  ASSERT_EQ(alts.size(), 1u);
  EXPECT_EQ(alts[0], (CapSet{cap("CAP_SETGID"), cap("CAP_SETUID"), cap("CAP_SETPCAP")}));
  // Nothing named: nothing to grant, so no capability cures it.
  EXPECT_TRUE(r->candidates_for(event("capset", kEPERM, {{"effective", "0", 0}})).empty());
}

TEST(RuleTable, ARuleHasCandidatesOrCandidatesFromNotBoth) {
  RuleTable t;
  try {
    t.load_string(R"(rules:
  - id: both
    syscalls: [capset]
    errno: EPERM
    candidates: [CAP_SETPCAP]
    candidates_from: effective
    reason: x
)",
                  "my.yaml");
    FAIL() << "loaded";
  } catch (const UserError& e) {
    EXPECT_EQ(std::string(e.what()),
              "my.yaml:6:22: a rule has 'candidates' or 'candidates_from', not both");
  }
}

}  // namespace
}  // namespace capmin::analyzer

namespace capmin::analyzer {
namespace {

// The shipped rule for a chmod whose S_ISGID the kernel dropped: a
// successful call (err 0) with the tracer's facts about it.
events::SyscallEvent dropped_setgid(const char* in_group) {
  return event("fchmodat", 0,
               {{"path", "f", std::nullopt},
                {"mode", "02755", 02755},
                {"caller.in_file_group", in_group, std::string(in_group) == "yes" ? 1 : 0},
                {"dropped", "S_ISGID", 02000}});
}

TEST(RuleTable, ADroppedSetgidBitOfAForeignGroupIsFsetid) {
  RuleTable t;
  t.load_file(CAPMIN_SOURCE_DIR "/policies/rules.yaml");
  const Rule* r = t.match(dropped_setgid("no"));
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(r->id, "chmod-setgid-dropped");
  EXPECT_EQ(r->delivery, Rule::Delivery::SetidDropped);
  EXPECT_EQ(r->candidates, (std::vector<CapSet>{{cap("CAP_FSETID")}}));
  // In the file's group the kernel keeps the bit: a drop then is not
  // FSETID's doing, and no rule claims it.
  EXPECT_EQ(t.match(dropped_setgid("yes")), nullptr);
  // A refused chmod is another rule's business.
  auto refused = dropped_setgid("no");
  refused.err = kEPERM;
  const Rule* other = t.match(refused);
  EXPECT_TRUE(other == nullptr || other->id != "chmod-setgid-dropped");
  // Successes are the set-id watcher's to see: no rule asks the filter
  // for a call that did not fail.
  for (const auto& [nr, err] : t.watched()) {
    EXPECT_NE(err, 0) << nr;
  }
}

std::string load_error(const std::string& yaml) {
  try {
    table(yaml);
  } catch (const UserError& e) {
    return e.what();
  }
  return "loaded";
}

TEST(RuleTable, ErrnoNoneBelongsToRulesOfCallsThatSucceededOnly) {
  const std::string head = "rules:\n  - id: r\n    syscalls: [chmod]\n";
  const std::string tail = "    candidates: [CAP_FSETID]\n    reason: x\n";
  EXPECT_EQ(load_error(head + "    delivery: setid_dropped\n    errno: none\n" + tail), "loaded");
  EXPECT_EQ(load_error(head + "    delivery: setid_dropped\n" + tail), "loaded");
  EXPECT_EQ(load_error(head + "    delivery: values_hidden\n" + tail), "loaded");
  EXPECT_EQ(load_error(head + "    errno: none\n" + tail),
            "test.yaml:4:12: errno 'none' is for 'delivery: setid_dropped' and 'values_hidden' "
            "rules (the call succeeded)");
  EXPECT_EQ(load_error(head + "    delivery: setid_dropped\n    errno: EPERM\n" + tail),
            "test.yaml:5:12: a 'delivery: setid_dropped' rule matches calls that succeeded: "
            "errno must be none");
  EXPECT_EQ(load_error(head + "    delivery: values_hidden\n    errno: EPERM\n" + tail),
            "test.yaml:5:12: a 'delivery: values_hidden' rule matches calls that succeeded: "
            "errno must be none");
  EXPECT_EQ(load_error(head + tail), "test.yaml:2:5: rule is missing 'errno'");
  EXPECT_EQ(load_error(head + "    delivery: silently\n    errno: none\n" + tail),
            "test.yaml:4:15: unknown delivery 'silently' (syscall, netlink_reply, "
            "setid_dropped, write_time or values_hidden)");
}

}  // namespace
}  // namespace capmin::analyzer
