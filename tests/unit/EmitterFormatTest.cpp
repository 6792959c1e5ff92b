// SPDX-License-Identifier: MIT
// What each format must be for the tool that reads it, checked by parsing the
// output rather than by comparing text: valid JSON with the schema-1 core,
// YAML that compose and Kubernetes accept, docker flags, a systemd fragment.
#include <gtest/gtest.h>
#include <linux/capability.h>
#include <signal.h>
#include <yaml-cpp/yaml.h>

#include <nlohmann/json.hpp>
#include <sstream>

#include "analyzer/emit/Emitter.h"

namespace capmin::analyzer {
namespace {

Profile profile(uid_t uid, std::vector<int> caps) {
  Profile p;
  p.run.command = {"/srv/app", "--port", "80"};
  p.run.mode = "deny";
  p.run.uid = uid;
  p.run.gid = uid;
  p.run.user_given = uid != 0;
  p.capabilities = caps;
  for (int c : caps) {
    Finding f;
    f.capability = c;
    f.reason = "because";
    Evidence e;
    e.syscall = "bind";
    e.args = "fd=3, addr=0.0.0.0:80";
    e.err = "EACCES";
    e.count = 1;
    f.evidence.push_back(e);
    p.findings.push_back(f);
  }
  return p;
}

std::string render(const std::string& format, const Profile& p) {
  const CapabilityCatalog catalog;
  std::ostringstream out;
  make_emitter(format, catalog)->emit(p, out);
  return out.str();
}

std::vector<std::string> strings(const YAML::Node& n) { return n.as<std::vector<std::string>>(); }

const std::vector<int> kTwo = {CAP_CHOWN, CAP_NET_BIND_SERVICE};

TEST(EmitterFormat, JsonHasTheSchemaOneCore) {
  Profile p = profile(0, kTwo);
  p.run.signal = SIGKILL;
  const auto j = nlohmann::json::parse(render("json", p));
  EXPECT_EQ(j["schema"], 1);
  EXPECT_EQ(j["command"], (std::vector<std::string>{"/srv/app", "--port", "80"}));
  EXPECT_EQ(j["user"]["uid"], 0);
  EXPECT_EQ(j["exit"]["code"], 137);
  EXPECT_EQ(j["exit"]["signal"], "SIGKILL");
  EXPECT_EQ(j["capabilities"], (std::vector<std::string>{"CAP_CHOWN", "CAP_NET_BIND_SERVICE"}));
  ASSERT_EQ(j["findings"].size(), 2u);
  EXPECT_EQ(j["findings"][1]["capability"], "CAP_NET_BIND_SERVICE");
  EXPECT_EQ(j["findings"][1]["confidence"], "inferred");
  EXPECT_EQ(j["findings"][1]["evidence"][0]["args"], "fd=3, addr=0.0.0.0:80");
  EXPECT_TRUE(j["unresolved"].is_array());
}

TEST(EmitterFormat, JsonEscapesWhatItQuotes) {
  Profile p = profile(0, {});
  p.run.command = {"sh", "-c", "echo \"hi\"\n\t\\"};
  const auto j = nlohmann::json::parse(render("json", p));
  EXPECT_EQ(j["command"][2], "echo \"hi\"\n\t\\");
}

TEST(EmitterFormat, DockerFlagsDropAllThenAddShortNames) {
  EXPECT_EQ(render("docker", profile(0, kTwo)),
            "--cap-drop=ALL --cap-add=CHOWN --cap-add=NET_BIND_SERVICE\n");
  EXPECT_EQ(render("docker", profile(1000, {})), "--cap-drop=ALL --user=1000:1000\n");
}

TEST(EmitterFormat, ComposeIsAServiceFragment) {
  const YAML::Node root = YAML::Load(render("compose", profile(0, kTwo)));
  ASSERT_TRUE(root.IsMap());
  EXPECT_EQ(strings(root["cap_drop"]), std::vector<std::string>{"ALL"});
  EXPECT_EQ(strings(root["cap_add"]), (std::vector<std::string>{"CHOWN", "NET_BIND_SERVICE"}));
  EXPECT_FALSE(root["user"]);
  const YAML::Node user = YAML::Load(render("compose", profile(1000, {})));
  // A string, as compose wants it, not the sexagesimal number YAML 1.1 reads in 1000:1000.
  EXPECT_EQ(user["user"].Tag(), "!");
  EXPECT_EQ(user["user"].as<std::string>(), "1000:1000");
  EXPECT_FALSE(user["cap_add"]);
}

TEST(EmitterFormat, KubernetesIsAContainerSecurityContext) {
  const YAML::Node root = YAML::Load(render("k8s", profile(0, kTwo)));
  const YAML::Node sc = root["securityContext"];
  ASSERT_TRUE(sc.IsMap());
  EXPECT_EQ(strings(sc["capabilities"]["drop"]), std::vector<std::string>{"ALL"});
  EXPECT_EQ(strings(sc["capabilities"]["add"]),
            (std::vector<std::string>{"CHOWN", "NET_BIND_SERVICE"}));
  EXPECT_FALSE(sc["allowPrivilegeEscalation"].as<bool>());
  EXPECT_FALSE(sc["runAsUser"]);
}

TEST(EmitterFormat, KubernetesRunsANonRootUserAsThatUser) {
  const YAML::Node sc = YAML::Load(render("k8s", profile(1000, {})))["securityContext"];
  EXPECT_TRUE(sc["runAsNonRoot"].as<bool>());
  EXPECT_EQ(sc["runAsUser"].as<int>(), 1000);
  EXPECT_EQ(sc["runAsGroup"].as<int>(), 1000);
  EXPECT_FALSE(sc["allowPrivilegeEscalation"].as<bool>());
  EXPECT_FALSE(sc["capabilities"]["add"]);
}

TEST(EmitterFormat, KubernetesLetsANonRootUserGainFileCapabilities) {
  // Kubernetes gives a non-root container no ambient capabilities: the binary
  // needs file capabilities, which no_new_privs (allowPrivilegeEscalation:
  // false) would make execve ignore.
  const YAML::Node sc =
      YAML::Load(render("k8s", profile(1000, {CAP_NET_BIND_SERVICE})))["securityContext"];
  EXPECT_TRUE(sc["allowPrivilegeEscalation"].as<bool>());
  EXPECT_EQ(strings(sc["capabilities"]["add"]), std::vector<std::string>{"NET_BIND_SERVICE"});
}

TEST(EmitterFormat, SystemdIsAServiceSectionOfKeyValueLines) {
  const std::string text = render("systemd", profile(1000, kTwo));
  std::istringstream in(text);
  std::string line;
  std::getline(in, line);
  EXPECT_EQ(line, "[Service]");
  while (std::getline(in, line)) {
    EXPECT_NE(line.find('='), std::string::npos) << line;
    EXPECT_EQ(line.find(' '), line.find(' ', line.find('='))) << "space in the key: " << line;
  }
  EXPECT_NE(text.find("\nCapabilityBoundingSet=CAP_CHOWN CAP_NET_BIND_SERVICE\n"),
            std::string::npos);
  EXPECT_NE(text.find("\nAmbientCapabilities=CAP_CHOWN CAP_NET_BIND_SERVICE\n"), std::string::npos);
  // Root needs no ambient set; an empty bounding set means no capability at all.
  EXPECT_EQ(render("systemd", profile(0, {})),
            "[Service]\nCapabilityBoundingSet=\nNoNewPrivileges=yes\n");
}

TEST(EmitterFormat, OciIsAProcessCapabilitiesBlock) {
  auto j = nlohmann::json::parse(render("oci", profile(0, kTwo)));
  const std::vector<std::string> names = {"CAP_CHOWN", "CAP_NET_BIND_SERVICE"};
  ASSERT_EQ(j.size(), 1u);
  for (const char* set : {"bounding", "effective", "permitted"}) {
    EXPECT_EQ(j["capabilities"][set], names) << set;
  }
  EXPECT_TRUE(j["capabilities"]["inheritable"].empty());
  EXPECT_TRUE(j["capabilities"]["ambient"].empty());
  // A non-root process keeps them across execve only through the ambient set,
  // which must lie within inheritable.
  j = nlohmann::json::parse(render("oci", profile(1000, kTwo)));
  EXPECT_EQ(j["capabilities"]["ambient"], names);
  EXPECT_EQ(j["capabilities"]["inheritable"], names);
}

TEST(EmitterFormat, TextQuotesTheCommandAsAShellWould) {
  Profile p = profile(0, {});
  p.run.command = {"sh", "-c", "echo it's done", "a=b,c:d/e"};
  const std::string text = render("text", p);
  EXPECT_EQ(text.substr(0, text.find('\n')),
            "capmin profile: sh -c 'echo it'\\''s done' a=b,c:d/e");
}

}  // namespace
}  // namespace capmin::analyzer
