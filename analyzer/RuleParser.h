// SPDX-License-Identifier: MIT
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "analyzer/Rule.h"

namespace capmin::analyzer {

// The rules of one YAML rule file. Every mistake is a UserError
// "origin:line:column: what is wrong": malformed YAML, an unknown key,
// system call, errno, capability or operator, a bad regular expression, and
// a condition on a field the rule's system calls do not have (the call
// schema in events/SyscallSchema says which fields each call's events carry).
std::vector<Rule> parse_rules(std::string_view yaml, const std::string& origin);

}  // namespace capmin::analyzer
