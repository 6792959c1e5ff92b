// SPDX-License-Identifier: MIT
#include <gtest/gtest.h>
#include <linux/capability.h>

#include <algorithm>

#include "events/CapabilityNames.h"

namespace capmin::events {
namespace {

TEST(CapabilityNames, NamesCapabilitiesAsCapabilities7Does) {
  EXPECT_EQ(cap_name(CAP_CHOWN), "CAP_CHOWN");
  EXPECT_EQ(cap_name(CAP_NET_BIND_SERVICE), "CAP_NET_BIND_SERVICE");
  EXPECT_EQ(cap_name(CAP_SYS_ADMIN), "CAP_SYS_ADMIN");
  EXPECT_EQ(cap_name(CAP_CHECKPOINT_RESTORE), "CAP_CHECKPOINT_RESTORE");
}

TEST(CapabilityNames, GivesShortNamesAsDockerWritesThem) {
  EXPECT_EQ(cap_short_name(CAP_NET_RAW), "NET_RAW");
  EXPECT_EQ(cap_short_name(CAP_DAC_READ_SEARCH), "DAC_READ_SEARCH");
}

TEST(CapabilityNames, NamesACapabilityLibcapDoesNotKnowByNumber) {
  // libcap spells those as bare numbers; capmin keeps the CAP_ prefix so that
  // short names and masks stay well-formed.
  EXPECT_EQ(cap_name(62), "CAP_62");
  EXPECT_EQ(cap_short_name(62), "62");
  EXPECT_EQ(cap_mask_text(std::uint64_t{1} << 62), "CAP_62");
}

TEST(CapabilityNames, AcceptsThreeSpellingsOfAName) {
  EXPECT_EQ(cap_from_name("CAP_NET_RAW"), CAP_NET_RAW);
  EXPECT_EQ(cap_from_name("NET_RAW"), CAP_NET_RAW);
  EXPECT_EQ(cap_from_name("cap_net_raw"), CAP_NET_RAW);
  EXPECT_EQ(cap_from_name("net_raw"), CAP_NET_RAW);
  EXPECT_EQ(cap_from_name("CAP_CHOWN"), 0);
}

TEST(CapabilityNames, RejectsUnknownNames) {
  EXPECT_EQ(cap_from_name("CAP_NET_RAWW"), std::nullopt);
  EXPECT_EQ(cap_from_name("CAP_"), std::nullopt);
  EXPECT_EQ(cap_from_name(""), std::nullopt);
  EXPECT_EQ(cap_from_name("ALL"), std::nullopt);
}

TEST(CapabilityNames, RoundTripsEveryCapabilityThisMachineKnows) {
  ASSERT_GE(cap_last(), CAP_CHECKPOINT_RESTORE);
  for (int c = 0; c <= cap_last(); ++c) {
    EXPECT_EQ(cap_from_name(cap_name(c)), c) << cap_name(c);
    EXPECT_EQ(cap_from_name(cap_short_name(c)), c) << cap_name(c);
  }
}

TEST(CapabilityNames, WritesMasksAsNamesInNumberOrder) {
  EXPECT_EQ(cap_mask_text(0), "0");
  EXPECT_EQ(cap_mask_text((1u << CAP_NET_RAW) | (1u << CAP_CHOWN)), "CAP_CHOWN|CAP_NET_RAW");
  EXPECT_EQ(cap_mask_text(std::uint64_t{1} << CAP_BPF), "CAP_BPF");
}

TEST(CapabilityNames, SuggestsNamesThatStartWithWhatWasTyped) {
  const auto close = cap_close_names("NET_BIND");
  EXPECT_NE(std::find(close.begin(), close.end(), "CAP_NET_BIND_SERVICE"), close.end());
  const auto net = cap_close_names("cap_net");
  for (const char* n : {"CAP_NET_ADMIN", "CAP_NET_RAW", "CAP_NET_BROADCAST"}) {
    EXPECT_NE(std::find(net.begin(), net.end(), n), net.end()) << n;
  }
}

TEST(CapabilityNames, SuggestsTheNearestNameForATypoFirst) {
  auto close = cap_close_names("CAP_NET_BIND_SERVIC");
  ASSERT_FALSE(close.empty());
  EXPECT_EQ(close.front(), "CAP_NET_BIND_SERVICE");
  close = cap_close_names("SYS_ADMN");
  ASSERT_FALSE(close.empty());
  EXPECT_EQ(close.front(), "CAP_SYS_ADMIN");
}

TEST(CapabilityNames, SuggestsNothingForANameFarFromAll) {
  EXPECT_TRUE(cap_close_names("XYZZY_PLUGH_QUUX").empty());
}

}  // namespace
}  // namespace capmin::events
