// SPDX-License-Identifier: MIT
// A malformed rule file is the user's mistake: one line, "origin:line:column:
// what", pointing at the offending token so that an editor can jump to it.
#include <gtest/gtest.h>

#include "analyzer/RuleTable.h"
#include "events/Errors.h"

namespace capmin::analyzer {
namespace {

// The message a load fails with, or "loaded" when it does not fail.
std::string load_error(const std::string& yaml) {
  RuleTable t;
  try {
    t.load_string(yaml, "my.yaml");
  } catch (const UserError& e) {
    return e.what();
  }
  return "loaded";
}

// A rule whose line 6 (`when:` value or candidates) each test replaces.
std::string rule_with(const std::string& line6, const std::string& line7 = "") {
  return "rules:\n"
         "  - id: r1\n"
         "    syscalls: [bind]\n"
         "    errno: EACCES\n"
         "    reason: why\n" +
         line6 + "\n" + line7 + (line7.empty() ? "" : "\n");
}

TEST(RuleTableErrors, AWellFormedRuleLoads) {
  EXPECT_EQ(load_error(rule_with("    candidates: [CAP_NET_BIND_SERVICE]")), "loaded");
}

TEST(RuleTableErrors, PointsAtBadYamlSyntax) {
  const std::string msg = load_error(
      "rules:\n"
      "  - id: r1\n"
      "    syscalls: [bind\n"
      "    errno: EACCES\n");
  // yaml-cpp notices the unclosed flow sequence where the next key begins.
  EXPECT_EQ(msg.rfind("my.yaml:4:", 0), 0u) << msg;
}

TEST(RuleTableErrors, PointsAtBadIndentation) {
  const std::string msg = load_error(
      "rules:\n"
      "  - id: r1\n"
      "   syscalls: [bind]\n");
  EXPECT_EQ(msg.rfind("my.yaml:3:", 0), 0u) << msg;
}

TEST(RuleTableErrors, PointsAtAnUnknownKeyOfARule) {
  EXPECT_EQ(load_error(rule_with("    candidates: [CAP_NET_BIND_SERVICE]", "    reasons: typo")),
            "my.yaml:7:5: unknown key 'reasons' (id, syscalls, errno, when, candidates, "
            "candidates_from, reason, source, note, host_wide, delivery)");
}

TEST(RuleTableErrors, PointsAtAnUnknownTopLevelKey) {
  EXPECT_EQ(load_error("rules: []\nrule: []\n"),
            "my.yaml:2:1: unknown key 'rule' (expected 'rules' or 'version')");
}

TEST(RuleTableErrors, PointsAtAnUnknownCapabilityAndSuggestsOne) {
  EXPECT_EQ(load_error(rule_with("    candidates: [CAP_NET_ADMIN, CAP_NET_BIND_SERVIC]")),
            "my.yaml:6:33: unknown capability 'CAP_NET_BIND_SERVIC' (did you mean "
            "CAP_NET_BIND_SERVICE?)");
}

TEST(RuleTableErrors, PointsAtAnUnknownCapabilityInsideAConjunction) {
  EXPECT_EQ(load_error(rule_with("    candidates: [[CAP_BPF, CAP_PERFMONN]]")),
            "my.yaml:6:28: unknown capability 'CAP_PERFMONN' (did you mean CAP_PERFMON?)");
}

TEST(RuleTableErrors, GivesNoHintForANameFarFromAnyCapability) {
  EXPECT_EQ(load_error(rule_with("    candidates: [XYZZY_PLUGH_QUUX]")),
            "my.yaml:6:18: unknown capability 'XYZZY_PLUGH_QUUX'");
}

TEST(RuleTableErrors, PointsAtAnUnknownSyscall) {
  EXPECT_EQ(load_error("rules:\n"
                       "  - id: r1\n"
                       "    syscalls: [bind, bnid]\n"
                       "    errno: EACCES\n"
                       "    candidates: []\n"
                       "    reason: why\n"),
            "my.yaml:3:22: unknown system call 'bnid' (x86_64 names)");
}

TEST(RuleTableErrors, PointsAtAnUnknownErrno) {
  EXPECT_EQ(load_error("rules:\n"
                       "  - id: r1\n"
                       "    syscalls: [bind]\n"
                       "    errno:\n"
                       "      - EACCES\n"
                       "      - EACCESS\n"
                       "    candidates: []\n"
                       "    reason: why\n"),
            "my.yaml:6:9: unknown errno 'EACCESS'");
}

TEST(RuleTableErrors, PointsAtAnUnknownOperator) {
  EXPECT_EQ(load_error(rule_with("    candidates: []", "    when: {addr.port: {below: 1024}}")),
            "my.yaml:7:24: unknown operator 'below' (eq, ne, in, not_in, lt, le, gt, ge, any_of, "
            "all_of, none_of, prefix, matches, exists)");
}

TEST(RuleTableErrors, PointsAtABadRegularExpression) {
  const std::string msg =
      load_error(rule_with("    candidates: []", "    when: {addr.path: {matches: \"/dev/(sd\"}}"));
  EXPECT_EQ(msg.rfind("my.yaml:7:33: bad regular expression: ", 0), 0u) << msg;
}

TEST(RuleTableErrors, PointsAtARegularExpressionTooLargeToMatchSafely) {
  EXPECT_EQ(load_error(rule_with("    candidates: []",
                                 "    when: {addr.path: {matches: \"(a{999}){999}\"}}")),
            "my.yaml:7:33: bad regular expression: invalid repetition size: {999}");
}

TEST(RuleTableErrors, PointsAtANonNumberForAnOrderingOperator) {
  EXPECT_EQ(load_error(rule_with("    candidates: []", "    when: {addr.port: {lt: low}}")),
            "my.yaml:7:28: lt needs a number");
}

TEST(RuleTableErrors, PointsAtAConditionThatIsNeitherValueListNorOperator) {
  EXPECT_EQ(load_error(rule_with("    candidates: []", "    when: {addr.port: {lt: 1, gt: 0}}")),
            "my.yaml:7:23: condition on 'addr.port' must be a value, a list, or {op: operand}");
}

TEST(RuleTableErrors, PointsAtARuleMissingARequiredKey) {
  const std::vector<std::pair<std::string, std::string>> keys = {{"id", "r1"},
                                                                 {"syscalls", "[bind]"},
                                                                 {"errno", "EACCES"},
                                                                 {"candidates", "[]"},
                                                                 {"reason", "why"}};
  for (const auto& [missing, unused] : keys) {
    std::string yaml = "rules:\n";
    std::string lead = "  - ";
    for (const auto& [key, value] : keys) {
      if (key != missing) {
        yaml += lead + key + ": " + value + "\n";
        lead = "    ";
      }
    }
    const std::string expected = missing == "candidates"
                                     ? "rule is missing 'candidates' (or 'candidates_from')"
                                     : "rule is missing '" + missing + "'";
    EXPECT_EQ(load_error(yaml), "my.yaml:2:5: " + expected) << yaml;
  }
}

TEST(RuleTableErrors, PointsAtADuplicateId) {
  EXPECT_EQ(load_error("rules:\n"
                       "  - id: same\n"
                       "    syscalls: [bind]\n"
                       "    errno: EACCES\n"
                       "    candidates: []\n"
                       "    reason: one\n"
                       "  - id: same\n"
                       "    syscalls: [kill]\n"
                       "    errno: EPERM\n"
                       "    candidates: []\n"
                       "    reason: two\n"),
            "my.yaml:7:9: duplicate rule id 'same'");
}

TEST(RuleTableErrors, RejectsAnEmptyFile) {
  EXPECT_EQ(load_error(""), "my.yaml: empty rule file (expected a 'rules:' list)");
  EXPECT_EQ(load_error("# only a comment\n"),
            "my.yaml: empty rule file (expected a 'rules:' list)");
}

TEST(RuleTableErrors, RejectsATopLevelThatIsNotAMap) {
  EXPECT_EQ(load_error("- id: r1\n- id: r2\n"),
            "my.yaml:1:1: expected a mapping with a 'rules:' list at the top");
  EXPECT_EQ(load_error("\n\nrules\n"),
            "my.yaml:3:1: expected a mapping with a 'rules:' list at the top");
}

TEST(RuleTableErrors, RejectsRulesThatAreNotAList) {
  EXPECT_EQ(load_error("version: 1\nrules: {id: r1}\n"), "my.yaml:2:8: 'rules' must be a list");
  EXPECT_EQ(load_error("version: 1\n"), "my.yaml:1:1: 'rules' must be a list");
}

TEST(RuleTableErrors, RejectsARuleThatIsNotAMapping) {
  EXPECT_EQ(load_error("rules:\n  - bind\n"), "my.yaml:2:5: a rule must be a mapping");
}

TEST(RuleTableErrors, RejectsCandidatesThatAreNotAList) {
  EXPECT_EQ(load_error(rule_with("    candidates: CAP_NET_BIND_SERVICE")),
            "my.yaml:6:17: 'candidates' must be a list (empty: no capability cures it)");
}

TEST(RuleTableErrors, RejectsAnEmptySyscallList) {
  EXPECT_EQ(load_error("rules:\n"
                       "  - id: r1\n"
                       "    syscalls: []\n"
                       "    errno: EACCES\n"
                       "    candidates: []\n"
                       "    reason: why\n"),
            "my.yaml:3:15: 'syscalls' is empty");
}

TEST(RuleTableErrors, RejectsWhenThatIsNotAMap) {
  EXPECT_EQ(load_error(rule_with("    candidates: []", "    when: [port]")),
            "my.yaml:7:11: 'when' must map argument names to conditions");
}

TEST(RuleTableErrors, PointsAtAKeyGivenTwice) {
  // YAML parsers keep the last one silently: a rule would lose conditions.
  EXPECT_EQ(load_error("rules:\n  - {id: r1, id: r2}\n"), "my.yaml:2:14: duplicate key 'id'");
  EXPECT_EQ(load_error(rule_with("    candidates: []", "    when: {addr.port: 1, addr.port: 2}")),
            "my.yaml:7:26: duplicate key 'addr.port'");
  EXPECT_EQ(load_error("rules: []\nrules: []\n"), "my.yaml:2:1: duplicate key 'rules'");
}

TEST(RuleTableErrors, PointsAtAKeyThatIsNotAName) {
  EXPECT_EQ(load_error("[a]: 1\n"), "my.yaml:1:1: a key must be a single value");
  EXPECT_EQ(load_error(rule_with("    candidates: []", "    when: {[port]: 1}")),
            "my.yaml:7:12: a key must be a single value");
  EXPECT_EQ(load_error(rule_with("    candidates: []", "    when: {addr.port: {[lt]: 1}}")),
            "my.yaml:7:24: an operator must be a single value");
}

// The call schema says which fields each call's events carry: a condition
// on another one could never hold, so the rule is a mistake.
TEST(RuleTableErrors, PointsAtAFieldItsSystemCallsDoNotHave) {
  EXPECT_EQ(load_error(rule_with("    candidates: []", "    when: {path: /dev/sda}")),
            "my.yaml:7:12: 'path' is not a field of bind (its fields: addr, addr.*, caller.*, fd)");
  // Every call of the rule must have it: chmod has a mode, fchownat none.
  EXPECT_EQ(load_error("rules:\n"
                       "  - id: r1\n"
                       "    syscalls: [chmod, fchownat]\n"
                       "    errno: EPERM\n"
                       "    reason: why\n"
                       "    candidates: [CAP_FOWNER]\n"
                       "    when:\n"
                       "      file.uid: {ne: 0}\n"
                       "      mode: {any_of: [S_ISUID]}\n"),
            "my.yaml:9:7: 'mode' is not a field of fchownat (its fields: caller.*, dirfd, file.*, "
            "flags, gid, parent.*, path, uid)");
  // The fields a refusal delivered another way carries are its rules' to name.
  EXPECT_EQ(load_error("rules:\n"
                       "  - id: r1\n"
                       "    syscalls: [recvmsg]\n"
                       "    delivery: netlink_reply\n"
                       "    errno: EPERM\n"
                       "    reason: why\n"
                       "    candidates: [CAP_NET_ADMIN]\n"
                       "    when: {protocol: NETLINK_ROUTE}\n"),
            "loaded");
  EXPECT_EQ(load_error("rules:\n"
                       "  - id: r1\n"
                       "    syscalls: [recvmsg]\n"
                       "    errno: EPERM\n"
                       "    reason: why\n"
                       "    candidates: [CAP_NET_ADMIN]\n"
                       "    when: {protocol: NETLINK_ROUTE}\n")
                .rfind("my.yaml:7:12: 'protocol' is not a field of recvmsg", 0),
            0u);
  // candidates_from names fields too.
  EXPECT_EQ(load_error("rules:\n"
                       "  - id: r1\n"
                       "    syscalls: [capset]\n"
                       "    errno: EPERM\n"
                       "    reason: why\n"
                       "    candidates_from: [effective, ambient]\n")
                .rfind("my.yaml:6:34: 'ambient' is not a field of capset", 0),
            0u);
}

TEST(RuleTableErrors, AFailedLoadLeavesTheTableAsItWas) {
  RuleTable t;
  t.load_string(rule_with("    candidates: [CAP_NET_BIND_SERVICE]"), "good.yaml");
  EXPECT_THROW(t.load_string(rule_with("    candidates: [CAP_NOPE]"), "bad.yaml"), UserError);
  EXPECT_EQ(t.layers().size(), 1u);
  EXPECT_EQ(t.size(), 1u);
}

}  // namespace
}  // namespace capmin::analyzer
