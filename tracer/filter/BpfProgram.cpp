// SPDX-License-Identifier: MIT
// Why not libseccomp's generator: for the built-in rules it took about
// 5 ms of every run's start (a third of it), and its one program per ABI
// means two filters on every system call the program makes. The plan is
// simple (numbers, then masked or ordered tests of arguments), and the
// generated code is checked against SeccompPlan::would_trace in the tests.
#include "tracer/filter/BpfProgram.h"

#include <linux/seccomp.h>

#include <algorithm>
#include <cstddef>
#include <map>
#include <span>
#include <tuple>

namespace capmin::tracer {

namespace {

// struct seccomp_data: nr, arch, instruction_pointer, args[6]. Arguments
// are 64-bit, their low word first (both ABIs are little-endian).
constexpr std::uint32_t kNrOffset = offsetof(seccomp_data, nr);
constexpr std::uint32_t kArchOffset = offsetof(seccomp_data, arch);
std::uint32_t arg_low(int arg) {
  return static_cast<std::uint32_t>(offsetof(seccomp_data, args) + 8 * static_cast<unsigned>(arg));
}
std::uint32_t arg_high(int arg) { return arg_low(arg) + 4; }

std::uint32_t low(std::uint64_t v) { return static_cast<std::uint32_t>(v); }
std::uint32_t high(std::uint64_t v) { return static_cast<std::uint32_t>(v >> 32); }

// Emits instructions with jumps to labels. At the end each conditional
// jump is made as short as it can be: its targets in its own 8-bit offsets
// where they are near enough, else through a `ja` (32-bit offset) right
// after it. Jumps only ever go forward, and making one shorter brings every
// target nearer, so starting from the long form and shortening until
// nothing changes ends.
class Assembler {
 public:
  using Label = std::size_t;
  static constexpr Label kNext = ~Label{0};  // the instruction after

  Label label() {
    bound_.push_back(0);
    return bound_.size() - 1;
  }
  void bind(Label l) { bound_[l] = items_.size(); }

  void load(std::uint32_t offset) { plain(BPF_LD | BPF_W | BPF_ABS, offset); }
  void and_k(std::uint32_t k) { plain(BPF_ALU | BPF_AND | BPF_K, k); }
  void ret(std::uint32_t action) { plain(BPF_RET | BPF_K, action); }
  void jump(Label to) { items_.push_back({Kind::Jump, BPF_JMP | BPF_JA, 0, to, kNext}); }
  // To `to` when A <op> k holds, else on.
  void jump_if(std::uint16_t op, std::uint32_t k, Label to) {
    items_.push_back(
        {Kind::Branch, static_cast<std::uint16_t>(BPF_JMP | op | BPF_K), k, to, kNext});
  }
  // To `to` when A <op> k does not hold, else on.
  void jump_unless(std::uint16_t op, std::uint32_t k, Label to) {
    items_.push_back(
        {Kind::Branch, static_cast<std::uint16_t>(BPF_JMP | op | BPF_K), k, kNext, to});
  }

  std::vector<sock_filter> finish() {
    for (Item& item : items_) {
      item.far_true = item.kind == Kind::Branch && item.on_true != kNext;
      item.far_false = item.kind == Kind::Branch && item.on_false != kNext;
    }
    for (bool changed = true; changed;) {
      changed = false;
      const std::vector<std::size_t> pc = layout();
      for (std::size_t i = 0; i < items_.size(); ++i) {
        Item& item = items_[i];
        auto near = [&](Label l) { return pc[bound_[l]] - (pc[i] + 1) <= 255; };
        if (item.far_true && near(item.on_true)) {
          item.far_true = false;
          changed = true;
        }
        if (item.far_false && near(item.on_false)) {
          item.far_false = false;
          changed = true;
        }
      }
    }
    const std::vector<std::size_t> pc = layout();
    std::vector<sock_filter> code;
    for (std::size_t i = 0; i < items_.size(); ++i) {
      const Item& item = items_[i];
      auto offset = [&](Label l, std::size_t from) {
        return l == kNext ? pc[i + 1] - from : pc[bound_[l]] - from;
      };
      if (item.kind == Kind::Plain) {
        code.push_back(BPF_STMT(item.code, item.k));
      } else if (item.kind == Kind::Jump) {
        code.push_back(
            BPF_STMT(item.code, static_cast<std::uint32_t>(offset(item.on_true, pc[i] + 1))));
      } else {
        // jop k, jt, jf, then the `ja` of a far true target, then that of a
        // far false one.
        const std::size_t after = pc[i] + 1;
        const std::size_t ja_true = after;
        const std::size_t ja_false = after + (item.far_true ? 1 : 0);
        const std::size_t jt = item.far_true ? 0 : offset(item.on_true, after);
        const std::size_t jf = item.far_false ? ja_false - after : offset(item.on_false, after);
        code.push_back(BPF_JUMP(item.code, item.k, static_cast<std::uint8_t>(jt),
                                static_cast<std::uint8_t>(jf)));
        if (item.far_true) {
          code.push_back(BPF_STMT(BPF_JMP | BPF_JA,
                                  static_cast<std::uint32_t>(offset(item.on_true, ja_true + 1))));
        }
        if (item.far_false) {
          code.push_back(BPF_STMT(BPF_JMP | BPF_JA,
                                  static_cast<std::uint32_t>(offset(item.on_false, ja_false + 1))));
        }
      }
    }
    return code;
  }

 private:
  enum class Kind { Plain, Jump, Branch };
  struct Item {
    Kind kind;
    std::uint16_t code;
    std::uint32_t k;
    Label on_true;  // a Jump's target
    Label on_false;
    bool far_true = false;
    bool far_false = false;
  };
  void plain(std::uint16_t code, std::uint32_t k) {
    items_.push_back({Kind::Plain, code, k, kNext, kNext});
  }
  // The address of every item, and one past the last.
  std::vector<std::size_t> layout() const {
    std::vector<std::size_t> pc(items_.size() + 1);
    for (std::size_t i = 0; i < items_.size(); ++i) {
      const Item& item = items_[i];
      pc[i + 1] = pc[i] + 1 + (item.far_true ? 1 : 0) + (item.far_false ? 1 : 0);
    }
    return pc;
  }

  std::vector<Item> items_;
  std::vector<std::size_t> bound_;  // label -> the item it is bound before
};

// Goes on when the register test holds, to `fail` when it does not.
void emit_test(Assembler& as, const RegisterTest& t, Assembler::Label fail) {
  using Op = RegisterTest::Op;
  if (t.op == Op::MaskedEq) {
    if ((t.value & ~t.mask) != 0) {
      as.jump(fail);  // bits the mask clears can never be set
      return;
    }
    const std::pair<std::uint32_t, std::uint32_t> words[] = {{arg_high(t.arg), high(t.mask)},
                                                             {arg_low(t.arg), low(t.mask)}};
    const std::uint32_t values[] = {high(t.value), low(t.value)};
    for (int i = 0; i < 2; ++i) {
      if (words[i].second == 0) {
        continue;  // nothing of this word is tested
      }
      as.load(words[i].first);
      if (words[i].second != 0xffffffff) {
        as.and_k(words[i].second);
      }
      as.jump_unless(BPF_JEQ, values[i], fail);
    }
    return;
  }
  // Unsigned order on 64 bits: the high words decide unless they are equal.
  // A value of the low word alone (mask 0xffffffff: a descriptor, which the
  // kernel reads as an unsigned int) is ordered by that word.
  const Assembler::Label pass = as.label();
  const bool greater = t.op == Op::Gt || t.op == Op::Ge;
  if (high(t.mask) != 0) {
    as.load(arg_high(t.arg));
    as.jump_if(BPF_JGT, high(t.value), greater ? pass : fail);
    as.jump_unless(BPF_JEQ, high(t.value), greater ? fail : pass);
  }
  as.load(arg_low(t.arg));
  switch (t.op) {
    case Op::Gt:
      as.jump_unless(BPF_JGT, low(t.value), fail);
      break;
    case Op::Ge:
      as.jump_unless(BPF_JGE, low(t.value), fail);
      break;
    case Op::Lt:
      as.jump_if(BPF_JGE, low(t.value), fail);
      break;
    case Op::Le:
      as.jump_if(BPF_JGT, low(t.value), fail);
      break;
    case Op::MaskedEq:
      break;
  }
  as.bind(pass);
}

using Tests = std::span<const RegisterTest>;

bool any_empty(const std::vector<Tests>& matches) {
  return std::any_of(matches.begin(), matches.end(), [](const Tests& m) { return m.empty(); });
}

// To `trace` when any of `matches` holds (all of its tests), else to
// `fail`. Matches are a trie on their tests: those that begin with one test
// make it once, then go on with what follows it, and the equality tests of
// one word share its load. This keeps the long lists of a rule table
// (ioctl's requests, setsockopt's level and option pairs) to a compare per
// value, as a hand-written filter would be.
void emit_any(Assembler& as, const std::vector<Tests>& matches, Assembler::Label trace,
              Assembler::Label fail) {
  using Op = RegisterTest::Op;
  // The first tests, in the order they first appear, each with the rest of
  // the matches it begins.
  std::vector<std::pair<RegisterTest, std::vector<Tests>>> by_first;
  for (const Tests& m : matches) {
    if (m.empty()) {
      as.jump(trace);  // a match of no tests always holds
      return;
    }
    auto it = std::find_if(by_first.begin(), by_first.end(),
                           [&](const auto& g) { return g.first == m.front(); });
    if (it == by_first.end()) {
      by_first.emplace_back(m.front(), std::vector<Tests>{});
      it = by_first.end() - 1;
    }
    it->second.push_back(m.subspan(1));
  }
  // Equality tests whose high word is tested the same way, by the low word
  // they test; anything else on its own.
  std::map<std::tuple<int, std::uint64_t, std::uint32_t>, std::vector<std::size_t>> shared;
  std::vector<std::size_t> alone;
  for (std::size_t i = 0; i < by_first.size(); ++i) {
    const RegisterTest& t = by_first[i].first;
    if (t.op == Op::MaskedEq && (t.value & ~t.mask) == 0 && low(t.mask) != 0) {
      shared[{t.arg, t.mask, high(t.value)}].push_back(i);
    } else {
      alone.push_back(i);
    }
  }
  for (const auto& [key, members] : shared) {
    const auto& [arg, mask, value_high] = key;
    const Assembler::Label done = as.label();
    if (high(mask) != 0) {
      as.load(arg_high(arg));
      if (high(mask) != 0xffffffff) {
        as.and_k(high(mask));
      }
      as.jump_unless(BPF_JEQ, value_high, done);
    }
    bool loaded = false;
    for (const std::size_t i : members) {
      if (!loaded) {
        as.load(arg_low(arg));
        if (low(mask) != 0xffffffff) {
          as.and_k(low(mask));
        }
        loaded = true;
      }
      const std::uint32_t value = low(by_first[i].first.value);
      const auto& rests = by_first[i].second;
      if (any_empty(rests)) {
        as.jump_if(BPF_JEQ, value, trace);
        continue;
      }
      const Assembler::Label next = as.label();
      as.jump_unless(BPF_JEQ, value, next);
      emit_any(as, rests, trace, next);
      as.bind(next);
      loaded = false;  // the rest loaded other words
    }
    as.bind(done);
  }
  for (const std::size_t i : alone) {
    const Assembler::Label next = as.label();
    emit_test(as, by_first[i].first, next);
    if (any_empty(by_first[i].second)) {
      as.jump(trace);
    } else {
      emit_any(as, by_first[i].second, trace, next);
    }
    as.bind(next);
  }
  as.jump(fail);
}

struct Call {
  std::uint32_t nr;
  Assembler::Label handler;
};

// With the number in A: to the handler of its call, or to `allow`.
void emit_tree(Assembler& as, const std::vector<Call>& calls, std::size_t from, std::size_t to,
               Assembler::Label allow) {
  if (to - from <= 3) {
    for (std::size_t i = from; i < to; ++i) {
      as.jump_if(BPF_JEQ, calls[i].nr, calls[i].handler);
    }
    as.jump(allow);
    return;
  }
  const std::size_t mid = from + (to - from) / 2;
  const Assembler::Label upper = as.label();
  as.jump_if(BPF_JGE, calls[mid].nr, upper);
  emit_tree(as, calls, from, mid, allow);
  as.bind(upper);
  emit_tree(as, calls, mid, to, allow);
}

}  // namespace

std::vector<sock_filter> generate_program(const std::vector<AbiCalls>& abis) {
  Assembler as;
  const Assembler::Label allow = as.label();
  const Assembler::Label trace = as.label();
  std::vector<Assembler::Label> sections;
  as.load(kArchOffset);
  for (const AbiCalls& abi : abis) {
    sections.push_back(as.label());
    as.jump_if(BPF_JEQ, abi.audit_arch, sections.back());
  }
  as.jump(allow);  // an architecture capmin does not trace

  struct Handler {
    Assembler::Label label;
    const std::vector<RegisterMatch>* matches;
  };
  std::vector<Handler> handlers;
  for (std::size_t s = 0; s < abis.size(); ++s) {
    as.bind(sections[s]);
    as.load(kNrOffset);
    if (abis[s].foreign_from) {
      as.jump_if(BPF_JGE, static_cast<std::uint32_t>(*abis[s].foreign_from), allow);
    }
    std::vector<Call> calls;
    for (const auto& [nr, matches] : abis[s].calls) {
      if (matches.empty()) {
        calls.push_back({static_cast<std::uint32_t>(nr), trace});
      } else {
        handlers.push_back({as.label(), &matches});
        calls.push_back({static_cast<std::uint32_t>(nr), handlers.back().label});
      }
    }
    emit_tree(as, calls, 0, calls.size(), allow);
  }
  // A call with register tests: traced when one of its matches holds.
  for (const Handler& h : handlers) {
    as.bind(h.label);
    std::vector<Tests> matches;
    for (const RegisterMatch& m : *h.matches) {
      matches.emplace_back(m);
    }
    emit_any(as, matches, trace, allow);
  }
  as.bind(allow);
  as.ret(SECCOMP_RET_ALLOW);
  as.bind(trace);
  as.ret(SECCOMP_RET_TRACE);
  return as.finish();
}

}  // namespace capmin::tracer
