// SPDX-License-Identifier: MIT
#include <gtest/gtest.h>

#include "cli/ArgSplit.h"

namespace capmin::cli {
namespace {

using Args = std::vector<std::string>;

const std::set<std::string> kWithValue = {"-o", "--output", "-f", "--format", "--user", "--policy"};

SplitArgs split(const Args& args) { return split_command(args, kWithValue); }

TEST(ArgSplit, TakesEverythingAfterDoubleDashAsTheCommand) {
  const auto s = split({"-f", "json", "--", "ls", "-la", "--", "x"});
  EXPECT_EQ(s.options, (Args{"-f", "json"}));
  EXPECT_EQ(s.command, (Args{"ls", "-la", "--", "x"}));
}

TEST(ArgSplit, GivesAnEmptyCommandAfterATrailingDoubleDash) {
  const auto s = split({"--iterate", "--"});
  EXPECT_EQ(s.options, Args{"--iterate"});
  EXPECT_TRUE(s.command.empty());
}

TEST(ArgSplit, StartsTheCommandAtTheFirstPositionalArgument) {
  const auto s = split({"--mode", "--no-stacks", "python3", "-m", "http.server"});
  EXPECT_EQ(s.options, (Args{"--mode", "--no-stacks"}));
  EXPECT_EQ(s.command, (Args{"python3", "-m", "http.server"}));
}

TEST(ArgSplit, DoesNotMistakeAnOptionsValueForTheCommand) {
  const auto s = split({"-o", "report.json", "--user", "1000:1000", "-f", "docker", "nginx"});
  EXPECT_EQ(s.options, (Args{"-o", "report.json", "--user", "1000:1000", "-f", "docker"}));
  EXPECT_EQ(s.command, Args{"nginx"});
}

TEST(ArgSplit, TakesAValueThatLooksLikeAnOption) {
  const auto s = split({"-o", "-", "cat"});
  EXPECT_EQ(s.options, (Args{"-o", "-"}));
  EXPECT_EQ(s.command, Args{"cat"});
}

TEST(ArgSplit, KeepsAnInlineValueWithItsOption) {
  const auto s = split({"--user=1000", "--format=json", "id", "-u"});
  EXPECT_EQ(s.options, (Args{"--user=1000", "--format=json"}));
  EXPECT_EQ(s.command, (Args{"id", "-u"}));
}

TEST(ArgSplit, KeepsCommandArgumentsThatLookLikeOptions) {
  const auto s = split({"ping", "-c", "1", "-o", "--", "--user", "x"});
  EXPECT_TRUE(s.options.empty());
  EXPECT_EQ(s.command, (Args{"ping", "-c", "1", "-o", "--", "--user", "x"}));
}

TEST(ArgSplit, TreatsALoneDashAsAPositionalArgument) {
  const auto s = split({"-", "x"});
  EXPECT_TRUE(s.options.empty());
  EXPECT_EQ(s.command, (Args{"-", "x"}));
}

TEST(ArgSplit, LeavesTheCommandEmptyWhenThereIsNone) {
  auto s = split({"--iterate", "-f", "json"});
  EXPECT_EQ(s.options, (Args{"--iterate", "-f", "json"}));
  EXPECT_TRUE(s.command.empty());
  s = split({});
  EXPECT_TRUE(s.options.empty());
  EXPECT_TRUE(s.command.empty());
  // An option that needs a value but ends the line keeps no value.
  s = split({"-o"});
  EXPECT_EQ(s.options, Args{"-o"});
  EXPECT_TRUE(s.command.empty());
}

}  // namespace
}  // namespace capmin::cli
