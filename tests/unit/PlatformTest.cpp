// SPDX-License-Identifier: MIT
#include <gtest/gtest.h>
#include <linux/capability.h>

#include "analyzer/Platform.h"
#include "events/Errors.h"

namespace capmin::analyzer {
namespace {

std::string load_error(const std::string& yaml) {
  PlatformTable t;
  try {
    t.load_string(yaml, "platforms.yaml");
  } catch (const UserError& e) {
    return e.what();
  }
  return "loaded";
}

TEST(Platform, TheShippedTableHasEachEnginesDefaultsAndSysctls) {
  PlatformTable t;
  t.load_file(CAPMIN_SOURCE_DIR "/policies/platforms.yaml");
  EXPECT_EQ(t.names(), (std::vector<std::string>{"docker", "podman", "containerd", "cri-o",
                                                 "kubernetes", "systemd", "host"}));
  EXPECT_EQ(t.find("docker")->default_capabilities.size(), 14u);
  EXPECT_EQ(t.find("podman")->default_capabilities.size(), 11u);
  EXPECT_EQ(t.find("cri-o")->default_capabilities.size(), 9u);
  EXPECT_TRUE(t.find("host")->default_capabilities.empty());
  const auto has = [](const std::vector<int>& v, int c) {
    return std::find(v.begin(), v.end(), c) != v.end();
  };
  for (int absent : {CAP_AUDIT_WRITE, CAP_MKNOD, CAP_NET_RAW}) {
    EXPECT_FALSE(has(t.find("podman")->default_capabilities, absent)) << absent;
  }
  ASSERT_NE(t.find("docker")->sysctl("net.ipv4.ip_unprivileged_port_start"), nullptr);
  EXPECT_EQ(t.find("docker")->sysctl("net.ipv4.ip_unprivileged_port_start")->value, "0");
  EXPECT_EQ(t.find("docker")->sysctl("net.ipv4.ping_group_range")->value, "0 2147483647");
  EXPECT_EQ(t.find("podman")->sysctl("net.ipv4.ip_unprivileged_port_start"), nullptr);
  EXPECT_EQ(t.find("podman")->sysctl("net.ipv4.ping_group_range")->value, "0 0");
  EXPECT_TRUE(t.find("cri-o")->network_sysctls.empty());
  // Kubernetes: containerd's defaults, no sysctl assumed.
  EXPECT_EQ(t.find("kubernetes")->default_capabilities, t.find("containerd")->default_capabilities);
  EXPECT_TRUE(t.find("kubernetes")->network_sysctls.empty());
  EXPECT_FALSE(t.find("kubernetes")->seccomp.applied_by_default);
  EXPECT_TRUE(t.find("docker")->seccomp.applied_by_default);
  EXPECT_EQ(t.find("nosuch"), nullptr);
}

TEST(Platform, TheCallsWatchedAreTheGatedAndRefusedOnesOfAProfileAppliedByDefault) {
  PlatformTable t;
  t.load_file(CAPMIN_SOURCE_DIR "/policies/platforms.yaml");
  const std::vector<std::string> docker = t.find("docker")->watched_calls();
  const auto has = [&docker](const char* call) {
    return std::find(docker.begin(), docker.end(), call) != docker.end();
  };
  for (const char* watched : {"unshare", "mount", "setns", "keyctl", "get_mempolicy", "chroot"}) {
    EXPECT_TRUE(has(watched)) << watched;
  }
  // clone runs at every fork; ptrace passes on kernels since 4.8; stime is
  // no x86_64 call.
  for (const char* left_out : {"clone", "clone3", "ptrace", "process_vm_readv", "stime"}) {
    EXPECT_FALSE(has(left_out)) << left_out;
  }
  EXPECT_TRUE(t.find("kubernetes")->watched_calls().empty());  // no profile unless asked for
  EXPECT_TRUE(t.find("host")->watched_calls().empty());
}

TEST(Platform, BadTablesAreRefusedWithTheirPlace) {
  EXPECT_EQ(load_error("platforms: 3\n"), "platforms.yaml:1:1: expected a 'platforms:' list");
  EXPECT_EQ(load_error("platforms:\n  - name: x\n"),
            "platforms.yaml:2:5: each platform needs a name and a label");
  EXPECT_EQ(load_error("platforms:\n  - {name: x, label: X, default_capabilities: [CAP_BOGUS]}\n"),
            "platforms.yaml:2:47: unknown capability 'CAP_BOGUS'");
  EXPECT_EQ(load_error("platforms:\n  - {name: x, label: X, based_on: y}\n"),
            "platforms.yaml:2:5: based_on 'y': no platform of that name above");
  EXPECT_EQ(load_error("platforms:\n  - {name: x, label: X}\n  - {name: x, label: Y}\n"),
            "platforms.yaml:3:5: platform 'x' twice");
}

}  // namespace
}  // namespace capmin::analyzer
