// SPDX-License-Identifier: MIT
#include <grp.h>
#include <gtest/gtest.h>
#include <pwd.h>

#include "cli/UserSpec.h"
#include "events/Errors.h"

namespace capmin::cli {
namespace {

// The message parse_user fails with, or "parsed".
std::string error_of(const std::string& text) {
  try {
    parse_user(text);
  } catch (const UserError& e) {
    return e.what();
  }
  return "parsed";
}

TEST(UserSpec, TakesANumericUidAlone) {
  const UserSpec zero = parse_user("0");
  EXPECT_EQ(zero.uid, 0u);
  EXPECT_FALSE(zero.gid.has_value());
  const UserSpec u = parse_user("1000");
  EXPECT_EQ(u.uid, 1000u);
  EXPECT_FALSE(u.gid.has_value());
}

TEST(UserSpec, TakesAUidAndAGid) {
  const UserSpec u = parse_user("1000:1001");
  EXPECT_EQ(u.uid, 1000u);
  EXPECT_EQ(u.gid, 1001u);
  EXPECT_EQ(parse_user("0:0").gid, 0u);
}

TEST(UserSpec, LooksUpANameAndItsPrimaryGroup) {
  const UserSpec root = parse_user("root");
  EXPECT_EQ(root.uid, 0u);
  EXPECT_EQ(root.gid, 0u);
  const passwd* nobody = getpwnam("nobody");
  ASSERT_NE(nobody, nullptr) << "this machine has no user 'nobody'";
  const uid_t nobody_uid = nobody->pw_uid;
  const gid_t nobody_gid = nobody->pw_gid;
  const UserSpec n = parse_user("nobody");
  EXPECT_EQ(n.uid, nobody_uid);
  EXPECT_EQ(n.gid, nobody_gid);
}

TEST(UserSpec, LooksUpAUserAndGroupByName) {
  const group* nogroup = getgrnam("nogroup");
  ASSERT_NE(nogroup, nullptr) << "this machine has no group 'nogroup'";
  const gid_t gid = nogroup->gr_gid;
  const UserSpec u = parse_user("nobody:nogroup");
  EXPECT_EQ(u.uid, getpwnam("nobody")->pw_uid);
  EXPECT_EQ(u.gid, gid);
  // Names and numbers mix.
  EXPECT_EQ(parse_user("root:nogroup").gid, gid);
  EXPECT_EQ(parse_user("nobody:5").gid, 5u);
}

TEST(UserSpec, RejectsAnUnknownName) {
  EXPECT_EQ(error_of("no-such-user-xyz"),
            "--user 'no-such-user-xyz': no user named 'no-such-user-xyz'");
  EXPECT_EQ(error_of("root:no-such-group-xyz"),
            "--user 'root:no-such-group-xyz': no group named 'no-such-group-xyz'");
}

TEST(UserSpec, RejectsAnIdOutOfRange) {
  // (uid_t)-1 means "unchanged" to the kernel: not a user.
  EXPECT_EQ(error_of("4294967295"),
            "--user '4294967295': uid 4294967295 is out of range (0-4294967294)");
  EXPECT_EQ(error_of("0:4294967295"),
            "--user '0:4294967295': gid 4294967295 is out of range (0-4294967294)");
  EXPECT_EQ(error_of("99999999999999999999999"),
            "--user '99999999999999999999999': uid 99999999999999999999999 is out of range "
            "(0-4294967294)");
  EXPECT_EQ(parse_user("4294967294").uid, 4294967294u);
}

TEST(UserSpec, RejectsSomethingThatIsNeitherNumberNorName) {
  EXPECT_EQ(error_of("12abc"), "--user '12abc': '12abc' is not a number or a name");
  EXPECT_EQ(error_of("1000:5x"), "--user '1000:5x': '5x' is not a number or a name");
}

TEST(UserSpec, RejectsAnEmptyUserOrGroup) {
  EXPECT_EQ(error_of(":5"), "--user ':5': empty user");
  EXPECT_EQ(error_of("1000:"), "--user '1000:': empty group");
  EXPECT_EQ(error_of(""), "--user '': empty user");
}

TEST(UserSpec, ReportsItsErrorsAsUserErrorsWithStatus125) {
  try {
    parse_user("12abc");
    FAIL() << "no error";
  } catch (const UserError& e) {
    EXPECT_EQ(e.status(), 125);
  }
}

}  // namespace
}  // namespace capmin::cli
