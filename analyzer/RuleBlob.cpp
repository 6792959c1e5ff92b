// SPDX-License-Identifier: MIT
#include "analyzer/RuleBlob.h"

#include <cstdint>
#include <cstring>
#include <stdexcept>

namespace capmin::analyzer {

namespace {

// Bumped whenever the layout below changes.
constexpr std::string_view kMagic = "capmin rule blob 2\n";

class Writer {
 public:
  void number(std::uint64_t v) { out_.append(reinterpret_cast<const char*>(&v), sizeof v); }
  void text(std::string_view s) {
    number(s.size());
    out_.append(s);
  }
  void texts(const std::vector<std::string>& v) {
    number(v.size());
    for (const std::string& s : v) {
      text(s);
    }
  }
  void numbers(const std::vector<int>& v) {
    number(v.size());
    for (int i : v) {
      number(static_cast<std::uint64_t>(static_cast<std::int64_t>(i)));
    }
  }
  void raw(std::string_view s) { out_.append(s); }
  std::string take() { return std::move(out_); }

 private:
  std::string out_;
};

// Every read is checked against the end: a blob that is cut short or not
// one is an error, never a read past it.
class Reader {
 public:
  explicit Reader(std::string_view blob) : rest_(blob) {}
  std::uint64_t number() {
    std::uint64_t v = 0;
    std::memcpy(&v, take(sizeof v).data(), sizeof v);
    return v;
  }
  // A count of things still to come, each at least `min_bytes` long.
  std::size_t count(std::size_t min_bytes) {
    const std::uint64_t n = number();
    if (n > rest_.size() / min_bytes) {
      throw std::runtime_error("rule blob: a count past its end");
    }
    return static_cast<std::size_t>(n);
  }
  std::string_view text() { return take(count(1)); }
  std::vector<std::string> texts() {
    std::vector<std::string> v(count(sizeof(std::uint64_t)));
    for (std::string& s : v) {
      s = text();
    }
    return v;
  }
  std::vector<int> numbers() {
    std::vector<int> v(count(sizeof(std::uint64_t)));
    for (int& i : v) {
      i = static_cast<int>(static_cast<std::int64_t>(number()));
    }
    return v;
  }
  std::string_view take(std::size_t n) {
    if (n > rest_.size()) {
      throw std::runtime_error("rule blob: cut short");
    }
    const std::string_view out = rest_.substr(0, n);
    rest_.remove_prefix(n);
    return out;
  }
  bool done() const { return rest_.empty(); }

 private:
  std::string_view rest_;
};

// "origin:LINE" keeps its line; the origin is the reader's.
std::uint64_t line_of(const Rule& r) {
  const auto colon = r.origin.rfind(':');
  return colon == std::string::npos ? 0 : std::stoull(r.origin.substr(colon + 1));
}

}  // namespace

std::string encode_rules(std::string_view text, const std::vector<Rule>& rules) {
  Writer w;
  w.raw(kMagic);
  w.text(text);
  w.number(rules.size());
  for (const Rule& r : rules) {
    w.text(r.id);
    w.number(line_of(r));
    w.texts(r.syscalls);
    w.numbers(r.syscall_numbers);
    w.numbers(r.errnos);
    w.number(r.conditions.size());
    for (const Condition& c : r.conditions) {
      w.text(c.field());
      w.number(static_cast<std::uint64_t>(c.op()));
      w.texts(c.operands());
    }
    w.number(r.candidates.size());
    for (const CapSet& set : r.candidates) {
      w.numbers(set);
    }
    w.texts(r.candidates_from);
    w.text(r.reason);
    w.text(r.source);
    w.text(r.note);
    w.text(r.host_wide);
    w.number(static_cast<std::uint64_t>(r.delivery));
  }
  return w.take();
}

std::optional<std::vector<Rule>> decode_rules(std::string_view blob, std::string_view text,
                                              const std::string& origin) {
  Reader in(blob);
  if (in.take(kMagic.size()) != kMagic) {
    throw std::runtime_error("rule blob: not one, or of another layout");
  }
  if (in.text() != text) {
    return std::nullopt;
  }
  std::vector<Rule> rules(in.count(sizeof(std::uint64_t)));
  for (Rule& r : rules) {
    r.id = in.text();
    r.origin = origin + ":" + std::to_string(in.number());
    r.syscalls = in.texts();
    r.syscall_numbers = in.numbers();
    r.errnos = in.numbers();
    const std::size_t conditions = in.count(sizeof(std::uint64_t));
    for (std::size_t i = 0; i < conditions; ++i) {
      std::string field(in.text());
      const auto op = static_cast<Condition::Op>(in.number());
      if (op > Condition::Op::Exists) {
        throw std::runtime_error("rule blob: an unknown operator");
      }
      // Accepted when the blob was made: patterns compile at first use.
      r.conditions.emplace_back(std::move(field), op, in.texts(), Condition::Accepted{});
    }
    r.candidates.resize(in.count(sizeof(std::uint64_t)));
    for (CapSet& set : r.candidates) {
      set = in.numbers();
    }
    r.candidates_from = in.texts();
    r.reason = in.text();
    r.source = in.text();
    r.note = in.text();
    r.host_wide = in.text();
    const std::uint64_t delivery = in.number();
    if (delivery > static_cast<std::uint64_t>(Rule::Delivery::ValuesHidden)) {
      throw std::runtime_error("rule blob: an unknown delivery");
    }
    r.delivery = static_cast<Rule::Delivery>(delivery);
  }
  if (!in.done()) {
    throw std::runtime_error("rule blob: bytes after the last rule");
  }
  return rules;
}

}  // namespace capmin::analyzer
