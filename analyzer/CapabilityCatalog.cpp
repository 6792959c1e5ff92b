// SPDX-License-Identifier: MIT
#include "analyzer/CapabilityCatalog.h"

#include <algorithm>
#include <charconv>
#include <optional>

#include "analyzer/PolicyFile.h"
#include "analyzer/yaml/YamlNode.h"
#include "events/CapabilityNames.h"
#include "events/Errors.h"

namespace capmin::analyzer {

namespace {

[[noreturn]] void fail(const std::string& origin, YamlMark mark, const std::string& what) {
  throw UserError(position_text(origin, mark) + ": " + what);
}

// The text of `key` in the mapping `n`, or nullptr when it is missing or
// not a single value.
const std::string* text_at(const YamlNode& n, const char* key) {
  const YamlNode* v = n.find(key);
  return v != nullptr && v->is_scalar() ? &v->scalar() : nullptr;
}

std::optional<int> number_of(const std::string& s) {
  int v = 0;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  return ec == std::errc() && ptr == s.data() + s.size() ? std::optional(v) : std::nullopt;
}

}  // namespace

void CapabilityCatalog::load_file(const std::string& path) {
  load_string(read_policy_file(path, "capability catalogue"), path);
}

void CapabilityCatalog::load_string(const std::string& yaml, const std::string& origin) {
  YamlNode root;
  try {
    root = YamlNode::parse(yaml);
  } catch (const YamlError& e) {
    fail(origin, e.mark, e.what());
  }
  const YamlNode* caps = root.find("capabilities");
  if (caps == nullptr || !caps->is_sequence()) {
    fail(origin, root.mark(), "expected a 'capabilities:' list");
  }
  for (const YamlNode& n : caps->items()) {
    const std::string* name = text_at(n, "name");
    const std::string* number = text_at(n, "number");
    const std::string* allows = text_at(n, "allows");
    const std::string* attacker = text_at(n, "attacker");
    const auto num = number != nullptr ? number_of(*number) : std::nullopt;
    if (name == nullptr || !num || allows == nullptr || attacker == nullptr) {
      fail(origin, n.mark(), "each capability needs name, number, allows, attacker");
    }
    Entry e{*num, *name, *allows, *attacker};
    auto cap = events::cap_from_name(e.name);
    if (!cap || *cap != e.number) {
      fail(origin, n.mark(),
           "capability '" + e.name + "' does not have number " + std::to_string(e.number));
    }
    e.name = events::cap_name(e.number);
    entries_[e.number] = std::move(e);
  }
  if (const YamlNode* order = root.find("withhold_order")) {
    if (!order->is_sequence()) {
      fail(origin, order->mark(), "expected 'withhold_order:' to be a list of capability names");
    }
    for (const YamlNode& n : order->items()) {
      const auto cap = n.is_scalar() ? events::cap_from_name(n.scalar()) : std::nullopt;
      if (!cap) {
        fail(origin, n.mark(), "withhold_order: not a capability name");
      }
      if (std::find(withhold_order_.begin(), withhold_order_.end(), *cap) !=
          withhold_order_.end()) {
        fail(origin, n.mark(), "withhold_order: " + n.scalar() + " is listed twice");
      }
      withhold_order_.push_back(*cap);
    }
  }
}

const CapabilityCatalog::Entry* CapabilityCatalog::find(int cap) const {
  auto it = entries_.find(cap);
  return it == entries_.end() ? nullptr : &it->second;
}

std::vector<int> CapabilityCatalog::withhold_order() const {
  std::vector<int> out = withhold_order_;
  for (const auto& [cap, entry] : entries_) {
    if (std::find(out.begin(), out.end(), cap) == out.end()) {
      out.push_back(cap);
    }
  }
  return out;
}

}  // namespace capmin::analyzer
