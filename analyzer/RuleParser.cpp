// SPDX-License-Identifier: MIT
#include "analyzer/RuleParser.h"

#include <algorithm>
#include <map>
#include <set>
#include <stdexcept>

#include "analyzer/yaml/YamlNode.h"
#include "events/CapabilityNames.h"
#include "events/Errno.h"
#include "events/Errors.h"
#include "events/SyscallNames.h"
#include "events/SyscallSchema.h"

namespace capmin::analyzer {

namespace {

// The fields an event of `syscall` can carry when a rule of this delivery
// matches it: the call's schema, and what the tracer adds for refusals that
// arrive another way than as the call's error.
std::set<std::string> fields_for(const std::string& syscall, Rule::Delivery delivery) {
  std::set<std::string> out;
  for (std::string& f : events::event_fields(syscall)) {
    out.insert(std::move(f));
  }
  if (delivery == Rule::Delivery::NetlinkReply) {
    out.insert(std::begin(events::kNetlinkReplyFields), std::end(events::kNetlinkReplyFields));
  }
  if (delivery == Rule::Delivery::SetidDropped) {
    out.insert(std::begin(events::kSetidDroppedFields), std::end(events::kSetidDroppedFields));
  }
  if (delivery == Rule::Delivery::ValuesHidden) {
    out.insert(std::begin(events::kValuesHiddenFields), std::end(events::kValuesHiddenFields));
  }
  return out;
}

// "path, mode, file.*, caller.*": the fields, dotted ones folded by prefix.
std::string summary(const std::set<std::string>& fields) {
  std::vector<std::string> names;
  std::set<std::string> prefixes;
  for (const std::string& f : fields) {
    const auto dot = f.find('.');
    if (dot == std::string::npos) {
      names.push_back(f);
    } else if (prefixes.insert(f.substr(0, dot)).second) {
      names.push_back(f.substr(0, dot) + ".*");
    }
  }
  std::string out;
  for (const std::string& n : names) {
    out += (out.empty() ? "" : ", ") + n;
  }
  return out;
}

class RuleParser {
 public:
  explicit RuleParser(std::string origin) : origin_(std::move(origin)) {}

  std::vector<Rule> parse(std::string_view text) {
    YamlNode root;
    try {
      root = YamlNode::parse(text);
    } catch (const YamlError& e) {
      fail(e.mark, e.what());
    }
    if (root.is_null()) {
      throw UserError(origin_ + ": empty rule file (expected a 'rules:' list)");
    }
    if (!root.is_map()) {
      fail(root.mark(), "expected a mapping with a 'rules:' list at the top");
    }
    std::set<std::string> top;
    for (const auto& [k, v] : root.entries()) {
      const std::string key = key_of(k, top);
      if (key != "rules" && key != "version") {
        fail(k.mark(), "unknown key '" + key + "' (expected 'rules' or 'version')");
      }
    }
    const YamlNode* rules = root.find("rules");
    if (rules == nullptr || !rules->is_sequence()) {
      fail(rules != nullptr ? rules->mark() : root.mark(), "'rules' must be a list");
    }
    std::vector<Rule> out;
    std::set<std::string> ids;
    for (const YamlNode& node : rules->items()) {
      Rule r = parse_rule(node);
      if (!ids.insert(r.id).second) {
        fail(node.find("id")->mark(), "duplicate rule id '" + r.id + "'");
      }
      out.push_back(std::move(r));
    }
    return out;
  }

 private:
  [[noreturn]] void fail(YamlMark mark, const std::string& what) const {
    throw UserError(position_text(origin_, mark) + ": " + what);
  }

  std::string scalar(const YamlNode& n, const std::string& what) const {
    if (!n.is_scalar()) {
      fail(n.mark(), what + " must be a single value");
    }
    return n.scalar();
  }

  std::vector<std::string> scalars(const YamlNode& n, const std::string& what) const {
    std::vector<std::string> out;
    if (n.is_scalar()) {
      out.push_back(n.scalar());
    } else if (n.is_sequence()) {
      for (const YamlNode& e : n.items()) {
        out.push_back(scalar(e, what + " entries"));
      }
    } else {
      fail(n.mark(), what + " must be a value or a list of values");
    }
    return out;
  }

  // A mapping key. YAML allows a list as a key, and a key given twice: both
  // are mistakes worth a position.
  std::string key_of(const YamlNode& k, std::set<std::string>& seen) const {
    const std::string name = scalar(k, "a key");
    if (!seen.insert(name).second) {
      fail(k.mark(), "duplicate key '" + name + "'");
    }
    return name;
  }

  // Where `value` stands in `n` (a value or a list of values), for messages.
  static YamlMark mark_of(const YamlNode& n, const std::string& value) {
    for (const YamlNode& e : n.items()) {
      if (e.is_scalar() && e.scalar() == value) {
        return e.mark();
      }
    }
    return n.mark();
  }

  int capability(const YamlNode& n) const {
    const std::string name = scalar(n, "a capability");
    auto cap = events::cap_from_name(name);
    if (!cap) {
      std::string hint;
      auto close = events::cap_close_names(name);
      if (!close.empty()) {
        hint = " (did you mean " + close.front() + "?)";
      }
      fail(n.mark(), "unknown capability '" + name + "'" + hint);
    }
    return *cap;
  }

  Condition condition(const std::string& field, const YamlNode& n) const {
    using Op = Condition::Op;
    if (n.is_scalar()) {
      return Condition(field, Op::Eq, {n.scalar()});
    }
    if (n.is_sequence()) {
      return Condition(field, Op::In, scalars(n, "'" + field + "'"));
    }
    if (!n.is_map() || n.entries().size() != 1) {
      fail(n.mark(), "condition on '" + field + "' must be a value, a list, or {op: operand}");
    }
    const auto& [k, v] = n.entries().front();
    const std::string op = scalar(k, "an operator");
    static const std::pair<const char*, Op> ops[] = {
        {"eq", Op::Eq},           {"ne", Op::Ne},          {"in", Op::In},
        {"not_in", Op::NotIn},    {"lt", Op::Lt},          {"le", Op::Le},
        {"gt", Op::Gt},           {"ge", Op::Ge},          {"any_of", Op::AnyOf},
        {"all_of", Op::AllOf},    {"none_of", Op::NoneOf}, {"prefix", Op::Prefix},
        {"matches", Op::Matches}, {"exists", Op::Exists},
    };
    for (const auto& [name, value] : ops) {
      if (op == name) {
        try {
          return Condition(field, value, scalars(v, "'" + op + "'"));
        } catch (const std::invalid_argument& e) {
          fail(v.mark(), e.what());
        }
      }
    }
    fail(k.mark(), "unknown operator '" + op +
                       "' (eq, ne, in, not_in, lt, le, gt, ge, any_of, all_of, none_of, "
                       "prefix, matches, exists)");
  }

  // A field every one of the rule's calls carries: a condition on a field
  // its event lacks never holds, so naming one is a mistake in the rule.
  void check_field(const Rule& r, const std::string& field, YamlMark at) const {
    for (const std::string& call : r.syscalls) {
      auto [it, fresh] = fields_.try_emplace({call, r.delivery});
      if (fresh) {
        it->second = fields_for(call, r.delivery);
      }
      const std::set<std::string>& fields = it->second;
      if (fields.count(field) == 0) {
        fail(at, "'" + field + "' is not a field of " + call + " (its fields: " + summary(fields) +
                     ")");
      }
    }
  }

  Rule parse_rule(const YamlNode& node) const {
    if (!node.is_map()) {
      fail(node.mark(), "a rule must be a mapping");
    }
    static const std::set<std::string> known = {"id",         "syscalls",        "errno",    "when",
                                                "candidates", "reason",          "source",   "note",
                                                "delivery",   "candidates_from", "host_wide"};
    std::set<std::string> seen;
    for (const auto& [k, v] : node.entries()) {
      const std::string key = key_of(k, seen);
      if (known.count(key) == 0) {
        fail(k.mark(),
             "unknown key '" + key +
                 "' (id, syscalls, errno, when, candidates, candidates_from, reason, source, note, "
                 "host_wide, delivery)");
      }
    }
    const YamlNode* candidates = node.find("candidates");
    const YamlNode* from = node.find("candidates_from");
    if (candidates == nullptr && from == nullptr) {
      fail(node.mark(), "rule is missing 'candidates' (or 'candidates_from')");
    }
    if (candidates != nullptr && from != nullptr) {
      fail(from->mark(), "a rule has 'candidates' or 'candidates_from', not both");
    }
    for (const char* required : {"id", "syscalls", "reason"}) {
      if (node.find(required) == nullptr) {
        fail(node.mark(), std::string("rule is missing '") + required + "'");
      }
    }
    Rule r;
    r.id = scalar(*node.find("id"), "'id'");
    r.origin = origin_ + ":" + std::to_string(node.mark().line + 1);
    const YamlNode& syscalls = *node.find("syscalls");
    for (const std::string& s : scalars(syscalls, "'syscalls'")) {
      auto nr = events::syscall_number(s);
      if (!nr) {
        fail(mark_of(syscalls, s), "unknown system call '" + s + "' (x86_64 names)");
      }
      r.syscalls.push_back(s);
      r.syscall_numbers.push_back(*nr);
    }
    if (r.syscalls.empty()) {
      fail(syscalls.mark(), "'syscalls' is empty");
    }
    r.delivery = delivery(node);
    parse_errnos(node, r);
    if (const YamlNode* when = node.find("when")) {
      if (!when->is_map()) {
        fail(when->mark(), "'when' must map argument names to conditions");
      }
      std::set<std::string> fields;
      for (const auto& [k, v] : when->entries()) {
        const std::string field = key_of(k, fields);
        check_field(r, field, k.mark());
        r.conditions.push_back(condition(field, v));
      }
    }
    if (from != nullptr) {
      r.candidates_from = scalars(*from, "'candidates_from'");
      for (const std::string& field : r.candidates_from) {
        check_field(r, field, mark_of(*from, field));
      }
    }
    if (candidates != nullptr) {
      if (!candidates->is_sequence()) {
        fail(candidates->mark(), "'candidates' must be a list (empty: no capability cures it)");
      }
      for (const YamlNode& alt : candidates->items()) {
        CapSet set;
        if (alt.is_sequence()) {
          for (const YamlNode& c : alt.items()) {
            set.push_back(capability(c));
          }
          std::sort(set.begin(), set.end());
        } else {
          set.push_back(capability(alt));
        }
        r.candidates.push_back(std::move(set));
      }
    }
    r.reason = scalar(*node.find("reason"), "'reason'");
    if (const YamlNode* source = node.find("source")) {
      r.source = scalar(*source, "'source'");
    }
    if (const YamlNode* note = node.find("note")) {
      r.note = scalar(*note, "'note'");
    }
    if (const YamlNode* host_wide = node.find("host_wide")) {
      r.host_wide = scalar(*host_wide, "'host_wide'");
    }
    return r;
  }

  Rule::Delivery delivery(const YamlNode& node) const {
    const YamlNode* d = node.find("delivery");
    if (d == nullptr) {
      return Rule::Delivery::Syscall;
    }
    const std::string name = scalar(*d, "'delivery'");
    if (name == "syscall") {
      return Rule::Delivery::Syscall;
    }
    if (name == "netlink_reply") {
      return Rule::Delivery::NetlinkReply;
    }
    if (name == "setid_dropped") {
      return Rule::Delivery::SetidDropped;
    }
    if (name == "write_time") {
      return Rule::Delivery::WriteTime;
    }
    if (name == "values_hidden") {
      return Rule::Delivery::ValuesHidden;
    }
    fail(d->mark(), "unknown delivery '" + name +
                        "' (syscall, netlink_reply, setid_dropped, write_time or values_hidden)");
  }

  // A refusal has an errno; a dropped set-id bit or a hidden value has
  // none (the call succeeded), and says so with `errno: none` or no errno.
  void parse_errnos(const YamlNode& node, Rule& r) const {
    const bool silent =
        r.delivery == Rule::Delivery::SetidDropped || r.delivery == Rule::Delivery::ValuesHidden;
    const YamlNode* errnos = node.find("errno");
    if (errnos == nullptr) {
      if (!silent) {
        fail(node.mark(), "rule is missing 'errno'");
      }
      r.errnos.push_back(0);
      return;
    }
    for (const std::string& e : scalars(*errnos, "'errno'")) {
      if (e == "none") {
        if (!silent) {
          fail(mark_of(*errnos, e),
               "errno 'none' is for 'delivery: setid_dropped' and 'values_hidden' rules (the "
               "call succeeded)");
        }
        r.errnos.push_back(0);
        continue;
      }
      if (silent) {
        fail(mark_of(*errnos, e),
             std::string("a 'delivery: ") +
                 (r.delivery == Rule::Delivery::SetidDropped ? "setid_dropped" : "values_hidden") +
                 "' rule matches calls that succeeded: errno must be none");
      }
      auto err = events::errno_from_name(e);
      if (!err) {
        fail(mark_of(*errnos, e), "unknown errno '" + e + "'");
      }
      r.errnos.push_back(*err);
    }
  }

  std::string origin_;
  // fields_for() of each call the file names, worked out once.
  mutable std::map<std::pair<std::string, Rule::Delivery>, std::set<std::string>> fields_;
};

}  // namespace

std::vector<Rule> parse_rules(std::string_view yaml, const std::string& origin) {
  return RuleParser(origin).parse(yaml);
}

}  // namespace capmin::analyzer
