// SPDX-License-Identifier: MIT
#include "analyzer/emit/Emitter.h"

#include <functional>

#include "analyzer/emit/Formats.h"
#include "events/CapabilityNames.h"
#include "events/Errors.h"

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

}  // namespace capmin::analyzer
