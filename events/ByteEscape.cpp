// SPDX-License-Identifier: MIT
#include "events/ByteEscape.h"

namespace capmin::events {

namespace {

bool in(unsigned char c, unsigned char lo, unsigned char hi) { return c >= lo && c <= hi; }

// The length of the well-formed UTF-8 sequence at text[i] (the Unicode
// Standard's table 3-7: no overlong form, no surrogate, nothing past
// U+10FFFF), and its code point; 0 if there is none.
std::size_t sequence_at(std::string_view text, std::size_t i, char32_t* code_point) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[i + k]); };
  const std::size_t left = text.size() - i;
  const unsigned char b0 = byte(0);
  if (b0 < 0x80) {
    *code_point = b0;
    return 1;
  }
  std::size_t n = 0;
  unsigned char lo = 0x80;  // the range of the second byte
  unsigned char hi = 0xbf;
  if (in(b0, 0xc2, 0xdf)) {
    n = 2;
  } else if (in(b0, 0xe0, 0xef)) {
    n = 3;
    lo = b0 == 0xe0 ? 0xa0 : 0x80;
    hi = b0 == 0xed ? 0x9f : 0xbf;
  } else if (in(b0, 0xf0, 0xf4)) {
    n = 4;
    lo = b0 == 0xf0 ? 0x90 : 0x80;
    hi = b0 == 0xf4 ? 0x8f : 0xbf;
  } else {
    return 0;  // a continuation byte, C0, C1 or F5..FF: never a lead byte
  }
  if (left < n || !in(byte(1), lo, hi)) {
    return 0;
  }
  char32_t cp = b0 & (0xff >> (n + 1));
  cp = (cp << 6) | (byte(1) & 0x3f);
  for (std::size_t k = 2; k < n; ++k) {
    if (!in(byte(k), 0x80, 0xbf)) {
      return 0;
    }
    cp = (cp << 6) | (byte(k) & 0x3f);
  }
  *code_point = cp;
  return n;
}

bool control(char32_t cp) { return cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp <= 0x9f); }

// The length of the printable character at text[i]; 0 if the byte there
// must be escaped.
std::size_t printable_at(std::string_view text, std::size_t i) {
  char32_t cp = 0;
  const std::size_t n = sequence_at(text, i, &cp);
  return n != 0 && !control(cp) ? n : 0;
}

}  // namespace

std::string escape_bytes(std::string_view raw) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(raw.size());
  for (std::size_t i = 0; i < raw.size();) {
    if (raw[i] == '\\') {
      out += "\\\\";
      ++i;
    } else if (const std::size_t n = printable_at(raw, i); n != 0) {
      out.append(raw, i, n);
      i += n;
    } else {
      const auto b = static_cast<unsigned char>(raw[i]);
      out += "\\x";
      out += kHex[b >> 4];
      out += kHex[b & 0xf];
      ++i;
    }
  }
  return out;
}

std::optional<std::string> unescape_bytes(std::string_view escaped) {
  std::string out;
  out.reserve(escaped.size());
  for (std::size_t i = 0; i < escaped.size(); ++i) {
    if (escaped[i] != '\\') {
      out += escaped[i];
      continue;
    }
    if (i + 1 < escaped.size() && escaped[i + 1] == '\\') {
      out += '\\';
      i += 1;
      continue;
    }
    if (i + 3 < escaped.size() && escaped[i + 1] == 'x') {
      const int hi = hex_digit(escaped[i + 2]);
      const int lo = hex_digit(escaped[i + 3]);
      if (hi >= 0 && lo >= 0) {
        out += static_cast<char>(hi << 4 | lo);
        i += 3;
        continue;
      }
    }
    return std::nullopt;
  }
  return out;
}

bool printable_utf8(std::string_view text) {
  for (std::size_t i = 0; i < text.size();) {
    const std::size_t n = printable_at(text, i);
    if (n == 0) {
      return false;
    }
    i += n;
  }
  return true;
}

int hex_digit(char c) {
  if (c >= '0' && c <= '9') {
    return c - '0';
  }
  if (c >= 'a' && c <= 'f') {
    return c - 'a' + 10;
  }
  if (c >= 'A' && c <= 'F') {
    return c - 'A' + 10;
  }
  return -1;
}

}  // namespace capmin::events
