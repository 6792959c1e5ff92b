// SPDX-License-Identifier: MIT
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <stdexcept>

#include "analyzer/BuiltinRules.h"
#include "analyzer/PolicyFile.h"
#include "analyzer/RuleBlob.h"
#include "analyzer/RuleParser.h"
#include "analyzer/RuleTable.h"
#include "events/SyscallNames.h"

namespace capmin::analyzer {
namespace {

const std::string kRulesPath = std::string(CAPMIN_SOURCE_DIR) + "/policies/rules.yaml";

// Every field a rule holds, conditions as they were written.
void expect_same(const std::vector<Rule>& a, const std::vector<Rule>& b) {
  ASSERT_EQ(a.size(), b.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    SCOPED_TRACE(a[i].id);
    EXPECT_EQ(a[i].id, b[i].id);
    EXPECT_EQ(a[i].origin, b[i].origin);
    EXPECT_EQ(a[i].syscalls, b[i].syscalls);
    EXPECT_EQ(a[i].syscall_numbers, b[i].syscall_numbers);
    EXPECT_EQ(a[i].errnos, b[i].errnos);
    ASSERT_EQ(a[i].conditions.size(), b[i].conditions.size());
    for (std::size_t c = 0; c < a[i].conditions.size(); ++c) {
      EXPECT_EQ(a[i].conditions[c].field(), b[i].conditions[c].field());
      EXPECT_EQ(a[i].conditions[c].op(), b[i].conditions[c].op());
      EXPECT_EQ(a[i].conditions[c].operands(), b[i].conditions[c].operands());
    }
    EXPECT_EQ(a[i].candidates, b[i].candidates);
    EXPECT_EQ(a[i].candidates_from, b[i].candidates_from);
    EXPECT_EQ(a[i].reason, b[i].reason);
    EXPECT_EQ(a[i].source, b[i].source);
    EXPECT_EQ(a[i].note, b[i].note);
    EXPECT_EQ(a[i].host_wide, b[i].host_wide);
    EXPECT_EQ(a[i].delivery, b[i].delivery);
  }
}

TEST(RuleBlob, TheBuiltInRulesAreWhatParsingTheirFileGives) {
  const std::string text = read_policy_file(kRulesPath, "rule file");
  const auto decoded = decode_rules(builtin_rule_blob(), text, "here/rules.yaml");
  ASSERT_TRUE(decoded.has_value()) << "the build's blob was made from another rules.yaml";
  expect_same(*decoded, parse_rules(text, "here/rules.yaml"));
}

TEST(RuleBlob, EveryKindOfFieldSurvivesEncoding) {
  const std::string text = R"(rules:
  - id: all-of-it
    syscalls: [openat, open]
    errno: [EACCES, EPERM]
    when:
      path: {matches: '^/proc/[0-9]+/mem$'}
      flags: {none_of: [O_WRONLY, O_RDWR]}
      file.uid: {ne: 0}
      mode: {ge: 0644}
    candidates: [CAP_DAC_READ_SEARCH, [CAP_DAC_OVERRIDE, CAP_SYS_PTRACE]]
    reason: "r"
    source: "s"
    note: "n"
    host_wide: "h"
  - id: from-args
    syscalls: capset
    errno: EPERM
    candidates_from: [effective]
    reason: "r2"
  - id: dropped
    syscalls: fchmod
    delivery: setid_dropped
    errno: none
    when:
      dropped: S_ISGID
    candidates: [CAP_FSETID]
    reason: "r3"
)";
  const std::vector<Rule> parsed = parse_rules(text, "t.yaml");
  const auto decoded = decode_rules(encode_rules(text, parsed), text, "t.yaml");
  ASSERT_TRUE(decoded.has_value());
  expect_same(*decoded, parsed);
  // The decoded pattern matches as the parsed one does.
  events::SyscallEvent e;
  e.syscall = "openat";
  e.nr = events::syscall_number("openat").value();
  e.err = 13;
  e.args = {{"path", "/proc/12/mem", std::nullopt},
            {"flags", "O_RDONLY", 0},
            {"file.uid", "1000", 1000},
            {"mode", "0644", 0644}};
  EXPECT_TRUE((*decoded)[0].matches(e));
  e.args[0].text = "/proc/12/maps";
  EXPECT_FALSE((*decoded)[0].matches(e));
}

TEST(RuleBlob, AnyOtherTextIsNotTakenFromTheBlob) {
  const std::string text = "rules: []\n";
  const std::string blob = encode_rules(text, {});
  EXPECT_TRUE(decode_rules(blob, text, "x").has_value());
  EXPECT_FALSE(decode_rules(blob, "rules: [] \n", "x").has_value());
  EXPECT_FALSE(decode_rules(blob, "", "x").has_value());
}

TEST(RuleBlob, AnEditedRuleFileIsParsedNotTakenFromTheBuiltInBlob) {
  const std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("capmin-rule-blob-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const std::string path = (dir / "rules.yaml").string();
  std::filesystem::copy_file(kRulesPath, path);
  RuleTable builtin;
  builtin.load_file(path, builtin_rule_blob());
  {
    std::ofstream out(path, std::ios::app);
    out << "  - id: added-after-the-build\n    syscalls: [sethostname]\n    errno: EPERM\n"
        << "    candidates: [CAP_SYS_ADMIN]\n    reason: \"an edit\"\n";
  }
  RuleTable edited;
  edited.load_file(path, builtin_rule_blob());
  std::filesystem::remove_all(dir);
  EXPECT_EQ(edited.size(), builtin.size() + 1);
  EXPECT_EQ(edited.layers().front().back().id, "added-after-the-build");
  EXPECT_EQ(edited.layers().front().back().origin.rfind(path + ":", 0), 0u);
}

TEST(RuleBlob, ABrokenBlobIsAnErrorNotARead) {
  const std::string text = R"(rules:
  - id: a
    syscalls: [open]
    errno: EACCES
    candidates: [CAP_DAC_OVERRIDE]
    reason: "r"
)";
  const std::string blob = encode_rules(text, parse_rules(text, "t"));
  for (std::size_t cut : {std::size_t{0}, std::size_t{5}, blob.size() / 2, blob.size() - 1}) {
    SCOPED_TRACE(cut);
    EXPECT_THROW(decode_rules(blob.substr(0, cut), text, "t"), std::runtime_error);
  }
  EXPECT_THROW(decode_rules(blob + "x", text, "t"), std::runtime_error);
  // The rule count follows the magic and the text: one past what the
  // bytes could hold is refused before anything is made of it.
  std::string huge_count = blob;
  const std::size_t count_at = std::string_view("capmin rule blob 2\n").size() + 8 + text.size();
  for (std::size_t i = 0; i < 8; ++i) {
    huge_count[count_at + i] = '\xff';
  }
  EXPECT_THROW(decode_rules(huge_count, text, "t"), std::runtime_error);
  EXPECT_THROW(decode_rules("not a blob at all", text, "t"), std::runtime_error);
}

}  // namespace
}  // namespace capmin::analyzer
