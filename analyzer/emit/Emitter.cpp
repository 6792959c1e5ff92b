// SPDX-License-Identifier: MIT
#include "analyzer/emit/Emitter.h"

#include <algorithm>
#include <functional>

#include "analyzer/emit/Formats.h"
#include "events/ByteEscape.h"
#include "events/CapabilityNames.h"
#include "events/Errors.h"
#include "events/ShellWords.h"

namespace capmin::analyzer {

namespace {

struct Format {
  const char* name;
  std::function<std::unique_ptr<Emitter>(const CapabilityCatalog&)> make;
};

const std::vector<Format>& formats() {
  static const std::vector<Format> t = {
      {"text", [](const CapabilityCatalog& c) { return std::make_unique<TextEmitter>(c); }},
      {"json", [](const CapabilityCatalog&) { return std::make_unique<JsonEmitter>(); }},
      {"docker", [](const CapabilityCatalog&) { return std::make_unique<DockerEmitter>(); }},
      {"compose", [](const CapabilityCatalog&) { return std::make_unique<ComposeEmitter>(); }},
      {"k8s", [](const CapabilityCatalog&) { return std::make_unique<K8sEmitter>(); }},
      {"systemd", [](const CapabilityCatalog&) { return std::make_unique<SystemdEmitter>(); }},
      {"oci", [](const CapabilityCatalog&) { return std::make_unique<OciEmitter>(); }},
  };
  return t;
}

}  // namespace

std::unique_ptr<Emitter> make_emitter(std::string_view name, const CapabilityCatalog& catalog) {
  for (const Format& f : formats()) {
    if (name == f.name) {
      return f.make(catalog);
    }
  }
  std::string known;
  for (const std::string& n : emitter_names()) {
    known += (known.empty() ? "" : ", ") + n;
  }
  throw UserError("unknown output format '" + std::string(name) + "' (one of " + known + ")");
}

std::vector<std::string> emitter_names() {
  std::vector<std::string> out;
  for (const Format& f : formats()) {
    out.push_back(f.name);
  }
  return out;
}

std::vector<std::string> short_names(const std::vector<int>& caps) {
  std::vector<std::string> out;
  for (int c : caps) {
    out.push_back(events::cap_short_name(c));
  }
  return out;
}

std::vector<std::string> full_names(const std::vector<int>& caps) {
  std::vector<std::string> out;
  for (int c : caps) {
    out.push_back(events::cap_name(c));
  }
  return out;
}

bool non_root(const Profile& profile) { return profile.run.uid != 0; }

std::vector<int> unit_grants(const Profile& p) {
  const UnitInfo& u = *p.run.unit;
  std::vector<int> bound = u.bounding ? *u.bounding : events::cap_list(events::cap_all());
  if (!non_root(p)) {
    return bound;
  }
  std::vector<int> granted;
  for (int c : u.ambient.value_or(std::vector<int>{})) {
    if (std::find(bound.begin(), bound.end(), c) != bound.end()) {
      granted.push_back(c);
    }
  }
  return granted;
}

bool shows_user(const Profile& profile) {
  return profile.run.user_given || !profile.run.image.empty();
}

std::string command_line(const std::vector<std::string>& shown) {
  std::vector<std::string> argv;
  for (const std::string& word : shown) {
    argv.push_back(events::unescape_bytes(word).value_or(word));
  }
  return events::shell_line(argv);
}

std::string image_name(const Profile& profile) {
  return profile.run.image_name.empty() ? "IMAGE" : profile.run.image_name;
}

std::vector<std::pair<std::string, std::vector<int>>> capability_executables(const Profile& p) {
  std::vector<std::pair<std::string, std::vector<int>>> out;
  for (const Finding& f : p.findings) {
    for (const Evidence& e : f.evidence) {
      if (e.exe.empty()) {
        continue;
      }
      auto it =
          std::find_if(out.begin(), out.end(), [&](const auto& x) { return x.first == e.exe; });
      if (it == out.end()) {
        out.emplace_back(e.exe, std::vector<int>{});
        it = out.end() - 1;
      }
      if (std::find(it->second.begin(), it->second.end(), f.capability) == it->second.end()) {
        it->second.push_back(f.capability);
      }
    }
  }
  for (auto& [exe, caps] : out) {
    std::sort(caps.begin(), caps.end());
  }
  return out;
}

std::string setcap_text(const std::vector<int>& caps) {
  std::string text;
  for (int cap : caps) {
    std::string n = events::cap_name(cap);
    std::transform(n.begin(), n.end(), n.begin(), [](unsigned char c) { return std::tolower(c); });
    text += (text.empty() ? "" : ",") + n;
  }
  return text + "+ep";
}

}  // namespace capmin::analyzer
