// SPDX-License-Identifier: MIT
// Which files show kernel addresses only to CAP_SYSLOG, and when.
#include <gtest/gtest.h>

#include "tracer/watchers/HiddenKernelAddresses.h"

namespace capmin::tracer {
namespace {

TEST(HiddenKernelAddresses, TheFilesKallsymsShowValueGuards) {
  EXPECT_TRUE(HiddenKernelAddresses::shows_addresses("/proc/kallsyms"));
  EXPECT_TRUE(HiddenKernelAddresses::shows_addresses("/proc/modules"));
  EXPECT_TRUE(HiddenKernelAddresses::shows_addresses("/sys/module/ext4/sections/.text"));
  EXPECT_FALSE(HiddenKernelAddresses::shows_addresses("/sys/module/ext4/parameters/x"));
  EXPECT_FALSE(HiddenKernelAddresses::shows_addresses("/sys/module/a/b/sections/.text"));
  EXPECT_FALSE(HiddenKernelAddresses::shows_addresses("/proc/kallsyms.bak"));
  EXPECT_FALSE(HiddenKernelAddresses::shows_addresses("/tmp/proc/kallsyms"));
}

TEST(HiddenKernelAddresses, SyslogRevealsThemUnlessNobodyOrEverybodySeesThem) {
  EXPECT_TRUE(HiddenKernelAddresses::syslog_reveals(1, -1));
  EXPECT_TRUE(HiddenKernelAddresses::syslog_reveals(0, 2));   // Debian's default
  EXPECT_FALSE(HiddenKernelAddresses::syslog_reveals(0, 1));  // shown to all, for perf
  EXPECT_FALSE(HiddenKernelAddresses::syslog_reveals(2, 2));  // hidden from all
}

}  // namespace
}  // namespace capmin::tracer
