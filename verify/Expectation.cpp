// SPDX-License-Identifier: MIT
#include "verify/Expectation.h"

#include <sstream>

#include "events/Errors.h"

namespace capmin::verify {

namespace {

// libstdc++'s matcher recurses per character: a line longer than this is
// searched in its first kMaxLine characters only.
constexpr std::size_t kMaxLine = 4096;

}  // namespace

void Expectation::expect_output(const std::string& pattern) {
  try {
    regex_ = std::regex(pattern, std::regex::ECMAScript);
  } catch (const std::regex_error& e) {
    throw UserError("--expect-output '" + pattern + "' is not a regular expression: " + e.what());
  }
  pattern_ = pattern;
}

Judgement Expectation::judge(const RunOutcome& run) const {
  if (!run.exec_refused.empty()) {
    return {false, run.describe()};
  }
  if (check_) {
    if (!run.check_passed) {
      return {false, run.timed_out ? "the check `" + *check_ + "` never passed in the time given"
                                   : run.describe() + " before the check `" + *check_ + "` passed"};
    }
  } else if (!run.timed_out && run.status() != exit_code_) {
    return {false, run.describe() + ", expected exit " + std::to_string(exit_code_)};
  }
  if (pattern_) {
    std::istringstream lines(run.output);
    for (std::string line; std::getline(lines, line);) {
      if (line.size() > kMaxLine) {
        line.resize(kMaxLine);
      }
      if (std::regex_search(line, regex_)) {
        return {true, ""};
      }
    }
    return {false, run.describe() + ", no line of output matches /" + *pattern_ + "/"};
  }
  return {true, ""};
}

std::string Expectation::describe() const {
  std::string d = check_ ? "the check `" + *check_ + "` passing while it runs"
                         : "exit status " + std::to_string(exit_code_);
  if (pattern_) {
    d += " and a line of output matching /" + *pattern_ + "/";
  }
  return d;
}

}  // namespace capmin::verify
