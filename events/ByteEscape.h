// SPDX-License-Identifier: MIT
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace capmin::events {

// The one escape for text a traced program controls (paths, argv, the exe and
// stack names, socket paths, notes quoting them) on its way to any output.
// Linux names are bytes, not text; this makes them text that a terminal shows
// as it is, that is valid UTF-8 (so valid in JSON and YAML), and from which
// the exact bytes come back (unescape_bytes):
//
//   - a character of valid UTF-8 that is printable is written as its bytes;
//   - a backslash is written "\\";
//   - every other byte is written "\xHH", two lowercase hex digits: C0
//     controls (newline and tab included), DEL, each byte of the encoding of
//     a C1 control (U+0080 to U+009F), and each byte that is not part of a
//     well-formed UTF-8 sequence (a stray continuation byte, an overlong
//     form, a surrogate, a code point past U+10FFFF, a truncated sequence).
//
// Knows bytes and UTF-8; knows nothing of where the text goes.
std::string escape_bytes(std::string_view raw);

// The bytes an escape_bytes text stands for; nullopt if it is not one (a
// backslash not followed by "\" or "x" and two hex digits, of either case).
std::optional<std::string> unescape_bytes(std::string_view escaped);

// Whether every byte of `text` is part of a printable character of valid
// UTF-8 (a backslash included): what escape_bytes leaves as it is.
bool printable_utf8(std::string_view text);

// The value of a hexadecimal digit of either case, or -1.
int hex_digit(char c);

}  // namespace capmin::events
