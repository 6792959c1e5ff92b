// SPDX-License-Identifier: MIT
#include "cli/RuleWatch.h"

namespace capmin::cli {

namespace {

tracer::FieldCondition field_condition(const analyzer::Condition& c) {
  using Op = analyzer::Condition::Op;
  using Kind = tracer::FieldCondition::Kind;
  tracer::FieldCondition f;
  f.field = c.field();
  f.names = c.operands();
  switch (c.op()) {
    case Op::Eq:
    case Op::In:
      f.kind = Kind::OneOf;
      break;
    case Op::AnyOf:
      f.kind = Kind::AnyFlag;
      break;
    case Op::AllOf:
      f.kind = Kind::AllFlags;
      break;
    case Op::Lt:
      f.kind = Kind::Less;
      break;
    case Op::Le:
      f.kind = Kind::LessEq;
      break;
    case Op::Gt:
      f.kind = Kind::Greater;
      break;
    case Op::Ge:
      f.kind = Kind::GreaterEq;
      break;
    default:
      f.kind = Kind::Other;
  }
  return f;
}

}  // namespace

tracer::RuleWatch rule_watch(const analyzer::RuleTable& rules) {
  tracer::RuleWatch watch;
  for (const auto& layer : rules.layers()) {
    for (const analyzer::Rule& r : layer) {
      if (r.delivery != analyzer::Rule::Delivery::Syscall) {
        continue;  // refusals no errno shows: the tracer's watchers find them
      }
      std::vector<tracer::FieldCondition> when;
      for (const analyzer::Condition& c : r.conditions) {
        when.push_back(field_condition(c));
      }
      for (const std::string& syscall : r.syscalls) {
        watch.calls.push_back({syscall, when});
      }
    }
  }
  for (const auto& [nr, err] : rules.watched()) {
    watch.errors.add(nr, err);
  }
  return watch;
}

}  // namespace capmin::cli
