// SPDX-License-Identifier: MIT
#include "cli/OneLine.h"

#include "events/ByteEscape.h"

namespace capmin::cli {

// The escape every output uses for bytes that are not printable text
// (events/ByteEscape.h): a message stays one line, and what it quotes from a
// file or a program cannot drive the terminal.
std::string one_line(const std::string& text) { return events::escape_bytes(text); }

}  // namespace capmin::cli
