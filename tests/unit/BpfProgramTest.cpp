// SPDX-License-Identifier: MIT
// BpfProgram: the generated filter, run by a small interpreter of the
// instructions it uses, answers as SeccompPlan's model of it does
// (RegisterTest::holds) on registers chosen around every boundary; and the
// kernel accepts a program of a full rule table's size.
#include <gtest/gtest.h>
#include <linux/audit.h>
#include <linux/seccomp.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>
#include <random>

#include "tracer/filter/BpfProgram.h"

namespace capmin::tracer {
namespace {

constexpr std::uint32_t kAllow = SECCOMP_RET_ALLOW;
constexpr std::uint32_t kTrace = SECCOMP_RET_TRACE;

// What the kernel's interpreter would return for `data`.
std::uint32_t run(const std::vector<sock_filter>& program, const seccomp_data& data) {
  std::uint32_t a = 0;
  std::size_t pc = 0;
  const auto* bytes = reinterpret_cast<const unsigned char*>(&data);
  while (pc < program.size()) {
    const sock_filter& f = program[pc++];
    switch (f.code) {
      case BPF_LD | BPF_W | BPF_ABS:
        EXPECT_LE(f.k + 4, sizeof data);
        std::memcpy(&a, bytes + f.k, 4);
        break;
      case BPF_ALU | BPF_AND | BPF_K:
        a &= f.k;
        break;
      case BPF_JMP | BPF_JA:
        pc += f.k;
        break;
      case BPF_JMP | BPF_JEQ | BPF_K:
        pc += a == f.k ? f.jt : f.jf;
        break;
      case BPF_JMP | BPF_JGT | BPF_K:
        pc += a > f.k ? f.jt : f.jf;
        break;
      case BPF_JMP | BPF_JGE | BPF_K:
        pc += a >= f.k ? f.jt : f.jf;
        break;
      case BPF_RET | BPF_K:
        return f.k;
      default:
        ADD_FAILURE() << "instruction " << f.code << " at " << pc - 1;
        return ~0u;
    }
  }
  ADD_FAILURE() << "the program ran off its end";
  return ~0u;
}

seccomp_data call(std::uint32_t arch, int nr, const std::uint64_t (&args)[6] = {}) {
  seccomp_data d{};
  d.arch = arch;
  d.nr = nr;
  std::memcpy(d.args, args, sizeof args);
  return d;
}

bool model(const std::vector<RegisterMatch>& matches, const std::uint64_t (&args)[6]) {
  if (matches.empty()) {
    return true;
  }
  for (const RegisterMatch& m : matches) {
    bool all = true;
    for (const RegisterTest& t : m) {
      all = all && t.holds(args[t.arg]);
    }
    if (all) {
      return true;
    }
  }
  return false;
}

TEST(BpfProgram, TracesTheCallsNamedAndAllowsTheRest) {
  const std::vector<AbiCalls> abis = {
      {AUDIT_ARCH_X86_64, 0x40000000, {{2, {}}, {90, {}}, {300, {}}}},
      {AUDIT_ARCH_I386, std::nullopt, {{5, {}}}},
  };
  const auto program = generate_program(abis);
  EXPECT_EQ(run(program, call(AUDIT_ARCH_X86_64, 2)), kTrace);
  EXPECT_EQ(run(program, call(AUDIT_ARCH_X86_64, 90)), kTrace);
  EXPECT_EQ(run(program, call(AUDIT_ARCH_X86_64, 300)), kTrace);
  EXPECT_EQ(run(program, call(AUDIT_ARCH_X86_64, 5)), kAllow);  // i386's number, not native's
  EXPECT_EQ(run(program, call(AUDIT_ARCH_I386, 5)), kTrace);
  EXPECT_EQ(run(program, call(AUDIT_ARCH_I386, 2)), kAllow);
  // x32 (bit 30): its own ABI, which the kernel would run.
  EXPECT_EQ(run(program, call(AUDIT_ARCH_X86_64, 0x40000000 | 2)), kAllow);
  EXPECT_EQ(run(program, call(AUDIT_ARCH_AARCH64, 2)), kAllow);
}

TEST(BpfProgram, FindsEveryNumberOfALargeSet) {
  std::mt19937 random(17);
  std::map<long, std::vector<RegisterMatch>> calls;
  for (long nr = 0; nr < 460; ++nr) {
    if (random() % 3 == 0) {
      calls[nr] = {};
    }
  }
  const auto program = generate_program({{AUDIT_ARCH_X86_64, 0x40000000, calls}});
  for (int nr = -1; nr < 470; ++nr) {
    EXPECT_EQ(run(program, call(AUDIT_ARCH_X86_64, nr)), calls.count(nr) != 0 ? kTrace : kAllow)
        << nr;
  }
}

// A test value and the registers around it that decide a comparison: the
// value itself, one either side in each word, the other word changed.
std::vector<std::uint64_t> around(std::uint64_t v, std::mt19937_64& random) {
  return {v,
          v + 1,
          v - 1,
          v + (1ull << 32),
          v - (1ull << 32),
          v ^ 0xffffffffull,
          v ^ (0xffffffffull << 32),
          0,
          ~0ull,
          random()};
}

TEST(BpfProgram, RegisterTestsAnswerAsTheModelOnEveryBoundary) {
  std::mt19937_64 random(2026);
  using Op = RegisterTest::Op;
  const Op ops[] = {Op::MaskedEq, Op::Lt, Op::Le, Op::Gt, Op::Ge};
  const std::uint64_t interesting[] = {
      0, 1, 0xffffffff, 0x100000000, 0xffffffff00000000, ~0ull, 0x80000000, 0x7fffffff};
  for (int round = 0; round < 1000; ++round) {
    // One call with one to three matches of one to three tests each.
    std::vector<RegisterMatch> matches(1 + random() % 4);
    for (RegisterMatch& m : matches) {
      // Often the first test of another match: the generator shares those.
      if (&m != &matches.front() && random() % 2) {
        m.push_back(matches.front().front());
      }
      const std::size_t tests = 1 + random() % 3;
      for (std::size_t i = 0; i < tests; ++i) {
        RegisterTest t{static_cast<int>(random() % 6), ~0ull, 0, ops[random() % 5]};
        t.value = random() % 2 ? interesting[random() % 8] : random();
        if (t.op != Op::MaskedEq && random() % 3 == 0) {
          t.mask = 0xffffffff;  // ordered on the low word alone (a descriptor)
          t.value &= t.mask;
        }
        if (t.op == Op::MaskedEq) {
          const std::uint64_t masks[] = {~0ull, 0xffffffff, 0xffffffff00000000, 0xff, random()};
          t.mask = masks[random() % 5];
          if (random() % 4 != 0) {
            t.value &= t.mask;  // mostly a value the mask can give
          }
        }
        m.push_back(t);
      }
    }
    const auto program = generate_program({{AUDIT_ARCH_X86_64, 0x40000000, {{42, matches}}}});
    for (const RegisterMatch& m : matches) {
      for (const RegisterTest& t : m) {
        for (const std::uint64_t reg : around(t.value, random)) {
          std::uint64_t args[6];
          for (auto& a : args) {
            a = random() % 2 ? random() : 0;
          }
          args[t.arg] = reg;
          // Sometimes the other tests of the match hold too, so that this
          // one decides.
          if (random() % 2) {
            for (const RegisterTest& other : m) {
              if (other.arg != t.arg && other.op == Op::MaskedEq) {
                args[other.arg] = other.value;
              }
            }
          }
          ASSERT_EQ(run(program, call(AUDIT_ARCH_X86_64, 42, args)) == kTrace, model(matches, args))
              << "round " << round << " arg " << t.arg << " = " << reg;
        }
      }
    }
  }
}

TEST(BpfProgram, ListsOfPairsAnswerForEveryPair) {
  // setsockopt's (level, option) pairs and ioctl's request list, as the
  // rules give them: matches that share first tests and words.
  auto eq = [](int arg, std::uint64_t v) { return RegisterTest{arg, ~0ull, v}; };
  const std::vector<RegisterMatch> matches = {
      {eq(1, 1), eq(2, 2)}, {eq(1, 1), eq(2, 3)},       {eq(1, 6), eq(2, 2)},
      {eq(1, 6)},           {eq(1, 0x100000001)},       {eq(1, 7), eq(2, 9), eq(0, 4)},
      {eq(1, 7), eq(2, 8)}, {RegisterTest{1, 0xff, 9}}, {eq(2, 5)}};
  const auto program = generate_program({{AUDIT_ARCH_X86_64, 0x40000000, {{54, matches}}}});
  const std::uint64_t values[] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0x109, 0x100000001, 0x100000006};
  for (const std::uint64_t a0 : values) {
    for (const std::uint64_t a1 : values) {
      for (const std::uint64_t a2 : values) {
        const std::uint64_t args[6] = {a0, a1, a2, 0, 0, 0};
        ASSERT_EQ(run(program, call(AUDIT_ARCH_X86_64, 54, args)) == kTrace, model(matches, args))
            << a0 << " " << a1 << " " << a2;
      }
    }
  }
}

TEST(BpfProgram, TheKernelAcceptsAProgramAsLargeAsARuleTables) {
  // 180 calls with two matches each, three tests in all: more than the
  // built-in rules give, and jumps across the whole program.
  std::map<long, std::vector<RegisterMatch>> calls;
  for (long nr = 0; nr < 180; ++nr) {
    calls[nr] = {
        {{0, 0xff, static_cast<std::uint64_t>(nr & 0xff)}, {1, ~0ull, 5, RegisterTest::Op::Lt}},
        {{2, 0xf0, 0x10}}};
  }
  const auto program = generate_program({{AUDIT_ARCH_X86_64, 0x40000000, calls}});
  ASSERT_LE(program.size(), static_cast<std::size_t>(BPF_MAXINSNS));
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    sock_fprog prog{static_cast<unsigned short>(program.size()),
                    const_cast<sock_filter*>(program.data())};
    const bool loaded = prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == 0 &&
                        syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog) == 0;
    // Straight to exit_group (not traced): the filter sends calls 0-179 to
    // a tracer there is none of, so they fail, and the sanitizers' own exit
    // path makes some of them (munmap, sigaltstack).
    syscall(SYS_exit_group, loaded ? 0 : 1);
  }
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

}  // namespace
}  // namespace capmin::tracer
