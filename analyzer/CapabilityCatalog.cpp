// SPDX-License-Identifier: MIT
#include "analyzer/CapabilityCatalog.h"

#include <yaml-cpp/yaml.h>

#include <sstream>

#include "analyzer/PolicyFile.h"
#include "events/CapabilityNames.h"
#include "events/Errors.h"

namespace capmin::analyzer {

namespace {

[[noreturn]] void fail(const std::string& origin, const YAML::Mark& mark, const std::string& what) {
  std::ostringstream msg;
  msg << origin;
  if (!mark.is_null()) {
    msg << ':' << mark.line + 1 << ':' << mark.column + 1;
  }
  msg << ": " << what;
  throw UserError(msg.str());
}

}  // namespace

void CapabilityCatalog::load_file(const std::string& path) {
  load_string(read_policy_file(path, "capability catalogue"), path);
}

void CapabilityCatalog::load_string(const std::string& yaml, const std::string& origin) {
  YAML::Node root;
  try {
    root = YAML::Load(yaml);
  } catch (const YAML::ParserException& e) {
    fail(origin, e.mark, e.msg);
  }
  // Subscripting a scalar throws, and subscripting a list turns it into a map.
  const YAML::Node caps = root.IsMap() ? root["capabilities"] : YAML::Node();
  if (!caps || !caps.IsSequence()) {
    fail(origin, root.Mark(), "expected a 'capabilities:' list");
  }
  for (const YAML::Node& n : caps) {
    Entry e;
    try {
      e.name = n["name"].as<std::string>();
      e.number = n["number"].as<int>();
      e.docker_default = n["docker_default"].as<bool>();
      e.allows = n["allows"].as<std::string>();
      e.attacker = n["attacker"].as<std::string>();
    } catch (const YAML::Exception& ex) {
      fail(origin, n.Mark(),
           "each capability needs name, number, docker_default, allows, attacker");
    }
    auto cap = events::cap_from_name(e.name);
    if (!cap || *cap != e.number) {
      fail(origin, n.Mark(),
           "capability '" + e.name + "' does not have number " + std::to_string(e.number));
    }
    e.name = events::cap_name(e.number);
    entries_[e.number] = std::move(e);
  }
}

const CapabilityCatalog::Entry* CapabilityCatalog::find(int cap) const {
  auto it = entries_.find(cap);
  return it == entries_.end() ? nullptr : &it->second;
}

std::vector<int> CapabilityCatalog::docker_defaults() const {
  std::vector<int> out;
  for (const auto& [n, e] : entries_) {
    if (e.docker_default) {
      out.push_back(n);
    }
  }
  return out;
}

}  // namespace capmin::analyzer
