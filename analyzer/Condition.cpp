// SPDX-License-Identifier: MIT
#include "analyzer/Condition.h"

#include <re2/re2.h>

#include <algorithm>
#include <charconv>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>

namespace capmin::analyzer {

namespace {

// What RE2 may spend compiling one pattern (its default is 8 MiB; a rule's
// pattern needs a few kilobytes). A larger one is refused at load.
constexpr std::int64_t kMaxRegexMemory = 1 << 20;

std::optional<std::int64_t> parse_int(const std::string& s) {
  std::int64_t v = 0;
  const char* begin = s.data();
  const char* end = s.data() + s.size();
  int base = 10;
  if (s.size() > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
    begin += 2;
    base = 16;
  } else if (s.size() > 1 && s[0] == '0') {
    base = 8;  // modes are written 0644
  }
  auto [ptr, ec] = std::from_chars(begin, end, v, base);
  if (ec != std::errc() || ptr != end) {
    if (base == 8) {  // "09" is not octal; try decimal before giving up
      auto [p2, e2] = std::from_chars(s.data(), end, v, 10);
      if (e2 == std::errc() && p2 == end) {
        return v;
      }
    }
    return std::nullopt;
  }
  return v;
}

// A `matches` pattern runs on text the traced program chose (a path, an
// address): RE2 matches in time linear in the text whatever the pattern,
// and bounds the memory a pattern may compile to. Latin-1, so that a
// pattern matches bytes: a path that is not UTF-8 is still matched, and
// `.` stands for any one byte of it.
std::unique_ptr<const re2::RE2> compile(const std::string& pattern) {
  RE2::Options options(RE2::Latin1);
  options.set_log_errors(false);
  options.set_dot_nl(true);
  options.set_max_mem(kMaxRegexMemory);
  auto re = std::make_unique<const re2::RE2>(pattern, options);
  if (!re->ok()) {
    throw std::invalid_argument("bad regular expression: " + re->error());
  }
  return re;
}

std::vector<std::string> flag_tokens(const std::string& text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= text.size()) {
    const std::size_t bar = text.find('|', start);
    out.push_back(text.substr(start, bar == std::string::npos ? std::string::npos : bar - start));
    if (bar == std::string::npos) {
      break;
    }
    start = bar + 1;
  }
  return out;
}

}  // namespace

struct Condition::Regex {
  std::string pattern;
  std::once_flag once;
  std::unique_ptr<const re2::RE2> compiled;

  const re2::RE2& get() {
    std::call_once(once, [this] {
      if (!compiled) {
        compiled = compile(pattern);
      }
    });
    return *compiled;
  }
};

Condition::Condition(std::string field, Op op, std::vector<std::string> operands, Accepted)
    : field_(std::move(field)), op_(op), operands_(std::move(operands)) {
  if (op_ == Op::Lt || op_ == Op::Le || op_ == Op::Gt || op_ == Op::Ge) {
    auto n = operands_.empty() ? std::nullopt : parse_int(operands_[0]);
    if (!n) {
      throw std::invalid_argument(std::string(op_name(op_)) + " needs a number");
    }
    number_ = *n;
  }
  if (op_ == Op::Matches) {
    regex_ = std::make_shared<Regex>();
    regex_->pattern = operands_.empty() ? std::string() : operands_[0];
  }
}

Condition::Condition(std::string field, Op op, std::vector<std::string> operands)
    : Condition(std::move(field), op, std::move(operands), Accepted{}) {
  if (regex_) {
    // std::invalid_argument escapes to the loader, which adds the position.
    regex_->compiled = compile(regex_->pattern);
  }
}

const char* Condition::op_name(Op op) {
  switch (op) {
    case Op::Eq:
      return "eq";
    case Op::Ne:
      return "ne";
    case Op::In:
      return "in";
    case Op::NotIn:
      return "not_in";
    case Op::Lt:
      return "lt";
    case Op::Le:
      return "le";
    case Op::Gt:
      return "gt";
    case Op::Ge:
      return "ge";
    case Op::AnyOf:
      return "any_of";
    case Op::AllOf:
      return "all_of";
    case Op::NoneOf:
      return "none_of";
    case Op::Prefix:
      return "prefix";
    case Op::Matches:
      return "matches";
    case Op::Exists:
      return "exists";
  }
  return "?";
}

bool Condition::equals(const events::Arg& arg, const std::string& operand) {
  if (arg.text == operand) {
    return true;
  }
  if (arg.value) {
    auto n = parse_int(operand);
    return n && *n == *arg.value;
  }
  return false;
}

bool Condition::holds(const events::SyscallEvent& event) const {
  const events::Arg* arg = event.find(field_);
  if (arg == nullptr) {
    // Nothing is known of it: no test on its value holds, negative ones
    // included (an fchmod whose file was not looked up is not "a file
    // that is not immutable").
    return op_ == Op::Exists && !operands_.empty() && operands_[0] == "false";
  }
  return holds_on(*arg);
}

bool Condition::holds_on(const events::Arg& arg) const {
  auto any_equal = [&] {
    return std::any_of(operands_.begin(), operands_.end(),
                       [&](const std::string& o) { return equals(arg, o); });
  };
  switch (op_) {
    case Op::Eq:
    case Op::In:
      return any_equal();
    case Op::Ne:
    case Op::NotIn:
      return !any_equal();
    case Op::Lt:
      return arg.value && *arg.value < number_;
    case Op::Le:
      return arg.value && *arg.value <= number_;
    case Op::Gt:
      return arg.value && *arg.value > number_;
    case Op::Ge:
      return arg.value && *arg.value >= number_;
    case Op::AnyOf:
    case Op::AllOf:
    case Op::NoneOf: {
      const auto tokens = flag_tokens(arg.text);
      auto has = [&](const std::string& f) {
        return std::find(tokens.begin(), tokens.end(), f) != tokens.end();
      };
      if (op_ == Op::AllOf) {
        return std::all_of(operands_.begin(), operands_.end(), has);
      }
      const bool any = std::any_of(operands_.begin(), operands_.end(), has);
      return op_ == Op::AnyOf ? any : !any;
    }
    case Op::Prefix:
      return !operands_.empty() && arg.text.rfind(operands_[0], 0) == 0;
    case Op::Matches:
      return RE2::FullMatch(arg.text, regex_->get());
    case Op::Exists:
      return operands_.empty() || operands_[0] != "false";
  }
  return false;
}

}  // namespace capmin::analyzer
