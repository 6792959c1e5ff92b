// SPDX-License-Identifier: MIT
#include <gtest/gtest.h>
#include <stdlib.h>
#include <unistd.h>

#include <fstream>

#include "tracer/launch/Mounts.h"

namespace capmin::tracer {
namespace {

// A mountinfo file written for the test, removed when it goes.
class MountinfoFile {
 public:
  explicit MountinfoFile(const std::string& text) {
    char name[] = "/tmp/capmin-mountinfo.XXXXXX";
    const int fd = mkstemp(name);
    EXPECT_GE(fd, 0);
    close(fd);
    path_ = name;
    std::ofstream(path_) << text;
  }
  ~MountinfoFile() { unlink(path_.c_str()); }
  MountinfoFile(const MountinfoFile&) = delete;
  MountinfoFile& operator=(const MountinfoFile&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

TEST(Mounts, MountPointsHaveTheirOctalEscapesDecoded) {
  // As the kernel writes them (fs/proc_namespace.c:show_mountinfo escapes
  // space, tab, newline and backslash).
  const MountinfoFile f(
      "22 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw\n"
      "30 22 0:26 / /tmp/a\\040b rw,relatime shared:5 - tmpfs tmpfs rw\n"
      "31 22 0:27 / /t\\011ab\\012nl\\134bs rw - tmpfs none rw\n"
      "32 22 0:28 / /sys/fs/cgroup rw,nosuid - cgroup2 cgroup2 rw\n");
  const std::vector<VisibleMount> mounts = visible_mounts(f.path());
  ASSERT_EQ(mounts.size(), 4u);
  EXPECT_EQ(mounts[0].point, "/");
  EXPECT_EQ(mounts[0].type, "ext4");
  EXPECT_EQ(mounts[1].point, "/tmp/a b");
  EXPECT_EQ(mounts[1].type, "tmpfs");
  EXPECT_EQ(mounts[2].point, "/t\tab\nnl\\bs");
  EXPECT_EQ(mounts[3].point, "/sys/fs/cgroup");
  EXPECT_EQ(mounts[3].type, "cgroup2");
}

TEST(Mounts, ALineThatIsNotAMountIsLeftOut) {
  const MountinfoFile f(
      "22 1 8:1 / / rw - ext4 /dev/sda1 rw\n"
      "not a mount\n"
      "23 22 0:5 / /proc rw - proc proc rw\n");
  const std::vector<VisibleMount> mounts = visible_mounts(f.path());
  ASSERT_EQ(mounts.size(), 2u);
  EXPECT_EQ(mounts[1].point, "/proc");
}

TEST(Mounts, AFileThatCannotBeReadHasNoMounts) {
  EXPECT_TRUE(visible_mounts("/no/such/mountinfo").empty());
}

TEST(Mounts, ThisProcessSeesTheProcItReadsThemFrom) {
  // Not "/": in a chroot the root is not a mount point.
  bool proc = false;
  for (const VisibleMount& m : visible_mounts()) {
    proc = proc || (m.point == "/proc" && m.type == "proc");
  }
  EXPECT_TRUE(proc);
}

}  // namespace
}  // namespace capmin::tracer
