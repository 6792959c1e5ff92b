// SPDX-License-Identifier: MIT
#include "verify/Complaints.h"

#include <re2/re2.h>

#include <cctype>
#include <unordered_set>

namespace capmin::verify {

namespace {

// The words programs use when something did not work: glibc's strerror
// texts (EPERM, EACCES), the usual log levels, and the phrasing of
// perror-style messages. Matched as words, in any case.
const re2::RE2& complaint_words() {
  static const re2::RE2 re = [] {
    RE2::Options options(RE2::Latin1);
    options.set_case_sensitive(false);
    options.set_log_errors(false);
    return re2::RE2(
        R"(\b(warn|warning|error|errors|err|crit|critical|alert|emerg|fail|failed|failure|)"
        R"(fatal|cannot|can't|could not|couldn't|unable|denied|not permitted|refused|)"
        R"(permission|not allowed)\b)",
        options);
  }();
  return re;
}

template <typename F>
void for_each_line(std::string_view text, F&& f) {
  for (std::size_t start = 0; start < text.size();) {
    const std::size_t end = std::min(text.find('\n', start), text.size());
    std::string_view line = text.substr(start, end - start);
    if (!line.empty() && line.back() == '\r') {
      line.remove_suffix(1);
    }
    f(line);
    start = end + 1;
  }
}

bool hex_digit(char c) { return std::isxdigit(static_cast<unsigned char>(c)) != 0; }
bool digit(char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; }

}  // namespace

std::string normalised_line(std::string_view line) {
  std::string out;
  out.reserve(line.size());
  for (std::size_t i = 0; i < line.size();) {
    if (line[i] == '0' && i + 2 < line.size() && (line[i + 1] == 'x' || line[i + 1] == 'X') &&
        hex_digit(line[i + 2])) {
      i += 2;
      while (i < line.size() && hex_digit(line[i])) {
        ++i;
      }
      out += '#';
    } else if (digit(line[i])) {
      while (i < line.size() && digit(line[i])) {
        ++i;
      }
      out += '#';
    } else {
      out += line[i++];
    }
  }
  return out;
}

std::vector<std::string> new_complaints(std::string_view reference, std::string_view run) {
  std::unordered_set<std::string> seen;
  for_each_line(reference, [&seen](std::string_view line) { seen.insert(normalised_line(line)); });
  std::vector<std::string> out;
  for_each_line(run, [&](std::string_view line) {
    if (re2::RE2::PartialMatch(line, complaint_words()) && seen.count(normalised_line(line)) == 0) {
      out.emplace_back(line);
    }
  });
  return out;
}

}  // namespace capmin::verify
