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

// A `matches` pattern is checked before std::regex sees it. libstdc++ compiles
// `x{n}` into n copies of x, follows chains of states recursively, and reads
// a count or a back-reference number into a long without checking for
// overflow. So counts are bounded by the size of the pattern once they are
// expanded ("positions": characters, classes, escapes and quantifiers, each
// times the counts around it), and back-references, which the polynomial
// matcher does not have, are refused.
constexpr std::size_t kMaxRegexPositions = 4096;

void check_pattern(const std::string& re) {
  const std::string too_large = "regular expression too large (over " +
                                std::to_string(kMaxRegexPositions) +
                                " positions once its {n} counts are expanded)";
  constexpr std::size_t kOver = kMaxRegexPositions + 1;
  struct Group {
    std::size_t size = 0;  // positions so far
    std::size_t last = 0;  // positions of the last term, which a quantifier repeats
  };
  std::vector<Group> groups(1);
  // Appends a term of `positions`; `quantifier`: it repeats the last term
  // (libstdc++ takes any number of quantifiers in a row, `a{9}{9}` included).
  auto add = [&](std::size_t positions, bool quantifier = false) {
    Group& g = groups.back();
    g.size = std::min(g.size + positions, kOver);
    g.last = std::min(quantifier ? g.last + positions : positions, kOver);
    if (g.size > kMaxRegexPositions) {
      throw std::invalid_argument(too_large);
    }
  };
  // The count at `i`, moving `i` past it; nullopt when it has more digits
  // than any count can use.
  auto count_at = [&](std::size_t& i) -> std::optional<std::size_t> {
    std::size_t v = 0;
    for (std::size_t digits = 0; i < re.size() && re[i] >= '0' && re[i] <= '9'; ++i, ++digits) {
      if (digits == 9) {
        return std::nullopt;
      }
      v = v * 10 + static_cast<std::size_t>(re[i] - '0');
    }
    return v;
  };
  for (std::size_t i = 0; i < re.size(); ++i) {
    const char c = re[i];
    if (c == '\\') {
      if (i + 1 < re.size() && re[i + 1] >= '1' && re[i + 1] <= '9') {
        throw std::invalid_argument(
            "regular expression with a back-reference (\\1...): not supported");
      }
      ++i;
      add(1);
    } else if (c == '[') {
      // One position, whatever the class holds; in ECMAScript the first ']' ends it.
      for (++i; i < re.size() && re[i] != ']'; ++i) {
        i += re[i] == '\\' ? 1 : 0;
      }
      add(1);
    } else if (c == '(') {
      groups.emplace_back();
      add(1);
    } else if (c == ')' && groups.size() > 1) {
      const std::size_t inner = groups.back().size + 1;
      groups.pop_back();
      add(inner);
    } else if (c == '*' || c == '+' || c == '?') {
      add(1, true);
    } else if (c == '{') {
      std::size_t j = i + 1;
      const auto low = count_at(j);
      auto high = low;
      if (low && j < re.size() && re[j] == ',') {
        ++j;
        high = j < re.size() && re[j] == '}' ? std::optional(*low + 1) : count_at(j);
      }
      if (!low || !high) {
        throw std::invalid_argument(too_large);
      }
      if (j == i + 1 || j >= re.size() || re[j] != '}') {
        add(1);  // not a count: std::regex says what is wrong with it
        continue;
      }
      i = j;
      // The last term now stands `high` times (plus the count's own state).
      const std::size_t last = groups.back().last;
      const std::size_t more = *high == 0 ? 0 : (last > kOver / *high ? kOver : last * (*high - 1));
      add(more + 1, true);
    } else {
      add(1);
    }
  }
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
    // std::regex_error and std::invalid_argument escape to the loader, which
    // adds the file position. The text comes from the traced program: the
    // polynomial (Thompson) matcher keeps a pattern with nested quantifiers
    // from backtracking exponentially on it, and does not recurse per character.
    const std::string& pattern = operands_.empty() ? std::string() : operands_[0];
    check_pattern(pattern);
    regex_ = std::regex(pattern, std::regex::ECMAScript | std::regex_constants::__polynomial);
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
