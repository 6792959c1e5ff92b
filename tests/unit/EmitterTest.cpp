// SPDX-License-Identifier: MIT
// Every output format, rendered from hand-built profiles and compared byte
// for byte with tests/golden/<case>.<format>.
//
// After a deliberate change of an output format, regenerate the files with
//   CAPMIN_UPDATE_GOLDEN=1 build/tests/unit/capmin_unit_tests --gtest_filter='Emitter*'
// and read the diff before committing it: a golden file is only as right as
// the person who last looked at it.
#include <gtest/gtest.h>
#include <linux/capability.h>
#include <signal.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "analyzer/emit/Emitter.h"
#include "events/Errors.h"

namespace capmin::analyzer {
namespace {

// A catalogue of its own, so that the goldens do not change when
// policies/capabilities.yaml grows.
const char* kCatalogue = R"(capabilities:
  - name: CAP_CHOWN
    number: 0
    allows: change the owner of any file
    attacker: take ownership of any file
  - name: CAP_SETUID
    number: 7
    allows: change user ids at will
    attacker: become any user, root included
  - name: CAP_NET_BIND_SERVICE
    number: 10
    allows: bind ports below 1024
    attacker: impersonate a system service on a well-known port
  - name: CAP_NET_RAW
    number: 13
    allows: raw and packet sockets
    attacker: spoof packets, sniff traffic of the container
  - name: CAP_SYS_ADMIN
    number: 21
    allows: mounts, namespaces and much more
    attacker: usually a full escape to the host
)";

Evidence evidence(std::string syscall, std::string args, std::string err, std::uint64_t count) {
  Evidence e;
  e.syscall = std::move(syscall);
  e.args = std::move(args);
  e.err = std::move(err);
  e.pid = 4242;
  e.exe = "/usr/sbin/nginx";
  e.count = count;
  return e;
}

// Root in a container: one confirmed and one inferred capability, a refusal
// no capability explains and one the probe could not cure.
Profile root_profile() {
  Profile p;
  p.run.command = {"/usr/sbin/nginx", "-g", "daemon off;"};
  p.run.mode = "probe";
  p.run.mode_reason = "capmin can grant capabilities";
  p.run.tracing = "seccomp + ptrace";
  p.run.capmin_version = "0.1.0";
  p.capabilities = {CAP_SETUID, CAP_NET_BIND_SERVICE};

  Finding setuid;
  setuid.capability = CAP_SETUID;
  setuid.confidence = Confidence::Confirmed;
  setuid.reason = "changing user ids";
  Evidence e = evidence("setuid", "uid=101", "EPERM", 1);
  e.rule = "setuid";
  e.confirmed = true;
  e.stack = {"setuid+0x17 (/usr/lib/x86_64-linux-gnu/libc.so.6)",
             "ngx_worker_process_init+0x1c2 (/usr/sbin/nginx)"};
  setuid.evidence.push_back(e);
  p.findings.push_back(setuid);

  Finding bind;
  bind.capability = CAP_NET_BIND_SERVICE;
  bind.reason = "binding a TCP/UDP port below 1024";
  bind.note = "a port of 1024 or more needs none";
  e = evidence("bind", "fd=6, addr=0.0.0.0:80", "EACCES", 2);
  e.rule = "bind-privileged-port";
  e.stack = {"bind+0xb (/usr/lib/x86_64-linux-gnu/libc.so.6)",
             "ngx_open_listening_sockets+0x2a1 (/usr/sbin/nginx)",
             "ngx_init_cycle+0x1e30 (/usr/sbin/nginx)", "main+0x4d1 (/usr/sbin/nginx)"};
  bind.evidence.push_back(e);
  e = evidence("bind", "fd=7, addr=[::]:443", "EACCES", 1);
  e.rule = "bind-privileged-port";
  bind.evidence.push_back(e);
  p.findings.push_back(bind);

  Unresolved ro;
  ro.evidence = evidence("openat", "dirfd=AT_FDCWD, path=/var/cache/nginx/x, flags=O_RDWR|O_CREAT",
                         "EROFS", 3);
  ro.evidence.rule = "read-only-fs";
  ro.reason = "the file system is mounted read-only";
  p.unresolved.push_back(ro);

  Unresolved tried;
  tried.evidence = evidence(
      "openat", "dirfd=AT_FDCWD, path=/home/alice/.ssh/id_rsa, flags=O_RDONLY", "EACCES", 1);
  tried.evidence.note = "retried with CAP_DAC_READ_SEARCH, then CAP_DAC_OVERRIDE: still EACCES";
  tried.reason = tried.evidence.note;
  p.unresolved.push_back(tried);
  return p;
}

// `--user 1000:1000`, needing nothing.
Profile user_nocaps_profile() {
  Profile p;
  p.run.command = {"id", "-u"};
  p.run.mode = "deny";
  p.run.mode_reason = "--mode deny";
  p.run.tracing = "ptrace (every syscall)";
  p.run.uid = 1000;
  p.run.gid = 1000;
  p.run.user_given = true;
  p.run.capmin_version = "0.1.0";
  return p;
}

// `--user 1000:1000`, needing one capability; killed by SIGTERM.
Profile user_caps_profile() {
  Profile p = user_nocaps_profile();
  p.run.command = {"python3", "-m", "http.server", "80"};
  p.run.signal = SIGTERM;
  p.capabilities = {CAP_NET_BIND_SERVICE};
  Finding bind;
  bind.capability = CAP_NET_BIND_SERVICE;
  bind.reason = "binding a TCP/UDP port below 1024";
  Evidence e = evidence("bind", "fd=3, addr=0.0.0.0:80", "EACCES", 1);
  e.exe = "/usr/bin/python3.11";
  e.pid = 77;
  e.rule = "bind-privileged-port";
  bind.evidence.push_back(e);
  p.findings.push_back(bind);
  return p;
}

// user_caps as an image's container profiled for Kubernetes.
Profile image_caps_profile() {
  Profile p = user_caps_profile();
  p.run.image = "docker-archive:app.tar";
  p.run.image_name = "registry.example/app:1";
  p.run.user_given = false;  // the image's own USER
  PlatformTable platforms;
  platforms.load_file(CAPMIN_SOURCE_DIR "/policies/platforms.yaml");
  p.platform = *platforms.find("kubernetes");
  return p;
}

struct Case {
  const char* name;
  Profile (*make)();
};
const Case kCases[] = {
    {"root", root_profile},
    {"user_nocaps", user_nocaps_profile},
    {"user_caps", user_caps_profile},
    {"image_caps", image_caps_profile},
};

std::string render(const std::string& format, Profile p) {
  CapabilityCatalog catalog;
  catalog.load_string(kCatalogue, "test-catalogue.yaml");
  PlatformTable platforms;
  platforms.load_file(CAPMIN_SOURCE_DIR "/policies/platforms.yaml");
  if (p.platform.name.empty()) {
    p.platform = *platforms.find("docker");  // capmin profile's default
  }
  std::ostringstream out;
  make_emitter(format, catalog)->emit(p, out);
  return out.str();
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

bool updating() {
  const char* v = std::getenv("CAPMIN_UPDATE_GOLDEN");
  return v != nullptr && std::string(v) == "1";
}

class EmitterGolden : public ::testing::TestWithParam<std::tuple<Case, std::string>> {};

TEST_P(EmitterGolden, MatchesTheGoldenFile) {
  const auto& [c, format] = GetParam();
  const std::string path = std::string(CAPMIN_GOLDEN_DIR) + "/" + c.name + "." + format;
  const std::string actual = render(format, c.make());
  if (updating()) {
    std::ofstream(path, std::ios::binary) << actual;
    GTEST_SKIP() << "rewrote " << path;
  }
  std::ifstream probe(path);
  ASSERT_TRUE(probe.good()) << path << " is missing; run with CAPMIN_UPDATE_GOLDEN=1";
  EXPECT_EQ(actual, read_file(path)) << "differs from " << path;
}

std::string case_name(const ::testing::TestParamInfo<EmitterGolden::ParamType>& test) {
  return std::string(std::get<0>(test.param).name) + "_" + std::get<1>(test.param);
}

INSTANTIATE_TEST_SUITE_P(AllFormats, EmitterGolden,
                         ::testing::Combine(::testing::ValuesIn(kCases),
                                            ::testing::Values("text", "json", "docker", "compose",
                                                              "k8s", "systemd", "oci")),
                         case_name);

TEST(Emitter, KnowsItsSevenFormatsInOrder) {
  EXPECT_EQ(emitter_names(), (std::vector<std::string>{"text", "json", "docker", "compose", "k8s",
                                                       "systemd", "oci"}));
}

TEST(Emitter, NamesTheKnownFormatsForAnUnknownOne) {
  CapabilityCatalog catalog;
  try {
    make_emitter("yaml", catalog);
    FAIL() << "no error";
  } catch (const UserError& e) {
    EXPECT_STREQ(e.what(),
                 "unknown output format 'yaml' (one of text, json, docker, compose, k8s, "
                 "systemd, oci)");
  }
}

TEST(Emitter, SpellsCapabilityNamesForEachAudience) {
  EXPECT_EQ(short_names({CAP_CHOWN, CAP_NET_RAW}), (std::vector<std::string>{"CHOWN", "NET_RAW"}));
  EXPECT_EQ(full_names({CAP_CHOWN, CAP_NET_RAW}),
            (std::vector<std::string>{"CAP_CHOWN", "CAP_NET_RAW"}));
  EXPECT_TRUE(short_names({}).empty());
}

TEST(Emitter, ShowsAtMostFiveEvidenceLinesPerCapabilityInText) {
  Profile p = user_caps_profile();
  for (int i = 0; i < 6; ++i) {
    p.findings[0].evidence.push_back(p.findings[0].evidence[0]);
  }
  const std::string text = render("text", p);
  std::size_t lines = 0;
  for (std::size_t at = 0; (at = text.find("      bind(", at)) != std::string::npos; ++at) {
    ++lines;
  }
  EXPECT_EQ(lines, 5u);
  EXPECT_NE(text.find("      ... and 2 more (see -f json)\n"), std::string::npos) << text;
}

}  // namespace
}  // namespace capmin::analyzer
