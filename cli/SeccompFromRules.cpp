// SPDX-License-Identifier: MIT
#include "cli/SeccompFromRules.h"

#include "events/SyscallNames.h"

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

tracer::SeccompPlan seccomp_from_rules(const analyzer::RuleTable& rules, bool probe) {
  tracer::SeccompPlan plan;
  for (const auto& layer : rules.layers()) {
    for (const analyzer::Rule& r : layer) {
      if (r.delivery == analyzer::Rule::Delivery::NetlinkReply) {
        continue;  // the tracer watches netlink replies on its own
      }
      std::vector<tracer::FieldCondition> when;
      for (const analyzer::Condition& c : r.conditions) {
        when.push_back(field_condition(c));
      }
      for (std::size_t i = 0; i < r.syscalls.size(); ++i) {
        plan.trace_rule(r.syscall_numbers[i], r.syscalls[i], when);
      }
    }
  }
  if (probe) {
    // Uid changes and the program's own capability calls can refill the
    // effective set; access() must be rewritten at its entry.
    for (const char* name : {"setuid", "setreuid", "setresuid", "setfsuid", "capset", "access",
                             "faccessat", "faccessat2"}) {
      if (auto nr = events::syscall_number(name)) {
        plan.trace_all(*nr);
      }
    }
    if (auto nr = events::syscall_number("prctl")) {
      plan.trace_rule(*nr, "prctl",
                      {{"option", tracer::FieldCondition::Kind::OneOf, {"PR_CAP_AMBIENT"}}});
    }
  }
  return plan;
}

}  // namespace capmin::cli
