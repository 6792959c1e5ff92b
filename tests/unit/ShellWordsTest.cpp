// SPDX-License-Identifier: MIT
#include <gtest/gtest.h>

#include "events/ShellWords.h"

namespace capmin::events {
namespace {

TEST(ShellWords, LeavesAPlainWordAsItIs) {
  EXPECT_EQ(shell_word("/usr/sbin/nginx"), "/usr/sbin/nginx");
  EXPECT_EQ(shell_word("a=b,c:d@e%f"), "a=b,c:d@e%f");
}

TEST(ShellWords, SingleQuotesPrintableText) {
  EXPECT_EQ(shell_word("daemon off;"), "'daemon off;'");
  EXPECT_EQ(shell_word("it's"), "'it'\\''s'");
  EXPECT_EQ(shell_word("a\\b"), "'a\\b'");
  EXPECT_EQ(shell_word("caf\xc3\xa9"), "'caf\xc3\xa9'");
  EXPECT_EQ(shell_word(""), "''");
}

TEST(ShellWords, WritesControlAndInvalidBytesEscapedInDollarQuotes) {
  EXPECT_EQ(shell_word("a\xff"
                       "b"),
            "$'a\\xffb'");
  EXPECT_EQ(shell_word("a\nb"), "$'a\\x0ab'");
  EXPECT_EQ(shell_word("\x1b[0m"), "$'\\x1b[0m'");
  // Inside $'...' a backslash and a quote are escaped too.
  EXPECT_EQ(shell_word("it's\\\n"), "$'it\\'s\\\\\\x0a'");
}

TEST(ShellWords, NeverCountsANulByteAsPlain) {
  EXPECT_EQ(shell_word(std::string("a\0b", 3)), "$'a\\x00b'");
}

TEST(ShellWords, JoinsWordsWithOneSpace) {
  EXPECT_EQ(shell_line({"nginx", "-g", "daemon off;", "\x7f"}), "nginx -g 'daemon off;' $'\\x7f'");
}

}  // namespace
}  // namespace capmin::events
