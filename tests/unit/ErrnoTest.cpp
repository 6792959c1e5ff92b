// SPDX-License-Identifier: MIT
#include <errno.h>
#include <gtest/gtest.h>

#include "events/Errno.h"

namespace capmin::events {
namespace {

TEST(Errno, NamesErrnoValues) {
  EXPECT_EQ(errno_name(EPERM), "EPERM");
  EXPECT_EQ(errno_name(EACCES), "EACCES");
  EXPECT_EQ(errno_name(EROFS), "EROFS");
  EXPECT_EQ(errno_name(EHWPOISON), "EHWPOISON");
}

TEST(Errno, NamesAValueWithoutANameByNumber) {
  EXPECT_EQ(errno_name(0), "E0");
  EXPECT_EQ(errno_name(-1), "E-1");
  EXPECT_EQ(errno_name(4000), "E4000");
}

TEST(Errno, FindsTheValueOfAName) {
  EXPECT_EQ(errno_from_name("EPERM"), EPERM);
  EXPECT_EQ(errno_from_name("EACCES"), EACCES);
  EXPECT_EQ(errno_from_name("ENODATA"), ENODATA);
  EXPECT_EQ(errno_from_name("EHWPOISON"), EHWPOISON);
}

TEST(Errno, RejectsWhatIsNotAnErrnoName) {
  EXPECT_EQ(errno_from_name("EACCESS"), std::nullopt);
  EXPECT_EQ(errno_from_name("eperm"), std::nullopt);
  EXPECT_EQ(errno_from_name(""), std::nullopt);
  EXPECT_EQ(errno_from_name("1"), std::nullopt);
}

TEST(Errno, RoundTripsEveryNamedValue) {
  for (int e = 1; e <= EHWPOISON; ++e) {
    const std::string name = errno_name(e);
    if (name.rfind("E", 0) == 0 && name != "E" + std::to_string(e)) {
      // Aliases (EWOULDBLOCK = EAGAIN, EDEADLOCK = EDEADLK) name one value.
      EXPECT_EQ(errno_from_name(name), e) << name;
    }
  }
}

}  // namespace
}  // namespace capmin::events
