// SPDX-License-Identifier: MIT
// The policy files' YAML reader: what it keeps (positions, keys given twice,
// aliases) and what it refuses before a loader sees it.
#include <gtest/gtest.h>

#include <string>

#include "analyzer/yaml/YamlNode.h"

namespace capmin::analyzer {
namespace {

std::string error_of(const std::string& yaml) {
  try {
    YamlNode::parse(yaml);
  } catch (const YamlError& e) {
    return std::to_string(e.mark.line + 1) + ":" + std::to_string(e.mark.column + 1) + ": " +
           e.what();
  }
  return "parsed";
}

TEST(YamlNode, KeepsScalarsListsAndMappingsWithTheirPositions) {
  const YamlNode root = YamlNode::parse("rules:\n  - id: a\n    syscalls: [open, 'null']\n");
  ASSERT_TRUE(root.is_map());
  const YamlNode* rules = root.find("rules");
  ASSERT_NE(rules, nullptr);
  ASSERT_TRUE(rules->is_sequence());
  ASSERT_EQ(rules->items().size(), 1u);
  const YamlNode& rule = rules->items()[0];
  EXPECT_EQ(rule.mark().line, 1);
  EXPECT_EQ(rule.mark().column, 4);
  const YamlNode* calls = rule.find("syscalls");
  ASSERT_NE(calls, nullptr);
  ASSERT_EQ(calls->items().size(), 2u);
  EXPECT_EQ(calls->items()[0].scalar(), "open");
  EXPECT_EQ(calls->items()[0].mark().line, 2);
  EXPECT_EQ(calls->items()[0].mark().column, 15);
  // A quoted 'null' is the text; a plain one, ~ or nothing is null.
  EXPECT_TRUE(calls->items()[1].is_scalar());
  EXPECT_EQ(calls->items()[1].scalar(), "null");
  const YamlNode nulls = YamlNode::parse("a:\nb: ~\nc: null\n");
  for (const char* k : {"a", "b", "c"}) {
    ASSERT_NE(nulls.find(k), nullptr) << k;
    EXPECT_TRUE(nulls.find(k)->is_null()) << k;
  }
  EXPECT_EQ(root.find("missing"), nullptr);
  EXPECT_EQ(rules->find("rules"), nullptr);  // not a mapping
}

TEST(YamlNode, AnEmptyTextIsANullDocument) {
  EXPECT_TRUE(YamlNode::parse("").is_null());
  EXPECT_TRUE(YamlNode::parse("# only a comment\n").is_null());
}

// The loaders refuse a key given twice; the reader must keep both for them.
TEST(YamlNode, KeepsAKeyGivenTwice) {
  const YamlNode root = YamlNode::parse("{id: a, id: b}");
  ASSERT_EQ(root.entries().size(), 2u);
  EXPECT_EQ(root.find("id")->scalar(), "a");
  EXPECT_EQ(root.entries()[1].second.scalar(), "b");
  EXPECT_EQ(root.entries()[1].first.mark().column, 8);
}

TEST(YamlNode, CopiesAliasesWhereTheyStand) {
  const YamlNode root = YamlNode::parse("a: &calls [open, openat]\nb: *calls\n");
  const YamlNode* b = root.find("b");
  ASSERT_NE(b, nullptr);
  ASSERT_TRUE(b->is_sequence());
  EXPECT_EQ(b->items().size(), 2u);
  EXPECT_EQ(b->items()[1].scalar(), "openat");
  EXPECT_EQ(b->mark().line, 1);  // the alias's own position
  EXPECT_EQ(error_of("a: *nowhere\n"), "1:4: unknown anchor 'nowhere'");
}

// Ten levels of ten aliases each would be 10^10 nodes once copied.
TEST(YamlNode, RefusesAliasesThatExpandPastASaneSize) {
  std::string yaml = "l0: &l0 [x, x, x, x, x, x, x, x, x, x]\n";
  for (int i = 1; i < 10; ++i) {
    const std::string prev = "*l" + std::to_string(i - 1);
    yaml += "l" + std::to_string(i) + ": &l" + std::to_string(i) + " [";
    for (int k = 0; k < 10; ++k) {
      yaml += (k == 0 ? "" : ", ") + prev;
    }
    yaml += "]\n";
  }
  const std::string msg = error_of(yaml);
  EXPECT_NE(msg.find("nodes once aliases are expanded"), std::string::npos) << msg;
}

TEST(YamlNode, RefusesNestingDeeperThanAPolicyNeeds) {
  EXPECT_EQ(error_of(std::string(65, '[') + std::string(65, ']')),
            "1:65: nested more than 64 levels deep");
  EXPECT_EQ(error_of(std::string(64, '[') + std::string(64, ']')), "parsed");
}

TEST(YamlNode, RefusesASecondDocument) {
  EXPECT_EQ(error_of("a: 1\n---\nb: 2\n"), "2:1: a second YAML document: a policy file holds one");
}

TEST(YamlNode, SaysWhereTheYamlIsMalformed) {
  EXPECT_EQ(error_of("a: [1, 2\nb: 3\n"),
            "2:2: did not find expected ',' or ']' (while parsing a flow sequence)");
  EXPECT_EQ(error_of("a: b: c\n"), "1:5: mapping values are not allowed in this context");
}

}  // namespace
}  // namespace capmin::analyzer
