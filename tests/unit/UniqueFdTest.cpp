// SPDX-License-Identifier: MIT
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/resource.h>
#include <unistd.h>

#include <stdexcept>
#include <string>
#include <utility>

#include "events/UniqueFd.h"

namespace capmin::events {
namespace {

bool is_open(int fd) { return fcntl(fd, F_GETFD) != -1; }

int open_null() { return open("/dev/null", O_RDONLY | O_CLOEXEC); }

TEST(UniqueFd, ClosesItsDescriptorWhenItGoes) {
  int fd = -1;
  {
    const UniqueFd owner(open_null());
    fd = owner.get();
    ASSERT_GE(fd, 0);
    EXPECT_TRUE(owner.valid());
    EXPECT_TRUE(owner);
    EXPECT_TRUE(is_open(fd));
  }
  EXPECT_FALSE(is_open(fd));
}

TEST(UniqueFd, HoldsNothingByDefault) {
  const UniqueFd none;
  EXPECT_EQ(none.get(), -1);
  EXPECT_FALSE(none.valid());
  EXPECT_FALSE(none);
}

TEST(UniqueFd, ReleaseGivesTheDescriptorUpWithoutClosingIt) {
  UniqueFd owner(open_null());
  const int fd = owner.release();
  EXPECT_FALSE(owner);
  EXPECT_TRUE(is_open(fd));
  close(fd);
}

TEST(UniqueFd, ResetClosesTheOldDescriptorAndHoldsTheNewOne) {
  UniqueFd owner(open_null());
  const int old = owner.get();
  const int fresh = open_null();
  owner.reset(fresh);
  EXPECT_FALSE(is_open(old));
  EXPECT_EQ(owner.get(), fresh);
  owner.reset();
  EXPECT_FALSE(is_open(fresh));
  EXPECT_FALSE(owner);
}

TEST(UniqueFd, AMoveHandsOwnershipOverAndAMoveAssignmentClosesWhatWasHeld) {
  UniqueFd a(open_null());
  const int fd = a.get();
  UniqueFd b(std::move(a));
  EXPECT_FALSE(a);  // the moved-from owner holds nothing
  EXPECT_EQ(b.get(), fd);

  UniqueFd c(open_null());
  const int replaced = c.get();
  c = std::move(b);
  EXPECT_FALSE(is_open(replaced));
  EXPECT_EQ(c.get(), fd);
  EXPECT_TRUE(is_open(fd));

  UniqueFd& same = c;
  c = std::move(same);  // a self-move keeps the descriptor
  EXPECT_EQ(c.get(), fd);
  EXPECT_TRUE(is_open(fd));
}

TEST(MakePipe, GivesTwoCloseOnExecEndsThatCarryBytes) {
  Pipe p = make_pipe();
  ASSERT_TRUE(p.read);
  ASSERT_TRUE(p.write);
  EXPECT_NE(fcntl(p.read.get(), F_GETFD) & FD_CLOEXEC, 0);
  EXPECT_NE(fcntl(p.write.get(), F_GETFD) & FD_CLOEXEC, 0);
  ASSERT_EQ(write(p.write.get(), "x", 1), 1);
  p.write.reset();
  char c = 0;
  EXPECT_EQ(read(p.read.get(), &c, 1), 1);
  EXPECT_EQ(c, 'x');
  EXPECT_EQ(read(p.read.get(), &c, 1), 0);  // every writer gone
}

TEST(MakePipe, ThrowsSystemErrorWhenNoDescriptorIsLeft) {
#ifdef CAPMIN_SANITIZED
  GTEST_SKIP() << "the sanitizers check memory through pipes of their own: none can be made here";
#endif
  // libunwind (linked for the tracer's stacks) also provides
  // _Unwind_RaiseException, and the first exception it unwinds opens a pipe
  // of its own: with no descriptor left, that first throw aborts. One throw
  // beforehand gets it its pipe.
  try {
    throw std::runtime_error("opens libunwind's pipe");
  } catch (const std::runtime_error&) {
  }
  rlimit saved{};
  ASSERT_EQ(getrlimit(RLIMIT_NOFILE, &saved), 0);
  rlimit none = saved;
  none.rlim_cur = 0;
  ASSERT_EQ(setrlimit(RLIMIT_NOFILE, &none), 0);
  bool threw = false;
  try {
    make_pipe();
  } catch (const SystemError& e) {
    threw = true;
    EXPECT_EQ(std::string(e.what()).rfind("pipe2: ", 0), 0u) << e.what();
  }
  ASSERT_EQ(setrlimit(RLIMIT_NOFILE, &saved), 0);
  EXPECT_TRUE(threw);
}

}  // namespace
}  // namespace capmin::events
