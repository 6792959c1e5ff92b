// SPDX-License-Identifier: MIT
#include <gtest/gtest.h>

#include "Harness.h"

namespace capmin::e2e {
namespace {

TEST(Profile, BindToPort80NeedsNetBindService) {
  CAPMIN_REQUIRE_ROOT_AND_NAMESPACES();
  const CapminRun r = run_capmin({"profile", "--mode", "deny"},
                                 {"python3", "-c", "import socket; socket.socket().bind(('',80))"});
  EXPECT_EQ(r.status, 1) << r.err;
  EXPECT_EQ(r.caps(), std::set<std::string>{"CAP_NET_BIND_SERVICE"}) << r.out;
  EXPECT_EQ(r.confidence("CAP_NET_BIND_SERVICE"), "inferred");
}

}  // namespace
}  // namespace capmin::e2e
