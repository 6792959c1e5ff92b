// SPDX-License-Identifier: MIT
#include <gtest/gtest.h>

#include <cstdio>
#include <random>

#include "events/ByteEscape.h"

namespace capmin::events {
namespace {

TEST(ByteEscape, LeavesPrintableUtf8AsItIs) {
  for (const std::string s :
       {"", "/etc/shadow", "fd=3, addr=127.0.0.1:80", "caf\xc3\xa9", "\xe2\x82\xac 5",
        "\xf0\x9f\x90\xa7", "\xc2\xa0", "\xef\xbf\xbd", "\xf4\x8f\xbf\xbf", "~ !\"'$`"}) {
    EXPECT_EQ(escape_bytes(s), s);
    EXPECT_TRUE(printable_utf8(s)) << s;
  }
}

TEST(ByteEscape, DoublesABackslash) {
  EXPECT_EQ(escape_bytes("a\\b"), "a\\\\b");
  EXPECT_EQ(escape_bytes("\\x41"), "\\\\x41");
  EXPECT_TRUE(printable_utf8("a\\b"));
}

TEST(ByteEscape, WritesEveryC0ControlAndDelAsHex) {
  for (int b = 0; b < 0x20; ++b) {
    char hex[8];
    std::snprintf(hex, sizeof hex, "\\x%02x", b);
    EXPECT_EQ(escape_bytes(std::string(1, static_cast<char>(b))), hex);
  }
  EXPECT_EQ(escape_bytes("a\nb\tc"), "a\\x0ab\\x09c");
  EXPECT_EQ(escape_bytes("\x1b[31mred\x1b[0m"), "\\x1b[31mred\\x1b[0m");
  EXPECT_EQ(escape_bytes(std::string("\0z", 2)), "\\x00z");
  EXPECT_EQ(escape_bytes("\x7f"), "\\x7f");
  EXPECT_FALSE(printable_utf8("a\nb"));
}

TEST(ByteEscape, WritesTheEncodingOfEachC1ControlAsHex) {
  EXPECT_EQ(escape_bytes("\xc2\x80"), "\\xc2\\x80");
  EXPECT_EQ(escape_bytes("\xc2\x9b"
                         "2J"),
            "\\xc2\\x9b2J");  // CSI
  EXPECT_EQ(escape_bytes("\xc2\x9f"), "\\xc2\\x9f");
  EXPECT_EQ(escape_bytes("\xc2\xa0"), "\xc2\xa0");  // U+00A0 is the first after them
  EXPECT_FALSE(printable_utf8("\xc2\x85"));
}

TEST(ByteEscape, WritesEachByteOfInvalidUtf8AsHex) {
  EXPECT_EQ(escape_bytes("a\xff"
                         "b"),
            "a\\xffb");
  EXPECT_EQ(escape_bytes("\x80"), "\\x80");                             // stray continuation
  EXPECT_EQ(escape_bytes("\xc3\xa9\xa9"), "\xc3\xa9\\xa9");             // one too many
  EXPECT_EQ(escape_bytes("\xc0\xaf"), "\\xc0\\xaf");                    // overlong '/'
  EXPECT_EQ(escape_bytes("\xc1\xbf"), "\\xc1\\xbf");                    // overlong
  EXPECT_EQ(escape_bytes("\xe0\x80\xaf"), "\\xe0\\x80\\xaf");           // overlong, 3 bytes
  EXPECT_EQ(escape_bytes("\xf0\x80\x80\xaf"), "\\xf0\\x80\\x80\\xaf");  // overlong, 4 bytes
  EXPECT_EQ(escape_bytes("\xed\xa0\x80"), "\\xed\\xa0\\x80");           // surrogate U+D800
  EXPECT_EQ(escape_bytes("\xed\xbf\xbf"), "\\xed\\xbf\\xbf");           // surrogate U+DFFF
  EXPECT_EQ(escape_bytes("\xf4\x90\x80\x80"), "\\xf4\\x90\\x80\\x80");  // U+110000
  EXPECT_EQ(escape_bytes("\xf5\x80\x80\x80"), "\\xf5\\x80\\x80\\x80");
  EXPECT_EQ(escape_bytes("\xe2\x82"), "\\xe2\\x82");  // truncated at the end
  EXPECT_EQ(escape_bytes("\xe2\x82z"), "\\xe2\\x82z");
  EXPECT_EQ(escape_bytes("\xf0\x9f\x90"), "\\xf0\\x9f\\x90");
  EXPECT_EQ(escape_bytes("\xed\x9f\xbf"), "\xed\x9f\xbf");  // U+D7FF, just before them
  EXPECT_FALSE(printable_utf8("\xff"));
}

TEST(ByteEscape, UnescapesWhatItEscapes) {
  EXPECT_EQ(unescape_bytes("a\\xffb"),
            "a\xff"
            "b");
  EXPECT_EQ(unescape_bytes("\\\\x41"), "\\x41");
  EXPECT_EQ(unescape_bytes("\\xFF"), "\xff");  // either case
  EXPECT_EQ(unescape_bytes("\\x00"), std::string(1, '\0'));
  EXPECT_EQ(unescape_bytes(""), "");
}

TEST(ByteEscape, RefusesToUnescapeWhatNoEscapeWrites) {
  for (const char* s : {"\\", "a\\", "\\n", "\\x", "\\xf", "\\xg0", "\\x0g", "\\u00ff"}) {
    EXPECT_EQ(unescape_bytes(s), std::nullopt) << s;
  }
}

TEST(ByteEscape, RoundTripsEveryByteAndEveryPairOfBytes) {
  for (int a = 0; a < 256; ++a) {
    for (int b = -1; b < 256; ++b) {
      std::string raw(1, static_cast<char>(a));
      if (b >= 0) {
        raw += static_cast<char>(b);
      }
      const std::string e = escape_bytes(raw);
      ASSERT_TRUE(printable_utf8(e)) << e;
      ASSERT_EQ(unescape_bytes(e), raw) << e;
    }
  }
}

TEST(ByteEscape, RoundTripsArbitraryBytes) {
  std::mt19937 random(20240501);
  // Mostly bytes that make UTF-8 (leads, continuations, ASCII), so that
  // valid and broken sequences both come up often.
  const std::string alphabet =
      "a\\/\n\x1b\x7f\x80\x8f\x9f\xa0\xbf\xc0\xc2\xc3\xdf\xe0\xe2\xed\xef\xf0\xf4\xf5\xff";
  for (int round = 0; round < 20000; ++round) {
    std::string raw(random() % 24, '\0');
    for (char& c : raw) {
      c = random() % 4 == 0 ? static_cast<char>(random() % 256)
                            : alphabet[random() % alphabet.size()];
    }
    const std::string e = escape_bytes(raw);
    ASSERT_TRUE(printable_utf8(e)) << e;
    ASSERT_EQ(unescape_bytes(e), raw) << e;
    // Text that needed nothing escaped is left alone.
    if (printable_utf8(raw) && raw.find('\\') == std::string::npos) {
      ASSERT_EQ(e, raw);
    }
  }
}

}  // namespace
}  // namespace capmin::events
