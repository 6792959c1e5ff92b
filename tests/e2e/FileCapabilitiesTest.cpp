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

}  // namespace
}  // namespace capmin::e2e
