// SPDX-License-Identifier: MIT
// One rule condition on one argument, both from the fuzzer: the operator and
// its operands go into a one-rule YAML file (as a user's --policy would hold
// them), the argument text into a refusal the rule is matched against. The
// argument stands for what a traced program controls (a path it opened).
//
// Input: byte 0 chooses the operator (low 4 bits), whether the argument has a
// number (0x10), whether the event lacks it (0x20), and a list operand
// (0x40); then the operands (separated by '\n') up to the first NUL, then
// the argument text.
#include <cerrno>
#include <charconv>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <iterator>
#include <optional>
#include <string>
#include <string_view>

#include "analyzer/RuleTable.h"
#include "events/Errors.h"
#include "events/SyscallEvent.h"

namespace {

constexpr const char* kOps[] = {"eq", "ne",     "in",     "not_in",  "lt",     "le",      "gt",
                                "ge", "any_of", "all_of", "none_of", "prefix", "matches", "exists"};

// A YAML double-quoted scalar holding `s`, whatever its bytes.
std::string quoted(std::string_view s) {
  std::string out = "\"";
  for (const unsigned char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c < 0x20 || c >= 0x7f) {
      char esc[8];
      std::snprintf(esc, sizeof esc, "\\x%02x", c);
      out += esc;
    } else {
      out += static_cast<char>(c);
    }
  }
  return out + "\"";
}

std::string operand_yaml(std::string_view spec, bool list) {
  if (!list) {
    return quoted(spec);
  }
  std::string out = "[";
  std::size_t start = 0;
  while (true) {
    const std::size_t nl = spec.find('\n', start);
    out += quoted(spec.substr(start, nl == std::string_view::npos ? nl : nl - start));
    if (nl == std::string_view::npos) {
      break;
    }
    out += ", ";
    start = nl + 1;
  }
  return out + "]";
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) {
    return 0;
  }
  const std::uint8_t mode = data[0];
  const std::string_view rest(reinterpret_cast<const char*>(data + 1), size - 1);
  const std::size_t nul = rest.find('\0');
  const std::string_view spec = rest.substr(0, nul);
  const std::string text(nul == std::string_view::npos ? std::string_view() : rest.substr(nul + 1));

  const char* op = kOps[(mode & 0x0f) % std::size(kOps)];
  const std::string yaml = std::string(
                               "rules:\n"
                               "  - id: fuzz\n"
                               "    syscalls: [openat]\n"
                               "    errno: EACCES\n"
                               "    when:\n"
                               "      path: {") +
                           op + ": " + operand_yaml(spec, (mode & 0x40) != 0) +
                           "}\n"
                           "    candidates: [CAP_DAC_OVERRIDE]\n"
                           "    reason: fuzz\n";
  capmin::analyzer::RuleTable table;
  try {
    table.load_string(yaml, "fuzz.yaml");
  } catch (const capmin::UserError&) {
    return 0;  // a bad operand (not a number, not a regular expression)
  }

  capmin::events::SyscallEvent e;
  e.syscall = "openat";
  e.err = EACCES;
  std::optional<std::int64_t> value;
  if ((mode & 0x10) != 0) {
    std::int64_t v = 0;
    const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    value = ec == std::errc() ? v : static_cast<std::int64_t>(text.size());
  }
  e.args.push_back({(mode & 0x20) != 0 ? "other" : "path", text, value});
  (void)table.match(e);
  return 0;
}
