// SPDX-License-Identifier: MIT
// SeccompPlan: which calls the filter sends, for every kind of register
// condition a rule or a watcher can give, checked with would_trace() on
// registers as the kernel would see them.
#include <arpa/inet.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <linux/if_ether.h>
#include <sched.h>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/shm.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tracer/filter/SeccompPlan.h"
#include "tracer/ptrace/Abi.h"

namespace capmin::tracer {
namespace {

using Kind = FieldCondition::Kind;

int nr_of(const char* name) { return static_cast<int>(*syscall_number(Abi::Native, name)); }

// A plan with one rule on `syscall`.
SeccompPlan plan(const char* syscall, std::vector<FieldCondition> when) {
  SeccompPlan p;
  p.trace_rule(nr_of(syscall), syscall, when);
  return p;
}

bool traces(const SeccompPlan& p, const char* syscall, std::uint64_t a0 = 0, std::uint64_t a1 = 0,
            std::uint64_t a2 = 0, std::uint64_t a3 = 0, std::uint64_t a4 = 0) {
  const std::uint64_t args[6] = {a0, a1, a2, a3, a4, 0};
  return p.would_trace(nr_of(syscall), args);
}

TEST(SeccompPlan, ACallNoRuleNamesIsNotTraced) {
  const SeccompPlan p = plan("chown", {});
  EXPECT_FALSE(traces(p, "fchown"));
  EXPECT_EQ(p.matches(nr_of("fchown")), nullptr);
}

TEST(SeccompPlan, ARuleWithoutConditionsTracesEveryCall) {
  const SeccompPlan p = plan("chown", {});
  EXPECT_TRUE(p.traces_all(nr_of("chown")));
  EXPECT_TRUE(traces(p, "chown", 1, 2, 3));
}

TEST(SeccompPlan, OneOfComparesTheValueUnderTheFieldsMask) {
  const SeccompPlan p = plan("socket", {{"domain", Kind::OneOf, {"AF_INET", "AF_INET6"}}});
  EXPECT_FALSE(p.traces_all(nr_of("socket")));
  ASSERT_NE(p.matches(nr_of("socket")), nullptr);
  EXPECT_EQ(p.matches(nr_of("socket"))->size(), 2u);
  EXPECT_TRUE(traces(p, "socket", AF_INET));
  EXPECT_TRUE(traces(p, "socket", AF_INET6));
  EXPECT_FALSE(traces(p, "socket", AF_UNIX));
  // An int argument: the kernel reads the low 32 bits, whatever is above.
  EXPECT_TRUE(traces(p, "socket", 0xdead00000000ull | AF_INET));
}

TEST(SeccompPlan, ASocketTypeIgnoresItsFlags) {
  const SeccompPlan p = plan("socket", {{"type", Kind::OneOf, {"SOCK_RAW"}}});
  EXPECT_TRUE(traces(p, "socket", AF_INET, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK));
  EXPECT_FALSE(traces(p, "socket", AF_INET, SOCK_DGRAM | SOCK_CLOEXEC));
}

TEST(SeccompPlan, AnAfPacketProtocolMatchesAsTheDecoderShowsIt) {
  // packet(7) takes the ethertype in network byte order; the decoder shows
  // it in host order (ETH_P_ALL, 0x3). A name or a number in a rule must
  // match the register as the program filled it.
  for (const char* operand : {"ETH_P_ALL", "3", "0x3"}) {
    const SeccompPlan p = plan(
        "socket", {{"domain", Kind::OneOf, {"AF_PACKET"}}, {"protocol", Kind::OneOf, {operand}}});
    EXPECT_TRUE(traces(p, "socket", AF_PACKET, SOCK_RAW, htons(ETH_P_ALL))) << operand;
    EXPECT_FALSE(traces(p, "socket", AF_PACKET, SOCK_RAW, htons(ETH_P_IP))) << operand;
    EXPECT_FALSE(traces(p, "socket", AF_INET, SOCK_RAW, htons(ETH_P_ALL))) << operand;
  }
}

TEST(SeccompPlan, AnyFlagTracesACallWithAnyOfTheBits) {
  const SeccompPlan p =
      plan("unshare", {{"flags", Kind::AnyFlag, {"CLONE_NEWNET", "CLONE_NEWUTS"}}});
  EXPECT_TRUE(traces(p, "unshare", CLONE_NEWNET));
  EXPECT_TRUE(traces(p, "unshare", CLONE_NEWUTS | CLONE_NEWNS));
  EXPECT_FALSE(traces(p, "unshare", CLONE_NEWNS));
}

TEST(SeccompPlan, AllFlagsTracesACallWithEveryBit) {
  const SeccompPlan p = plan("mount", {{"flags", Kind::AllFlags, {"MS_BIND", "MS_REC"}}});
  EXPECT_TRUE(traces(p, "mount", 0, 0, 0, MS_BIND | MS_REC | MS_RDONLY));
  EXPECT_FALSE(traces(p, "mount", 0, 0, 0, MS_BIND));
}

TEST(SeccompPlan, CloneFlagsLeaveTheExitSignalOut) {
  const SeccompPlan p = plan("clone", {{"flags", Kind::AnyFlag, {"CLONE_NEWUSER"}}});
  EXPECT_TRUE(traces(p, "clone", CLONE_NEWUSER | SIGCHLD));
  EXPECT_FALSE(traces(p, "clone", SIGCHLD));
}

TEST(SeccompPlan, AModeBitIsTestedByItsNumber) {
  // How the set-id chmod watch asks for chmods that want S_ISGID.
  const SeccompPlan p = plan("fchmodat", {{"mode", Kind::AnyFlag, {"02000"}}});
  EXPECT_TRUE(traces(p, "fchmodat", AT_FDCWD, 0, 02755));
  EXPECT_FALSE(traces(p, "fchmodat", AT_FDCWD, 0, 04755));
}

TEST(SeccompPlan, IpcCommandsIgnoreTheIpc64Bit) {
  const SeccompPlan p = plan("shmctl", {{"cmd", Kind::OneOf, {"IPC_RMID"}}});
  EXPECT_TRUE(traces(p, "shmctl", 1, IPC_RMID | 0x100 /* IPC_64 */));
  EXPECT_FALSE(traces(p, "shmctl", 1, IPC_STAT));
}

TEST(SeccompPlan, OrderComparesTheWholeRegister) {
  for (auto [kind, in, out] :
       {std::tuple{Kind::Less, 4095ull, 4096ull}, std::tuple{Kind::LessEq, 4096ull, 4097ull},
        std::tuple{Kind::Greater, 4097ull, 4096ull},
        std::tuple{Kind::GreaterEq, 4096ull, 4095ull}}) {
    const SeccompPlan p = plan("mmap", {{"addr", kind, {"4096"}}});
    EXPECT_TRUE(traces(p, "mmap", in)) << static_cast<int>(kind);
    EXPECT_FALSE(traces(p, "mmap", out)) << static_cast<int>(kind);
  }
}

TEST(SeccompPlan, ADescriptorIsOrderedByTheLowWordTheKernelReads) {
  // write(unsigned int fd, ...): the upper half of the register is not the call's.
  const SeccompPlan p = plan("write", {{"fd", Kind::GreaterEq, {"1000"}}});
  EXPECT_FALSE(p.traces_all(nr_of("write")));
  EXPECT_TRUE(traces(p, "write", 1000));
  EXPECT_TRUE(traces(p, "write", 0xffffffffull));
  EXPECT_FALSE(traces(p, "write", 1));
  EXPECT_FALSE(traces(p, "write", 0x100000001ull));
}

TEST(SeccompPlan, OrderOnAPartOfARegisterIsLeftToTheRule) {
  // An int compared as a 64-bit register would be wrong for negative ones.
  const SeccompPlan p = plan("kill", {{"pid", Kind::Less, {"0"}}});
  EXPECT_TRUE(p.traces_all(nr_of("kill")));
}

TEST(SeccompPlan, ConditionsOnSeveralFieldsMustAllHold) {
  const SeccompPlan p = plan("setsockopt", {{"level", Kind::OneOf, {"SOL_SOCKET"}},
                                            {"option", Kind::OneOf, {"SO_MARK", "SO_PRIORITY"}}});
  EXPECT_TRUE(traces(p, "setsockopt", 3, SOL_SOCKET, SO_MARK));
  EXPECT_TRUE(traces(p, "setsockopt", 3, SOL_SOCKET, SO_PRIORITY));
  EXPECT_FALSE(traces(p, "setsockopt", 3, SOL_SOCKET, SO_REUSEADDR));
  EXPECT_FALSE(traces(p, "setsockopt", 3, 6 /* IPPROTO_TCP */, SO_MARK));
}

TEST(SeccompPlan, TwoTestsOfOneRegisterThatCannotHoldTogetherTraceNothing) {
  const SeccompPlan p = plan("prctl", {{"option", Kind::OneOf, {"PR_CAP_AMBIENT"}},
                                       {"option", Kind::OneOf, {"PR_CAPBSET_DROP"}}});
  EXPECT_FALSE(traces(p, "prctl", PR_CAP_AMBIENT));
  EXPECT_FALSE(traces(p, "prctl", PR_CAPBSET_DROP));
}

TEST(SeccompPlan, RulesOnOneCallAddUp) {
  SeccompPlan p;
  p.trace_rule(nr_of("prctl"), "prctl", {{"option", Kind::OneOf, {"PR_CAP_AMBIENT"}}});
  p.trace_rule(nr_of("prctl"), "prctl", {{"option", Kind::OneOf, {"PR_SET_SECUREBITS"}}});
  EXPECT_TRUE(traces(p, "prctl", PR_CAP_AMBIENT));
  EXPECT_TRUE(traces(p, "prctl", PR_SET_SECUREBITS));
  EXPECT_FALSE(traces(p, "prctl", PR_SET_NAME));
  // One rule without a testable condition makes every call stop.
  p.trace_rule(nr_of("prctl"), "prctl", {{"arg2", Kind::Other, {"x"}}});
  EXPECT_TRUE(traces(p, "prctl", PR_SET_NAME));
}

TEST(SeccompPlan, WhatTheFilterCannotTestWidensItToTheWholeCall) {
  const int openat = nr_of("openat");
  // A path lives in memory, not in a register.
  EXPECT_TRUE(plan("openat", {{"path", Kind::OneOf, {"/etc/shadow"}}}).traces_all(openat));
  // A field the call does not have, an operator without a register test,
  // a name the filter cannot resolve, and equality on a flag word.
  EXPECT_TRUE(plan("openat", {{"nonesuch", Kind::OneOf, {"1"}}}).traces_all(openat));
  EXPECT_TRUE(plan("openat", {{"flags", Kind::Other, {"O_CREAT"}}}).traces_all(openat));
  EXPECT_TRUE(plan("openat", {{"flags", Kind::AnyFlag, {"O_NONESUCH"}}}).traces_all(openat));
  EXPECT_TRUE(plan("openat", {{"flags", Kind::OneOf, {"O_CREAT"}}}).traces_all(openat));
  // A zero flag is in every value.
  EXPECT_TRUE(plan("openat", {{"flags", Kind::AnyFlag, {"O_RDONLY"}}}).traces_all(openat));
}

TEST(SeccompPlan, AnAccessModeIsAFlagTheFilterTests) {
  const SeccompPlan p = plan("openat", {{"flags", Kind::AnyFlag, {"O_WRONLY", "O_RDWR"}}});
  EXPECT_TRUE(traces(p, "openat", AT_FDCWD, 0, O_WRONLY | O_CREAT));
  EXPECT_TRUE(traces(p, "openat", AT_FDCWD, 0, O_RDWR));
  EXPECT_FALSE(traces(p, "openat", AT_FDCWD, 0, O_RDONLY | O_CLOEXEC));
}

TEST(SeccompPlan, MinusOneIsTheUnchangedIdOfAnIntRegister) {
  const SeccompPlan p = plan("fchown", {{"uid", Kind::OneOf, {"-1"}}});
  EXPECT_TRUE(traces(p, "fchown", 3, 0xffffffffu));
  EXPECT_FALSE(traces(p, "fchown", 3, 0));
}

TEST(SeccompPlan, TraceAllOverridesEveryNarrowing) {
  SeccompPlan p = plan("socket", {{"domain", Kind::OneOf, {"AF_INET"}}});
  p.trace_all(nr_of("socket"));
  EXPECT_TRUE(traces(p, "socket", AF_UNIX));
  p.trace_rule(nr_of("socket"), "socket", {{"domain", Kind::OneOf, {"AF_INET"}}});
  EXPECT_TRUE(traces(p, "socket", AF_UNIX));
  EXPECT_EQ(p.syscall_count(), 1u);
}

TEST(SeccompPlan, RegisterTestsHoldAsTheKernelComparesThem) {
  using Op = RegisterTest::Op;
  EXPECT_TRUE((RegisterTest{0, 0xff, 0x12, Op::MaskedEq}.holds(0xab12)));
  EXPECT_FALSE((RegisterTest{0, 0xff, 0x12, Op::MaskedEq}.holds(0xab13)));
  EXPECT_TRUE((RegisterTest{0, ~0ull, 5, Op::Lt}.holds(4)));
  EXPECT_FALSE((RegisterTest{0, ~0ull, 5, Op::Lt}.holds(5)));
  EXPECT_TRUE((RegisterTest{0, ~0ull, 5, Op::Le}.holds(5)));
  EXPECT_TRUE((RegisterTest{0, ~0ull, 5, Op::Gt}.holds(6)));
  EXPECT_FALSE((RegisterTest{0, ~0ull, 5, Op::Gt}.holds(5)));
  EXPECT_TRUE((RegisterTest{0, ~0ull, 5, Op::Ge}.holds(5)));
  // Unsigned: a negative number is a large one.
  EXPECT_FALSE((RegisterTest{0, ~0ull, 5, Op::Lt}.holds(static_cast<std::uint64_t>(-1))));
}

TEST(SeccompPlan, CompilesAProgramTheKernelTakesAndReusesTheLastOne) {
  const SeccompPlan p = plan("chown", {});
  const auto first = p.compile();
  ASSERT_NE(first, nullptr);
  EXPECT_FALSE(first->empty());
  EXPECT_LE(first->size(), static_cast<std::size_t>(BPF_MAXINSNS));
  // The same plan again (a --minimal round) is not generated again...
  EXPECT_EQ(plan("chown", {}).compile(), first);
  // ...and another plan is.
  EXPECT_NE(plan("fchown", {}).compile(), first);
}

TEST(SeccompPlan, TheInstalledProgramsSendWhatThePlanNames) {
  // With no tracer, a call the filter sends to one fails with ENOSYS
  // (SECCOMP_RET_TRACE); the others run. In a child, which the filter
  // outlives in no one else.
  SeccompPlan p;
  p.trace_all(nr_of("getppid"));
  const auto program = p.compile();
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 || SeccompPlan::install(*program) != 0) {
      _exit(2);
    }
    const bool sent = syscall(SYS_getppid) == -1 && errno == ENOSYS;
    const bool ran = syscall(SYS_getpid) == getpid();
    _exit(sent && ran ? 0 : 1);
  }
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0);
}

}  // namespace
}  // namespace capmin::tracer
