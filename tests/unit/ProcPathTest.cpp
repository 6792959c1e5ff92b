// SPDX-License-Identifier: MIT
// Where capmin, the tracer, finds a file the traced task names: through the
// task's own cwd, descriptors and root under /proc/<tid>.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include "tracer/ptrace/ProcessInspector.h"

namespace capmin::tracer {
namespace {

TEST(ProcPath, RelativePathsStartAtTheTasksCwdOrDirectoryFd) {
  EXPECT_EQ(ProcInspector::proc_path(42, AT_FDCWD, "a/b"), "/proc/42/cwd/a/b");
  EXPECT_EQ(ProcInspector::proc_path(42, 7, "a"), "/proc/42/fd/7/a");
  EXPECT_EQ(ProcInspector::proc_path(42, 7, ""), "/proc/42/fd/7");
}

TEST(ProcPath, ALinkOutsideCapminsRootLosesTheTasksRootPrefix) {
  // A task in a mount namespace of its own under capmin's chroot: the kernel
  // writes its paths from the namespace's root, its own root included.
  EXPECT_EQ(ProcInspector::without_root("/var/tmp/fresh/r", "/var/tmp/fresh/r/tmp/x/prog"),
            "/tmp/x/prog");
  EXPECT_EQ(ProcInspector::without_root("/", "/tmp/x/prog"), "/tmp/x/prog");
  EXPECT_EQ(ProcInspector::without_root("/var/tmp/fresh/r", "/var/tmp/fresh/rx/prog"),
            "/var/tmp/fresh/rx/prog");
  EXPECT_EQ(ProcInspector::without_root("/var/tmp/fresh/r", "/var/tmp/fresh/r"),
            "/var/tmp/fresh/r");
  EXPECT_EQ(ProcInspector::as_the_task_names_it(getpid(), "socket:[42]"), "socket:[42]");
}

TEST(ProcPath, AbsolutePathsGoThroughTheTasksRoot) {
  EXPECT_EQ(ProcInspector::proc_path(42, AT_FDCWD, "/etc/shadow"), "/proc/42/root/etc/shadow");
  EXPECT_EQ(ProcInspector::proc_path(42, AT_FDCWD, "/proc/1/status"),
            "/proc/42/root/proc/1/status");
}

TEST(ProcPath, ProcSelfIsTheTaskNotCapmin) {
  // Looked up as given, /proc/self would be capmin's own.
  EXPECT_EQ(ProcInspector::proc_path(42, AT_FDCWD, "/proc/self/fd/3"), "/proc/42/fd/3");
  EXPECT_EQ(ProcInspector::proc_path(42, AT_FDCWD, "/proc/self"), "/proc/42");
  EXPECT_EQ(ProcInspector::proc_path(42, AT_FDCWD, "/proc/thread-self/fd/3"), "/proc/42/fd/3");
  EXPECT_EQ(ProcInspector::proc_path(42, AT_FDCWD, "/proc/selfish"), "/proc/42/root/proc/selfish");
}

}  // namespace
}  // namespace capmin::tracer
