// SPDX-License-Identifier: MIT
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "analyzer/Rule.h"
#include "events/SyscallEvent.h"

namespace capmin::analyzer {

// The syscall-to-capability rules, loaded from YAML (policies/rules.yaml and
// the user's --policy files). Data, not code: a new rule is a YAML edit.
//
// Layers: every file loaded later is consulted first, and a rule whose id
// matches an earlier rule replaces it. Within a file the first matching rule
// wins, so specific rules stand before general ones.
class RuleTable {
 public:
  // Throws UserError "origin:line:column: what is wrong" for a malformed file.
  // With `prebuilt` (a RuleBlob), its rules are taken instead of parsing the
  // file when the file's text is the one it was made from.
  void load_file(const std::string& path, std::string_view prebuilt = {});
  void load_string(const std::string& yaml, const std::string& origin);

  // The rule that explains this refusal, or nullptr: then it is unresolved.
  const Rule* match(const events::SyscallEvent& event) const;

  // Every (syscall number, errno) pair some rule can match: what the tracer
  // must watch for besides EPERM and EACCES.
  std::vector<std::pair<int, int>> watched() const;
  std::size_t size() const;
  const std::vector<std::vector<Rule>>& layers() const { return layers_; }

 private:
  std::vector<std::vector<Rule>> layers_;  // the last layer is consulted first

  void add_layer(std::vector<Rule> rules);
};

}  // namespace capmin::analyzer
