// SPDX-License-Identifier: MIT
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "verify/RunOutcome.h"

namespace re2 {
class RE2;
}

namespace capmin::verify {

// Whether a run met the expectation, and in a few words why not.
struct Judgement {
  bool passed = false;
  std::string why;  // empty when passed
};

// What success looks like for one run: the exit status (0 unless told
// otherwise), and optionally a line of the program's output (standard output
// and standard error) matching a pattern. A run that was still going at the
// timeout has not failed by then, so its exit status is not held against it:
// a server that binds its port and serves until stopped has done its job.
class Expectation {
 public:
  void expect_exit(int code) {
    exit_code_ = code;
    exit_given_ = true;
  }
  // RE2 syntax, searched in each line (as grep does). Throws UserError
  // for a pattern that does not compile.
  void expect_output(const std::string& pattern);
  // Success is this shell command exiting 0 while the program runs (capmin
  // then stops it): its exit status no longer counts.
  void expect_check(const std::string& command) { check_ = command; }
  // Also fail a run that prints a warning or error line (verify/Complaints.h)
  // its reference run did not: how the proven minimal set judges a program
  // when the user gave no criterion of their own.
  void expect_no_new_complaints() { complaints_ = true; }
  // A run stopped at the timeout has failed: the timeout is capmin's guard
  // against a re-run that never ends, not a server's serving time.
  void fail_at_timeout() { timeout_fails_ = true; }
  // Whether a judgement needs the run's output.
  bool wants_output() const { return pattern_.has_value() || complaints_; }
  // Whether the user said what success is (a check, a status, a pattern).
  bool user_given() const { return exit_given_ || pattern_ || check_; }

  // `reference`: the output of a run that did its job, for the complaint
  // test; without one, that test is not made.
  Judgement judge(const RunOutcome& run, const std::string* reference = nullptr) const;
  // "exit status 0", "exit status 3 and a line matching /Serving/".
  std::string describe() const;

 private:
  int exit_code_ = 0;
  bool exit_given_ = false;
  bool complaints_ = false;
  bool timeout_fails_ = false;
  std::optional<std::string> pattern_;
  std::optional<std::string> check_;
  std::shared_ptr<const re2::RE2> regex_;
};

}  // namespace capmin::verify
