// SPDX-License-Identifier: MIT
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "analyzer/Rule.h"

namespace capmin::analyzer {

// A rule file read ahead of time: its exact text and the rules parse_rules
// made of it, as bytes. The build reads policies/rules.yaml once this way
// and links the result into capmin (BuiltinRules.h), because parsing the
// YAML is most of capmin's start-up. It is a cache that cannot go stale:
// capmin still reads the file, and uses the rules only when the text is the
// same, byte for byte; any edit is parsed as usual.
std::string encode_rules(std::string_view text, const std::vector<Rule>& rules);

// The rules of `blob` when `text` is the text it was made from (their
// origins then name `origin`, as parse_rules(text, origin) would), nullopt
// otherwise. Throws std::runtime_error for a blob that is not one.
std::optional<std::vector<Rule>> decode_rules(std::string_view blob, std::string_view text,
                                              const std::string& origin);

}  // namespace capmin::analyzer
