// SPDX-License-Identifier: MIT
#include "analyzer/RuleTable.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <regex>
#include <set>
#include <sstream>

#include "analyzer/PolicyFile.h"
#include "events/CapabilityNames.h"
#include "events/Errno.h"
#include "events/Errors.h"
#include "events/SyscallNames.h"

namespace capmin::analyzer {

namespace {

// Reads one rule file, turning every mistake into "origin:line:col: why".
class RuleParser {
 public:
  explicit RuleParser(std::string origin) : origin_(std::move(origin)) {}

  std::vector<Rule> parse(const std::string& text) {
    YAML::Node root;
    try {
      root = YAML::Load(text);
    } catch (const YAML::ParserException& e) {
      fail(e.mark, e.msg);
    }
    if (!root || root.IsNull()) {
      throw UserError(origin_ + ": empty rule file (expected a 'rules:' list)");
    }
    if (!root.IsMap()) {
      fail(root.Mark(), "expected a mapping with a 'rules:' list at the top");
    }
    std::set<std::string> top;
    for (const auto& kv : root) {
      const std::string key = key_of(kv.first, top);
      if (key != "rules" && key != "version") {
        fail(kv.first.Mark(), "unknown key '" + key + "' (expected 'rules' or 'version')");
      }
    }
    const YAML::Node rules = root["rules"];
    if (!rules || !rules.IsSequence()) {
      fail(rules ? rules.Mark() : root.Mark(), "'rules' must be a list");
    }
    std::vector<Rule> out;
    std::set<std::string> ids;
    for (const YAML::Node& node : rules) {
      Rule r = parse_rule(node);
      if (!ids.insert(r.id).second) {
        fail(node["id"].Mark(), "duplicate rule id '" + r.id + "'");
      }
      out.push_back(std::move(r));
    }
    return out;
  }

 private:
  [[noreturn]] void fail(const YAML::Mark& mark, const std::string& what) const {
    std::ostringstream msg;
    msg << origin_;
    if (!mark.is_null()) {
      msg << ':' << mark.line + 1 << ':' << mark.column + 1;
    }
    msg << ": " << what;
    throw UserError(msg.str());
  }

  std::string scalar(const YAML::Node& n, const std::string& what) const {
    if (!n.IsScalar()) {
      fail(n.Mark(), what + " must be a single value");
    }
    return n.Scalar();
  }

  std::vector<std::string> scalars(const YAML::Node& n, const std::string& what) const {
    std::vector<std::string> out;
    if (n.IsScalar()) {
      out.push_back(n.Scalar());
    } else if (n.IsSequence()) {
      for (const YAML::Node& e : n) {
        out.push_back(scalar(e, what + " entries"));
      }
    } else {
      fail(n.Mark(), what + " must be a value or a list of values");
    }
    return out;
  }

  // A mapping key. yaml-cpp takes a list as a key, and a key given twice
  // (the later silently wins): both are mistakes worth a position.
  std::string key_of(const YAML::Node& k, std::set<std::string>& seen) const {
    const std::string name = scalar(k, "a key");
    if (!seen.insert(name).second) {
      fail(k.Mark(), "duplicate key '" + name + "'");
    }
    return name;
  }

  // Where `value` stands in `n` (a value or a list of values), for messages.
  static YAML::Mark mark_of(const YAML::Node& n, const std::string& value) {
    if (n.IsSequence()) {
      for (const YAML::Node& e : n) {
        if (e.IsScalar() && e.Scalar() == value) {
          return e.Mark();
        }
      }
    }
    return n.Mark();
  }

  int capability(const YAML::Node& n) const {
    const std::string name = scalar(n, "a capability");
    auto cap = events::cap_from_name(name);
    if (!cap) {
      std::string hint;
      auto close = events::cap_close_names(name);
      if (!close.empty()) {
        hint = " (did you mean " + close.front() + "?)";
      }
      fail(n.Mark(), "unknown capability '" + name + "'" + hint);
    }
    return *cap;
  }

  Condition condition(const std::string& field, const YAML::Node& n) const {
    using Op = Condition::Op;
    if (n.IsScalar()) {
      return Condition(field, Op::Eq, {n.Scalar()});
    }
    if (n.IsSequence()) {
      return Condition(field, Op::In, scalars(n, "'" + field + "'"));
    }
    if (!n.IsMap() || n.size() != 1) {
      fail(n.Mark(), "condition on '" + field + "' must be a value, a list, or {op: operand}");
    }
    const auto kv = *n.begin();
    const std::string op = scalar(kv.first, "an operator");
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
          return Condition(field, value, scalars(kv.second, "'" + op + "'"));
        } catch (const std::regex_error& e) {
          fail(kv.second.Mark(), "bad regular expression: " + std::string(e.what()));
        } catch (const std::invalid_argument& e) {
          fail(kv.second.Mark(), e.what());
        }
      }
    }
    fail(kv.first.Mark(), "unknown operator '" + op +
                              "' (eq, ne, in, not_in, lt, le, gt, ge, any_of, all_of, none_of, "
                              "prefix, matches, exists)");
  }

  Rule parse_rule(const YAML::Node& node) const {
    if (!node.IsMap()) {
      fail(node.Mark(), "a rule must be a mapping");
    }
    static const std::set<std::string> known = {"id",         "syscalls",       "errno",  "when",
                                                "candidates", "reason",         "source", "note",
                                                "delivery",   "candidates_from"};
    std::set<std::string> seen;
    for (const auto& kv : node) {
      const std::string key = key_of(kv.first, seen);
      if (known.count(key) == 0) {
        fail(kv.first.Mark(),
             "unknown key '" + key +
                 "' (id, syscalls, errno, when, candidates, candidates_from, reason, source, note, "
                 "delivery)");
      }
    }
    if (!node["candidates"] && !node["candidates_from"]) {
      fail(node.Mark(), "rule is missing 'candidates' (or 'candidates_from')");
    }
    if (node["candidates"] && node["candidates_from"]) {
      fail(node["candidates_from"].Mark(),
           "a rule has 'candidates' or 'candidates_from', not both");
    }
    for (const char* required : {"id", "syscalls", "reason"}) {
      if (!node[required]) {
        fail(node.Mark(), std::string("rule is missing '") + required + "'");
      }
    }
    Rule r;
    r.id = scalar(node["id"], "'id'");
    r.origin = origin_ + ":" + std::to_string(node.Mark().line + 1);
    for (const std::string& s : scalars(node["syscalls"], "'syscalls'")) {
      auto nr = events::syscall_number(s);
      if (!nr) {
        fail(mark_of(node["syscalls"], s), "unknown system call '" + s + "' (x86_64 names)");
      }
      r.syscalls.push_back(s);
      r.syscall_numbers.push_back(*nr);
    }
    if (r.syscalls.empty()) {
      fail(node["syscalls"].Mark(), "'syscalls' is empty");
    }
    r.delivery = delivery(node);
    parse_errnos(node, r);
    if (const YAML::Node when = node["when"]) {
      if (!when.IsMap()) {
        fail(when.Mark(), "'when' must map argument names to conditions");
      }
      std::set<std::string> fields;
      for (const auto& kv : when) {
        r.conditions.push_back(condition(key_of(kv.first, fields), kv.second));
      }
    }
    if (const YAML::Node from = node["candidates_from"]) {
      r.candidates_from = scalars(from, "'candidates_from'");
    }
    const YAML::Node cands =
        node["candidates"] ? node["candidates"] : YAML::Node(YAML::NodeType::Sequence);
    if (!cands.IsSequence()) {
      fail(cands.Mark(), "'candidates' must be a list (empty: no capability cures it)");
    }
    for (const YAML::Node& alt : cands) {
      CapSet set;
      if (alt.IsSequence()) {
        for (const YAML::Node& c : alt) {
          set.push_back(capability(c));
        }
        std::sort(set.begin(), set.end());
      } else {
        set.push_back(capability(alt));
      }
      r.candidates.push_back(std::move(set));
    }
    r.reason = scalar(node["reason"], "'reason'");
    if (node["source"]) {
      r.source = scalar(node["source"], "'source'");
    }
    if (node["note"]) {
      r.note = scalar(node["note"], "'note'");
    }
    return r;
  }

  Rule::Delivery delivery(const YAML::Node& node) const {
    if (!node["delivery"]) {
      return Rule::Delivery::Syscall;
    }
    const std::string d = scalar(node["delivery"], "'delivery'");
    if (d == "syscall") {
      return Rule::Delivery::Syscall;
    }
    if (d == "netlink_reply") {
      return Rule::Delivery::NetlinkReply;
    }
    if (d == "setid_dropped") {
      return Rule::Delivery::SetidDropped;
    }
    fail(node["delivery"].Mark(),
         "unknown delivery '" + d + "' (syscall, netlink_reply or setid_dropped)");
  }

  // A refusal has an errno; a dropped set-id bit has none (the call
  // succeeded), and says so with `errno: none` or no errno at all.
  void parse_errnos(const YAML::Node& node, Rule& r) const {
    const bool silent = r.delivery == Rule::Delivery::SetidDropped;
    if (!node["errno"]) {
      if (!silent) {
        fail(node.Mark(), "rule is missing 'errno'");
      }
      r.errnos.push_back(0);
      return;
    }
    for (const std::string& e : scalars(node["errno"], "'errno'")) {
      if (e == "none") {
        if (!silent) {
          fail(mark_of(node["errno"], e),
               "errno 'none' is for 'delivery: setid_dropped' rules (the call succeeded)");
        }
        r.errnos.push_back(0);
        continue;
      }
      if (silent) {
        fail(mark_of(node["errno"], e),
             "a 'delivery: setid_dropped' rule matches calls that succeeded: errno must be none");
      }
      auto err = events::errno_from_name(e);
      if (!err) {
        fail(mark_of(node["errno"], e), "unknown errno '" + e + "'");
      }
      r.errnos.push_back(*err);
    }
  }

  std::string origin_;
};

}  // namespace

void RuleTable::load_file(const std::string& path) {
  load_string(read_policy_file(path, "rule file"), path);
}

void RuleTable::load_string(const std::string& yaml, const std::string& origin) {
  std::vector<Rule> rules = RuleParser(origin).parse(yaml);
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

std::vector<int> RuleTable::watched_successes() const {
  std::set<int> calls;
  for (const auto& layer : layers_) {
    for (const Rule& r : layer) {
      if (r.delivery == Rule::Delivery::SetidDropped) {
        calls.insert(r.syscall_numbers.begin(), r.syscall_numbers.end());
      }
    }
  }
  return {calls.begin(), calls.end()};
}

std::size_t RuleTable::size() const {
  std::size_t n = 0;
  for (const auto& layer : layers_) {
    n += layer.size();
  }
  return n;
}

}  // namespace capmin::analyzer
