// SPDX-License-Identifier: MIT
// Which lines of a run's output count as a new complaint.
#include <gtest/gtest.h>

#include "verify/Complaints.h"
#include "verify/Expectation.h"

namespace capmin::verify {
namespace {

TEST(Complaints, ANewWarningIsOneAndAnOldOneIsNot) {
  const std::string full = "listening on 127.0.0.1:123\nwarning: no config, using defaults\n";
  const std::string without =
      "listening on 127.0.0.1:123\nwarning: no config, using defaults\n"
      "cannot chown control socket /run/x.sock: Operation not permitted\n";
  EXPECT_EQ(
      new_complaints(full, without),
      std::vector<std::string>{"cannot chown control socket /run/x.sock: Operation not permitted"});
  EXPECT_TRUE(new_complaints(full, full).empty());
}

TEST(Complaints, NumbersAndAddressesThatVaryBetweenRunsAreNotNew) {
  const std::string full = "12:00:01 [pid 4242] error: retrying at 0x7ffd1234abcd\n";
  const std::string again = "12:00:07 [pid 4399] error: retrying at 0x7ffc0000ffff\n";
  EXPECT_TRUE(new_complaints(full, again).empty());
  EXPECT_EQ(normalised_line("pid 4242 at 0xdeadBEEF: 3 of 10"), "pid # at #: # of #");
}

TEST(Complaints, OrdinaryLinesAndWordsInsideOthersAreNotComplaints) {
  EXPECT_TRUE(new_complaints("", "served 3 requests\nterrorist.txt copied\nerrand done\n").empty());
  EXPECT_EQ(new_complaints("", "touch: cannot touch 'f': Permission denied\r\n").size(), 1u);
  EXPECT_EQ(new_complaints("", "ERROR could not open pid file\n").size(), 1u);
}

TEST(Complaints, AnExpectationWithoutACriterionOfItsOwnFailsARunThatComplains) {
  Expectation e;
  e.expect_no_new_complaints();
  EXPECT_FALSE(e.user_given());
  RunOutcome ok;
  ok.output = "started\n";
  RunOutcome said = ok;
  said.output += "warning: cannot set oom_score_adj\n";
  const std::string reference = ok.output;
  EXPECT_TRUE(e.judge(said).passed);  // no reference: nothing to compare with
  EXPECT_TRUE(e.judge(ok, &reference).passed);
  const Judgement j = e.judge(said, &reference);
  EXPECT_FALSE(j.passed);
  EXPECT_EQ(j.why, "the program says \"warning: cannot set oom_score_adj\"");
}

TEST(Complaints, TheUsersOwnCriterionIsMarkedAsGiven) {
  Expectation e;
  e.expect_exit(3);
  EXPECT_TRUE(e.user_given());
  Expectation c;
  c.expect_check("true");
  EXPECT_TRUE(c.user_given());
  Expectation o;
  o.expect_output("Serving");
  EXPECT_TRUE(o.user_given());
}

}  // namespace
}  // namespace capmin::verify
