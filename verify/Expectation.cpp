// SPDX-License-Identifier: MIT
#include "verify/Expectation.h"

#include <re2/re2.h>

#include <algorithm>
#include <string_view>

#include "events/Errors.h"
#include "verify/Complaints.h"

namespace capmin::verify {

void Expectation::expect_output(const std::string& pattern) {
  // The program's output is bytes: Latin-1 matches them one by one, so a
  // line that is not UTF-8 is still searched. RE2 takes linear time on a
  // line of any length.
  RE2::Options options(RE2::Latin1);
  options.set_log_errors(false);
  auto re = std::make_shared<const re2::RE2>(pattern, options);
  if (!re->ok()) {
    throw UserError("--expect-output '" + pattern +
                    "' is not a regular expression: " + re->error());
  }
  regex_ = std::move(re);
  pattern_ = pattern;
}

Judgement Expectation::judge(const RunOutcome& run, const std::string* reference) const {
  if (!run.exec_refused.empty()) {
    return {false, run.describe()};
  }
  if (run.timed_out && timeout_fails_) {
    return {false, "still running long after the first run had ended (stopped)"};
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
    bool found = false;
    const std::string_view out = run.output;
    for (std::size_t start = 0; start < out.size() && !found;) {
      const std::size_t end = std::min(out.find('\n', start), out.size());
      found = RE2::PartialMatch(out.substr(start, end - start), *regex_);
      start = end + 1;
    }
    if (!found) {
      return {false, run.describe() + ", no line of output matches /" + *pattern_ + "/"};
    }
  }
  if (complaints_ && reference != nullptr) {
    const std::vector<std::string> said = new_complaints(*reference, run.output);
    if (!said.empty()) {
      return {false, "the program says \"" + said.front() + "\""};
    }
  }
  return {true, ""};
}

std::string Expectation::describe() const {
  std::string d = check_ ? "the check `" + *check_ + "` passing while it runs"
                         : "exit status " + std::to_string(exit_code_);
  if (pattern_) {
    d += " and a line of output matching /" + *pattern_ + "/";
  }
  if (complaints_) {
    d += ", and no warning or error line that a run with every capability found did not print";
  }
  return d;
}

}  // namespace capmin::verify
