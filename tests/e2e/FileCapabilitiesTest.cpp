// SPDX-License-Identifier: MIT
// File refusals: ownership, device nodes, permission bits, and the refusals no
// capability cures. Every file lives in the run's temporary directory.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>

#include "Harness.h"

namespace capmin::e2e {
namespace {

using Caps = std::set<std::string>;

// A file of another user that nobody may read or write.
constexpr const char* kForeignSecret = "touch secret && chown 1234:1234 secret && chmod 000 secret";

TEST(FileCapabilities, GivingAFileToAnotherUserNeedsChown) {
  CAPMIN_REQUIRE_ROOT_AND_NAMESPACES();
  const CapminRun r =
      profile_deny({fixture("chown_file"), "file", "1234"}, {.setup = "touch file"});
  const DescribeOnFailure described_r(r);
  EXPECT_TRUE(r.printed("FAIL EPERM"));
  EXPECT_EQ(r.status, 1);
  EXPECT_EQ(r.caps(), Caps{"CAP_CHOWN"});
  EXPECT_EQ(r.confidence("CAP_CHOWN"), "inferred");
  const auto evidence = r.evidence("CAP_CHOWN");
  ASSERT_EQ(evidence.size(), 1u);
  EXPECT_EQ(evidence[0]["syscall"], "chown");
  EXPECT_EQ(evidence[0]["errno"], "EPERM");
  struct stat st {};
  ASSERT_EQ(stat((r.workdir + "/file").c_str(), &st), 0);
  EXPECT_EQ(st.st_uid, 0u) << "the refused chown must not have happened";
}

TEST(FileCapabilities, CreatingACharacterDeviceNeedsMknod) {
  CAPMIN_REQUIRE_ROOT_AND_NAMESPACES();
  const CapminRun r = profile_deny({fixture("mknod_char"), "null"});
  const DescribeOnFailure described_r(r);
  EXPECT_TRUE(r.printed("FAIL EPERM"));
  EXPECT_EQ(r.status, 1);
  EXPECT_EQ(r.caps(), Caps{"CAP_MKNOD"});
  EXPECT_EQ(r.confidence("CAP_MKNOD"), "inferred");
  const auto evidence = r.evidence("CAP_MKNOD");
  ASSERT_EQ(evidence.size(), 1u);
  EXPECT_EQ(evidence[0]["syscall"], "mknodat");
  EXPECT_FALSE(std::filesystem::exists(r.workdir + "/null"));
}

TEST(FileCapabilities, ReadingAnUnreadableFileNeedsDacReadSearchOnly) {
  CAPMIN_REQUIRE_ROOT_AND_NAMESPACES();
  const CapminRun r = profile_deny({fixture("read_file"), "secret"}, {.setup = kForeignSecret});
  const DescribeOnFailure described_r(r);
  EXPECT_TRUE(r.printed("FAIL EACCES"));
  EXPECT_EQ(r.status, 1);
  // DAC_OVERRIDE would do too, but it also allows writing: the smaller one wins.
  EXPECT_EQ(r.caps(), Caps{"CAP_DAC_READ_SEARCH"});
  EXPECT_EQ(r.confidence("CAP_DAC_READ_SEARCH"), "inferred");
  const auto evidence = r.evidence("CAP_DAC_READ_SEARCH");
  ASSERT_EQ(evidence.size(), 1u);
  EXPECT_EQ(evidence[0]["syscall"], "openat");
  EXPECT_EQ(evidence[0]["errno"], "EACCES");
}

TEST(FileCapabilities, WritingAnUnwritableFileNeedsDacOverrideOnly) {
  CAPMIN_REQUIRE_ROOT_AND_NAMESPACES();
  const CapminRun r = profile_deny({fixture("write_file"), "secret"}, {.setup = kForeignSecret});
  const DescribeOnFailure described_r(r);
  EXPECT_TRUE(r.printed("FAIL EACCES"));
  EXPECT_EQ(r.status, 1);
  // DAC_READ_SEARCH never allows a write.
  EXPECT_EQ(r.caps(), Caps{"CAP_DAC_OVERRIDE"});
  EXPECT_EQ(r.confidence("CAP_DAC_OVERRIDE"), "inferred");
  const auto evidence = r.evidence("CAP_DAC_OVERRIDE");
  ASSERT_EQ(evidence.size(), 1u);
  EXPECT_EQ(evidence[0]["syscall"], "openat");
  EXPECT_EQ(evidence[0]["errno"], "EACCES");
}

TEST(FileCapabilities, WritingToAReadOnlyMountIsUnresolved) {
  CAPMIN_REQUIRE_ROOT_AND_NAMESPACES();
  const CapminRun r = profile_deny(
      {fixture("write_file"), "ro/file"},
      {.setup = "mkdir ro && touch ro/file && mount --bind ro ro && mount -o remount,bind,ro ro"});
  const DescribeOnFailure described_r(r);
  EXPECT_TRUE(r.printed("FAIL EROFS"));
  EXPECT_EQ(r.status, 1);
  ASSERT_TRUE(r.report.is_object());
  EXPECT_EQ(r.caps(), Caps{});
  EXPECT_TRUE(r.report["findings"].empty());
  EXPECT_TRUE(r.unresolved("openat", "EROFS"));
}

TEST(FileCapabilities, HardLinkingADirectoryIsUnresolved) {
  CAPMIN_REQUIRE_ROOT_AND_NAMESPACES();
  // vfs_link() refuses directories with EPERM before any capability check.
  const CapminRun r = profile_deny({fixture("link_dir"), "dir", "alias"}, {.setup = "mkdir dir"});
  const DescribeOnFailure described_r(r);
  EXPECT_TRUE(r.printed("FAIL EPERM"));
  EXPECT_EQ(r.status, 1);
  ASSERT_TRUE(r.report.is_object());
  EXPECT_EQ(r.caps(), Caps{});
  EXPECT_TRUE(r.report["findings"].empty());
  EXPECT_TRUE(r.unresolved("link", "EPERM"));
}

// CAP_FSETID never makes a call fail: chmod 02755 of a file whose group the
// caller is not in succeeds, and the kernel leaves S_ISGID out.
constexpr const char* kForeignGroupFile = "touch file && chown 0:1234 file";

mode_t mode_of(const std::string& path) {
  struct stat st {};
  EXPECT_EQ(stat(path.c_str(), &st), 0) << path;
  return st.st_mode & 07777;
}

TEST(FileCapabilities, SettingSetgidOnAFileOfAnotherGroupNeedsFsetid) {
  CAPMIN_REQUIRE_ROOT_AND_NAMESPACES();
  const CapminRun r = profile_deny({fixture("chmod_setgid"), "file"},
                                   {.setup = kForeignGroupFile, .write_through = true});
  const DescribeOnFailure described_r(r);
  EXPECT_TRUE(r.printed("MODE 0755")) << "the kernel kept S_ISGID without CAP_FSETID";
  EXPECT_EQ(r.status, 0);
  EXPECT_EQ(r.caps(), Caps{"CAP_FSETID"});
  EXPECT_EQ(r.confidence("CAP_FSETID"), "inferred");
  const auto evidence = r.evidence("CAP_FSETID");
  ASSERT_EQ(evidence.size(), 1u);
  EXPECT_EQ(evidence[0]["syscall"], "chmod");
  EXPECT_EQ(evidence[0]["errno"], "");
  EXPECT_EQ(evidence[0]["rule"], "chmod-setgid-dropped");
  EXPECT_NE(evidence[0]["args"].get<std::string>().find("dropped=S_ISGID"), std::string::npos);
  EXPECT_EQ(mode_of(r.workdir + "/file"), 0755u);
}

TEST(FileCapabilities, FchmodThatLosesSetgidNeedsFsetidToo) {
  CAPMIN_REQUIRE_ROOT_AND_NAMESPACES();
  const CapminRun r =
      profile_deny({fixture("chmod_setgid"), "file", "fd"}, {.setup = kForeignGroupFile});
  const DescribeOnFailure described_r(r);
  EXPECT_TRUE(r.printed("MODE 0755"));
  EXPECT_EQ(r.caps(), Caps{"CAP_FSETID"});
  const auto evidence = r.evidence("CAP_FSETID");
  ASSERT_EQ(evidence.size(), 1u);
  EXPECT_EQ(evidence[0]["syscall"], "fchmod");
}

TEST(FileCapabilities, ProbeModeConfirmsFsetidAndTheBitStays) {
  CAPMIN_REQUIRE_ROOT_AND_NAMESPACES();
  const CapminRun r = profile_probe({fixture("chmod_setgid"), "file"},
                                    {.setup = kForeignGroupFile, .write_through = true});
  const DescribeOnFailure described_r(r);
  // The retry with CAP_FSETID raised ran before the program looked.
  EXPECT_TRUE(r.printed("MODE 2755"));
  EXPECT_EQ(r.caps(), Caps{"CAP_FSETID"});
  EXPECT_EQ(r.confidence("CAP_FSETID"), "confirmed");
  EXPECT_EQ(mode_of(r.workdir + "/file"), 02755u);
}

TEST(FileCapabilities, SettingSetgidInOwnGroupNeedsNothing) {
  CAPMIN_REQUIRE_ROOT_AND_NAMESPACES();
  // The file's group is the caller's fs gid (0), then one of its
  // supplementary-free gids given with --user 0:1234: S_ISGID stays.
  for (const char* user : {"0:0", "0:1234"}) {
    const std::string setup = std::string("touch file && chown 0:") + (user + 2) + " file";
    const CapminRun r =
        profile_deny({fixture("chmod_setgid"), "file"}, {.setup = setup}, {"--user", user});
    const DescribeOnFailure described_r(r);
    EXPECT_TRUE(r.printed("MODE 2755")) << user;
    EXPECT_EQ(r.caps(), Caps{}) << user;
    EXPECT_TRUE(r.unresolved_entries().empty()) << user;
  }
}

}  // namespace
}  // namespace capmin::e2e
