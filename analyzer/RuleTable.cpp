// SPDX-License-Identifier: MIT
#include "analyzer/RuleTable.h"

#include <algorithm>
#include <optional>
#include <set>

#include "analyzer/PolicyFile.h"
#include "analyzer/RuleBlob.h"
#include "analyzer/RuleParser.h"

namespace capmin::analyzer {

void RuleTable::load_file(const std::string& path, std::string_view prebuilt) {
  const std::string text = read_policy_file(path, "rule file");
  std::optional<std::vector<Rule>> rules =
      prebuilt.empty() ? std::nullopt : decode_rules(prebuilt, text, path);
  add_layer(rules ? std::move(*rules) : parse_rules(text, path));
}

void RuleTable::load_string(const std::string& yaml, const std::string& origin) {
  add_layer(parse_rules(yaml, origin));
}

void RuleTable::add_layer(std::vector<Rule> rules) {
  // A rule that reuses an id replaces the earlier one outright.
  for (auto& layer : layers_) {
    std::erase_if(layer, [&](const Rule& old) {
      return std::any_of(rules.begin(), rules.end(), [&](const Rule& r) { return r.id == old.id; });
    });
  }
  layers_.push_back(std::move(rules));
}

const Rule* RuleTable::match(const events::SyscallEvent& event) const {
  for (auto layer = layers_.rbegin(); layer != layers_.rend(); ++layer) {
    for (const Rule& r : *layer) {
      if (r.matches(event)) {
        return &r;
      }
    }
  }
  return nullptr;
}

std::vector<std::pair<int, int>> RuleTable::watched() const {
  std::set<std::pair<int, int>> pairs;
  for (const auto& layer : layers_) {
    for (const Rule& r : layer) {
      if (r.delivery != Rule::Delivery::Syscall) {
        continue;
      }
      for (int nr : r.syscall_numbers) {
        for (int e : r.errnos) {
          pairs.emplace(nr, e);
        }
      }
    }
  }
  return {pairs.begin(), pairs.end()};
}

std::size_t RuleTable::size() const {
  std::size_t n = 0;
  for (const auto& layer : layers_) {
    n += layer.size();
  }
  return n;
}

}  // namespace capmin::analyzer
