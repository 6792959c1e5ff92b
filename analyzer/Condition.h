// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "events/SyscallEvent.h"

namespace re2 {
class RE2;
}

namespace capmin::analyzer {

// One test of a rule on one decoded argument of an event, written in YAML as
// `field: VALUE`, `field: [A, B]` or `field: {op: operand, ...}`:
//
//   eq / ne          the argument's text or number equals the operand
//   in / not_in      ... equals one of a list
//   lt le gt ge      numeric comparison
//   any_of all_of none_of   flag names in a "A|B|C" text
//   prefix           the text starts with the operand
//   matches          the whole text matches a regular expression (RE2
//                    syntax, over bytes: linear time on any text)
//   exists           the argument was decoded at all (true/false)
//
// A condition on an argument the event does not have fails for every
// operator, negative ones included; only `exists: false` then holds.
class Condition {
 public:
  enum class Op {
    Eq,
    Ne,
    In,
    NotIn,
    Lt,
    Le,
    Gt,
    Ge,
    AnyOf,
    AllOf,
    NoneOf,
    Prefix,
    Matches,
    Exists
  };

  // Throws std::invalid_argument for operands the operator cannot take (a
  // lt without a number, a bad regular expression).
  Condition(std::string field, Op op, std::vector<std::string> operands);
  // Operands the constructor above has accepted before (a RuleBlob made at
  // build time): a pattern is compiled when it is first matched, not now.
  struct Accepted {};
  Condition(std::string field, Op op, std::vector<std::string> operands, Accepted);

  bool holds(const events::SyscallEvent& event) const;
  const std::string& field() const { return field_; }
  Op op() const { return op_; }
  const std::vector<std::string>& operands() const { return operands_; }
  static const char* op_name(Op op);

 private:
  bool holds_on(const events::Arg& arg) const;
  static bool equals(const events::Arg& arg, const std::string& operand);

  std::string field_;
  Op op_;
  std::vector<std::string> operands_;
  std::int64_t number_ = 0;  // the operand of lt/le/gt/ge
  // The operand of matches, compiled once, shared by the copies.
  struct Regex;
  std::shared_ptr<Regex> regex_;
};

}  // namespace capmin::analyzer
