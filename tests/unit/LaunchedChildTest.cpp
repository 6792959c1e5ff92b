// SPDX-License-Identifier: MIT
// launch() and read_launch_failure(), on real children that are released
// untraced, and on failure records written by hand.
#include <dirent.h>
#include <errno.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <set>
#include <stdexcept>

#include "events/UniqueFd.h"
#include "tracer/launch/Launch.h"
#include "tracer/launch/RunHandle.h"

namespace capmin::tracer {
namespace {

int open_descriptors() {
  int n = 0;
  DIR* d = opendir("/proc/self/fd");
  for (dirent* e = readdir(d); e != nullptr; e = readdir(d)) {
    n += e->d_name[0] != '.';
  }
  closedir(d);
  return n;
}

LaunchSpec untraced(std::vector<std::string> argv) {
  LaunchSpec spec;
  spec.argv = std::move(argv);
  spec.traced = false;
  // The one mode whose setup also works without root: it drops nothing.
  spec.caps = LaunchSpec::Caps::PermittedOnly;
  return spec;
}

int wait_status(pid_t pid) {
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  return status;
}

TEST(LaunchedChild, ACommandThatRunsLeavesNoFailureInThePipe) {
  if (geteuid() != 0) {
    GTEST_SKIP() << "the child's setgroups needs root";
  }
  const LaunchedChild child = launch(untraced({"/bin/true"}));
  ASSERT_GT(child.pid, 0);
  EXPECT_TRUE(child.pidfd);
  const int status = wait_status(child.pid);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;
  EXPECT_FALSE(read_launch_failure(child.failure.get()));
}

TEST(LaunchedChild, ACommandThatIsNotThereIsAFailureOfItsExecve) {
  const LaunchedChild child = launch(untraced({"/no/such/program"}));
  const int status = wait_status(child.pid);
  const auto failure = read_launch_failure(child.failure.get());
  ASSERT_TRUE(failure);
  if (geteuid() != 0) {
    // setgroups needs CAP_SETGID: the setup stops first.
    EXPECT_EQ(failure->stage, LaunchFailure::Stage::Setup);
    EXPECT_EQ(WEXITSTATUS(status), 125);
    return;
  }
  EXPECT_EQ(failure->stage, LaunchFailure::Stage::Exec);
  EXPECT_EQ(failure->err, ENOENT);
  EXPECT_STREQ(failure->what, "execve");
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 127) << status;
}

TEST(LaunchedChild, AFailedAttachKillsAndReapsTheChildAndLeaksNoDescriptor) {
  // The first exception libunwind unwinds opens a pipe that it keeps (see
  // UniqueFdTest): thrown once here, it is not counted as a leak.
  try {
    throw std::runtime_error("opens libunwind's pipe");
  } catch (const std::runtime_error&) {
  }
  const int before = open_descriptors();
  pid_t attached = -1;
  EXPECT_THROW(launch(untraced({"/bin/sleep", "30"}),
                      [&](pid_t pid) {
                        attached = pid;
                        throw std::runtime_error("attach failed");
                      }),
               std::runtime_error);
  ASSERT_GT(attached, 0);
  EXPECT_EQ(kill(attached, 0), -1);  // reaped, not a zombie
  EXPECT_EQ(errno, ESRCH);
  EXPECT_EQ(open_descriptors(), before);
}

// Lowers the descriptor limit so that exactly `free` more can be opened,
// and puts it back when it goes.
class DescriptorsLeft {
 public:
  explicit DescriptorsLeft(int free) {
    getrlimit(RLIMIT_NOFILE, &saved_);
    std::set<int> open;
    DIR* d = opendir("/proc/self/fd");
    for (dirent* e = readdir(d); e != nullptr; e = readdir(d)) {
      if (e->d_name[0] != '.') {
        open.insert(std::atoi(e->d_name));
      }
    }
    closedir(d);  // its own descriptor is in the set, and free again now
    rlim_t limit = 0;
    for (int left = free; left > 0; ++limit) {
      left -= open.count(static_cast<int>(limit)) == 0 ? 1 : 0;
    }
    rlimit lowered = saved_;
    lowered.rlim_cur = limit;
    setrlimit(RLIMIT_NOFILE, &lowered);
  }
  ~DescriptorsLeft() { setrlimit(RLIMIT_NOFILE, &saved_); }
  DescriptorsLeft(const DescriptorsLeft&) = delete;
  DescriptorsLeft& operator=(const DescriptorsLeft&) = delete;

 private:
  rlimit saved_{};
};

TEST(LaunchedChild, WhenTheSecondPipeCannotBeMadeTheFirstIsClosed) {
#ifdef CAPMIN_SANITIZED
  GTEST_SKIP() << "the sanitizers check memory through pipes of their own: none can be made here";
#endif
  try {
    throw std::runtime_error("opens libunwind's pipe");
  } catch (const std::runtime_error&) {
  }
  const int before = open_descriptors();
  {
    const DescriptorsLeft two(2);  // the sync pipe, and no more
    EXPECT_THROW(launch(untraced({"/bin/true"})), SystemError);
  }
  EXPECT_EQ(open_descriptors(), before);
}

TEST(LaunchedChild, TheHandleReachesTheChildFromItsAttachStepUntilItIsReaped) {
  RunHandle handle;
  LaunchSpec spec = untraced({"/bin/sleep", "30"});
  spec.handle = &handle;
  bool started_before_attach = false;
  const LaunchedChild child =
      launch(spec, [&](pid_t) { started_before_attach = handle.started(); });
  EXPECT_TRUE(started_before_attach);
  EXPECT_TRUE(handle.signal(SIGTERM));
  const int status = wait_status(child.pid);
  EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM) << status;
  // Reaped: its pid may be anybody's now, and nothing is sent to it.
  EXPECT_FALSE(handle.signal(SIGTERM));
}

TEST(LaunchedChild, AFailureRecordIsReadOnlyWhenWhole) {
  LaunchFailure written{};
  written.stage = LaunchFailure::Stage::Setup;
  written.err = EPERM;
  std::strcpy(written.what, "capset");
  events::Pipe whole = events::make_pipe();
  ASSERT_EQ(write(whole.write.get(), &written, sizeof written),
            static_cast<ssize_t>(sizeof written));
  whole.write.reset();
  const auto read_back = read_launch_failure(whole.read.get());
  ASSERT_TRUE(read_back);
  EXPECT_EQ(read_back->stage, LaunchFailure::Stage::Setup);
  EXPECT_EQ(read_back->err, EPERM);
  EXPECT_STREQ(read_back->what, "capset");

  events::Pipe part = events::make_pipe();
  ASSERT_EQ(write(part.write.get(), &written, 3), 3);
  part.write.reset();
  EXPECT_FALSE(read_launch_failure(part.read.get()));

  events::Pipe empty = events::make_pipe();
  empty.write.reset();
  EXPECT_FALSE(read_launch_failure(empty.read.get()));
}

}  // namespace
}  // namespace capmin::tracer
