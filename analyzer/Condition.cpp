// SPDX-License-Identifier: MIT
#include "analyzer/Condition.h"

#include <algorithm>
#include <charconv>
#include <optional>
#include <stdexcept>

namespace capmin::analyzer {

namespace {

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

Condition::Condition(std::string field, Op op, std::vector<std::string> operands)
    : field_(std::move(field)), op_(op), operands_(std::move(operands)) {
  if (op_ == Op::Lt || op_ == Op::Le || op_ == Op::Gt || op_ == Op::Ge) {
    auto n = operands_.empty() ? std::nullopt : parse_int(operands_[0]);
    if (!n) {
      throw std::invalid_argument(std::string(op_name(op_)) + " needs a number");
    }
    number_ = *n;
  }
  if (op_ == Op::Matches) {
    // std::regex_error escapes to the loader, which adds the file position.
    regex_ = std::regex(operands_.empty() ? "" : operands_[0], std::regex::ECMAScript);
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
    switch (op_) {
      case Op::Exists:
        return !operands_.empty() && operands_[0] == "false";
      case Op::Ne:
      case Op::NotIn:
      case Op::NoneOf:
        return true;
      default:
        return false;
    }
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
      return std::regex_match(arg.text, regex_);
    case Op::Exists:
      return operands_.empty() || operands_[0] != "false";
  }
  return false;
}

}  // namespace capmin::analyzer
