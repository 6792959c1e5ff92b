// SPDX-License-Identifier: MIT
// Network refusals: privileged ports and raw sockets. Every run is in a fresh
// network namespace with only the loopback interface.
#include <gtest/gtest.h>

#include "Harness.h"

namespace capmin::e2e {
namespace {

using Caps = std::set<std::string>;

TEST(NetworkCapabilities, BindingPort80NeedsNetBindService) {
  CAPMIN_REQUIRE_ROOT_AND_NAMESPACES();
  const CapminRun r = profile_deny({fixture("bind_port"), "80"});
  const DescribeOnFailure described_r(r);
  EXPECT_TRUE(r.printed("FAIL EACCES"));
  EXPECT_EQ(r.status, 1);
  EXPECT_EQ(r.caps(), Caps{"CAP_NET_BIND_SERVICE"});
  EXPECT_EQ(r.confidence("CAP_NET_BIND_SERVICE"), "inferred");
  const auto evidence = r.evidence("CAP_NET_BIND_SERVICE");
  ASSERT_EQ(evidence.size(), 1u);
  EXPECT_EQ(evidence[0]["syscall"], "bind");
  EXPECT_EQ(evidence[0]["errno"], "EACCES");
  EXPECT_NE(evidence[0]["args"].get<std::string>().find("127.0.0.1:80"), std::string::npos)
      << evidence[0].dump();
  EXPECT_TRUE(r.unresolved_entries().empty());
}

TEST(NetworkCapabilities, BindingPort80OnIpv6NeedsNetBindService) {
  CAPMIN_REQUIRE_ROOT_AND_NAMESPACES();
  const CapminRun r = profile_deny({fixture("bind_port"), "80", "::1"});
  const DescribeOnFailure described_r(r);
  EXPECT_TRUE(r.printed("FAIL EACCES"));
  EXPECT_EQ(r.status, 1);
  EXPECT_EQ(r.caps(), Caps{"CAP_NET_BIND_SERVICE"});
  EXPECT_EQ(r.confidence("CAP_NET_BIND_SERVICE"), "inferred");
  const auto evidence = r.evidence("CAP_NET_BIND_SERVICE");
  ASSERT_EQ(evidence.size(), 1u);
  EXPECT_EQ(evidence[0]["syscall"], "bind");
  EXPECT_NE(evidence[0]["args"].get<std::string>().find("[::1]:80"), std::string::npos)
      << evidence[0].dump();
}

TEST(NetworkCapabilities,
     BindingTheLastPrivilegedPortNeedsNetBindServiceAndTheFirstFreeOneNothing) {
  CAPMIN_REQUIRE_ROOT_AND_NAMESPACES();
  // net.ipv4.ip_unprivileged_port_start is 1024 in a new network namespace.
  const CapminRun low = profile_deny({fixture("bind_port"), "1023"});
  const DescribeOnFailure described_low(low);
  EXPECT_EQ(low.status, 1);
  EXPECT_EQ(low.caps(), Caps{"CAP_NET_BIND_SERVICE"});
  const CapminRun high = profile_deny({fixture("bind_port"), "1024"});
  const DescribeOnFailure described_high(high);
  EXPECT_EQ(high.status, 0);
  ASSERT_TRUE(high.report.is_object());
  EXPECT_EQ(high.caps(), Caps{});
  EXPECT_TRUE(high.unresolved_entries().empty());
}

TEST(NetworkCapabilities, BindingPort8080NeedsNothing) {
  CAPMIN_REQUIRE_ROOT_AND_NAMESPACES();
  const CapminRun r = profile_deny({fixture("bind_port"), "8080"});
  const DescribeOnFailure described_r(r);
  EXPECT_TRUE(r.printed("OK"));
  EXPECT_EQ(r.status, 0);
  ASSERT_TRUE(r.report.is_object());
  EXPECT_EQ(r.caps(), Caps{});
  EXPECT_TRUE(r.report["findings"].empty());
  EXPECT_TRUE(r.unresolved_entries().empty());
  EXPECT_EQ(r.report["exit"]["code"], 0);
  EXPECT_TRUE(r.report["exit"]["signal"].is_null());
}

TEST(NetworkCapabilities, OpeningARawIcmpSocketNeedsNetRaw) {
  CAPMIN_REQUIRE_ROOT_AND_NAMESPACES();
  const CapminRun r = profile_deny({fixture("raw_socket")});
  const DescribeOnFailure described_r(r);
  EXPECT_TRUE(r.printed("FAIL EPERM"));
  EXPECT_EQ(r.status, 1);
  EXPECT_EQ(r.caps(), Caps{"CAP_NET_RAW"});
  EXPECT_EQ(r.confidence("CAP_NET_RAW"), "inferred");
  const auto evidence = r.evidence("CAP_NET_RAW");
  ASSERT_EQ(evidence.size(), 1u);
  EXPECT_EQ(evidence[0]["syscall"], "socket");
  EXPECT_EQ(evidence[0]["errno"], "EPERM");
  EXPECT_TRUE(r.unresolved_entries().empty());
}

}  // namespace
}  // namespace capmin::e2e
