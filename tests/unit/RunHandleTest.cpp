// SPDX-License-Identifier: MIT
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tracer/launch/Launch.h"
#include "tracer/launch/RunHandle.h"

namespace capmin::tracer {
namespace {

TEST(RunHandle, SignalsNothingBeforeTheProgramExists) {
  const RunHandle handle;
  EXPECT_FALSE(handle.started());
  EXPECT_FALSE(handle.signal(SIGTERM));
}

TEST(RunHandle, KeepsItsOwnPidfdAndSignalsThroughIt) {
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    pause();
    _exit(0);
  }
  RunHandle handle;
  {
    const events::UniqueFd pidfd = open_pidfd(child);
    handle.set(pidfd);
  }  // the caller's pidfd is gone; the handle's duplicate is not
  EXPECT_TRUE(handle.started());
  EXPECT_TRUE(handle.signal(0));
  EXPECT_TRUE(handle.signal(SIGKILL));
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
  EXPECT_FALSE(handle.signal(0));  // reaped: ESRCH, whoever has the pid now
}

TEST(RunHandle, OpeningAPidfdForNoProcessThrows) { EXPECT_THROW(open_pidfd(-1), SystemError); }

}  // namespace
}  // namespace capmin::tracer
