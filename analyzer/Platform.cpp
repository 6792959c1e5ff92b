// SPDX-License-Identifier: MIT
#include "analyzer/Platform.h"

#include <algorithm>
#include <optional>

#include "analyzer/PolicyFile.h"
#include "analyzer/yaml/YamlNode.h"
#include "events/CapabilityNames.h"
#include "events/Errors.h"
#include "events/SyscallNames.h"

namespace capmin::analyzer {

namespace {

[[noreturn]] void fail(const std::string& origin, YamlMark mark, const std::string& what) {
  throw UserError(position_text(origin, mark) + ": " + what);
}

std::string text_or(const YamlNode& n, const char* key, const std::string& otherwise = "") {
  const YamlNode* v = n.find(key);
  return v != nullptr && v->is_scalar() ? v->scalar() : otherwise;
}

std::vector<std::string> texts(const YamlNode* list, const std::string& origin, const char* what) {
  std::vector<std::string> out;
  if (list == nullptr) {
    return out;
  }
  if (!list->is_sequence()) {
    fail(origin, list->mark(), std::string("'") + what + "' must be a list");
  }
  for (const YamlNode& item : list->items()) {
    if (!item.is_scalar()) {
      fail(origin, item.mark(), std::string("each of '") + what + "' must be a name");
    }
    out.push_back(item.scalar());
  }
  return out;
}

int capability(const YamlNode& at, const std::string& name, const std::string& origin) {
  const std::optional<int> cap = events::cap_from_name(name);
  if (!cap) {
    fail(origin, at.mark(), "unknown capability '" + name + "'");
  }
  return *cap;
}

// One platform; fields it leaves out come from `base` (based_on:).
Platform read_platform(const YamlNode& n, const Platform* base, const std::string& origin) {
  Platform p = base != nullptr ? *base : Platform{};
  p.name = text_or(n, "name");
  p.label = text_or(n, "label", p.label);
  p.description = text_or(n, "description", p.description);
  if (p.name.empty() || p.label.empty()) {
    fail(origin, n.mark(), "each platform needs a name and a label");
  }
  if (const YamlNode* caps = n.find("default_capabilities")) {
    p.default_capabilities.clear();
    for (const std::string& c : texts(caps, origin, "default_capabilities")) {
      p.default_capabilities.push_back(capability(*caps, c, origin));
    }
    std::sort(p.default_capabilities.begin(), p.default_capabilities.end());
  }
  if (const YamlNode* sysctls = n.find("network_sysctls")) {
    if (!sysctls->is_sequence()) {
      fail(origin, sysctls->mark(), "'network_sysctls' must be a list");
    }
    p.network_sysctls.clear();
    for (const YamlNode& s : sysctls->items()) {
      Platform::Sysctl sc{text_or(s, "name"), text_or(s, "value"), text_or(s, "since")};
      if (sc.name.empty() || sc.value.empty()) {
        fail(origin, s.mark(), "each network sysctl needs a name and a value");
      }
      p.network_sysctls.push_back(std::move(sc));
    }
  }
  p.network_sysctls_note = text_or(n, "network_sysctls_note", p.network_sysctls_note);
  if (const YamlNode* sec = n.find("seccomp")) {
    const std::string applied = text_or(*sec, "applied_by_default");
    if (applied != "true" && applied != "false") {
      fail(origin, sec->mark(), "'seccomp' needs applied_by_default: true or false");
    }
    p.seccomp = {};
    p.seccomp.applied_by_default = applied == "true";
    p.seccomp.applied_note = text_or(*sec, "applied_note");
    if (const YamlNode* gated = sec->find("gated"); gated != nullptr && gated->is_sequence()) {
      for (const YamlNode& g : gated->items()) {
        Platform::Gate gate;
        gate.capability = capability(g, text_or(g, "capability"), origin);
        gate.syscalls = texts(g.find("syscalls"), origin, "syscalls");
        gate.args = text_or(g, "args");
        p.seccomp.gated.push_back(std::move(gate));
      }
    }
    p.seccomp.refused_always = texts(sec->find("refused_always"), origin, "refused_always");
    p.seccomp.unconditional_now =
        texts(sec->find("unconditional_now"), origin, "unconditional_now");
  }
  if (const YamlNode* pss = n.find("pod_security")) {
    p.pod_security = {};
    p.pod_security.known = true;
    for (const char* key : {"baseline_add", "restricted_add"}) {
      const YamlNode* list = pss->find(key);
      std::vector<int>& into = std::string(key) == "baseline_add" ? p.pod_security.baseline_add
                                                                  : p.pod_security.restricted_add;
      for (const std::string& c : texts(list, origin, key)) {
        into.push_back(capability(*list, c, origin));
      }
    }
  }
  return p;
}

}  // namespace

const Platform::Sysctl* Platform::sysctl(const std::string& name_) const {
  for (const Sysctl& s : network_sysctls) {
    if (s.name == name_) {
      return &s;
    }
  }
  return nullptr;
}

std::vector<std::string> Platform::watched_calls() const {
  std::vector<std::string> out;
  if (!seccomp.applied_by_default) {
    return out;
  }
  auto add = [&](const std::string& call) {
    const auto& skip = seccomp.unconditional_now;
    if (call == "clone" || call == "clone3" || !events::syscall_number(call) ||
        std::find(skip.begin(), skip.end(), call) != skip.end() ||
        std::find(out.begin(), out.end(), call) != out.end()) {
      return;
    }
    out.push_back(call);
  };
  for (const Gate& g : seccomp.gated) {
    if (g.args.empty()) {
      for (const std::string& s : g.syscalls) {
        add(s);
      }
    }
  }
  for (const std::string& s : seccomp.refused_always) {
    add(s);
  }
  return out;
}

void PlatformTable::load_file(const std::string& path) {
  load_string(read_policy_file(path, "platform table"), path);
}

void PlatformTable::load_string(const std::string& yaml, const std::string& origin) {
  YamlNode root;
  try {
    root = YamlNode::parse(yaml);
  } catch (const YamlError& e) {
    fail(origin, e.mark, e.what());
  }
  const YamlNode* list = root.find("platforms");
  if (list == nullptr || !list->is_sequence()) {
    fail(origin, root.mark(), "expected a 'platforms:' list");
  }
  for (const YamlNode& n : list->items()) {
    const Platform* base = nullptr;
    if (const std::string b = text_or(n, "based_on"); !b.empty()) {
      base = find(b);
      if (base == nullptr) {
        fail(origin, n.mark(), "based_on '" + b + "': no platform of that name above");
      }
    }
    Platform p = read_platform(n, base, origin);
    if (find(p.name) != nullptr) {
      fail(origin, n.mark(), "platform '" + p.name + "' twice");
    }
    platforms_.push_back(std::move(p));
  }
}

const Platform* PlatformTable::find(const std::string& name) const {
  for (const Platform& p : platforms_) {
    if (p.name == name) {
      return &p;
    }
  }
  return nullptr;
}

std::vector<std::string> PlatformTable::names() const {
  std::vector<std::string> out;
  for (const Platform& p : platforms_) {
    out.push_back(p.name);
  }
  return out;
}

}  // namespace capmin::analyzer
