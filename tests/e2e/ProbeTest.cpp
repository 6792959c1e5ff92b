// SPDX-License-Identifier: MIT
// Probe mode: one run finds every capability, each confirmed by the kernel
// allowing the refused call once it is raised.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include "Harness.h"

namespace capmin::e2e {
namespace {

using Caps = std::set<std::string>;

void expect_all_confirmed(const CapminRun& r) {
  for (const std::string& cap : r.caps()) {
    EXPECT_EQ(r.confidence(cap), "confirmed") << cap;
  }
}

const char* kForeignSecret = "echo secret >secret && chown 1234:1234 secret && chmod 000 secret";

TEST(Probe, DenyModeFindsOneOfFourOperationsAndStops) {
  CAPMIN_REQUIRE_ROOT_AND_NAMESPACES();
  const CapminRun r = profile_deny({fixture("four_privileged_ops")});
  const DescribeOnFailure described(r);
  EXPECT_EQ(r.status, 1);
  EXPECT_TRUE(r.printed("FAIL bind EACCES"));
  EXPECT_EQ(r.caps(), Caps{"CAP_NET_BIND_SERVICE"});
}

TEST(Probe, ProbeModeFindsAllFourInOneRunAndTheProgramSucceeds) {
  CAPMIN_REQUIRE_ROOT_AND_NAMESPACES();
  const CapminRun r =
      profile_probe({fixture("four_privileged_ops")}, {.setup = "true", .write_through = true});
  const DescribeOnFailure described(r);
  EXPECT_EQ(r.status, 0);
  EXPECT_TRUE(r.printed("OK uid=1000 gid=1000"));
  EXPECT_EQ(r.caps(), (Caps{"CAP_CHOWN", "CAP_SETGID", "CAP_SETUID", "CAP_NET_BIND_SERVICE"}));
  expect_all_confirmed(r);
  struct stat st {};
  ASSERT_EQ(stat((r.workdir + "/four.file").c_str(), &st), 0);
  EXPECT_EQ(st.st_uid, 1234u);  // the confirmed chown took effect
  EXPECT_EQ(r.report["mode"], "probe");
}

TEST(Probe, AutoModeAsRootProbesAndSaysWhy) {
  CAPMIN_REQUIRE_ROOT_AND_NAMESPACES();
  const CapminRun r = run_capmin({"profile"}, {fixture("bind_port"), "80"});
  const DescribeOnFailure described(r);
  EXPECT_EQ(r.report["mode"], "probe");
  EXPECT_NE(r.report["mode_reason"].get<std::string>().find("auto"), std::string::npos);
  EXPECT_EQ(r.status, 0);
}

TEST(Probe, ReadingAnUnreadableFileIsConfirmedAsDacReadSearchOnly) {
  CAPMIN_REQUIRE_ROOT_AND_NAMESPACES();
  const CapminRun r = profile_probe({fixture("read_file"), "secret"}, {.setup = kForeignSecret});
  const DescribeOnFailure described(r);
  EXPECT_EQ(r.status, 0);
  EXPECT_EQ(r.caps(), Caps{"CAP_DAC_READ_SEARCH"});
  expect_all_confirmed(r);
}

TEST(Probe, WritingAnUnwritableFileIsConfirmedAsDacOverrideOnly) {
  CAPMIN_REQUIRE_ROOT_AND_NAMESPACES();
  const CapminRun r = profile_probe({fixture("write_file"), "secret"}, {.setup = kForeignSecret});
  const DescribeOnFailure described(r);
  EXPECT_EQ(r.status, 0);
  EXPECT_EQ(r.caps(), Caps{"CAP_DAC_OVERRIDE"});
  expect_all_confirmed(r);
}

TEST(Probe, ReadingAndWritingNeedsDacOverrideAlone) {
  CAPMIN_REQUIRE_ROOT_AND_NAMESPACES();
  const CapminRun r = profile_probe(
      {"/bin/sh", "-c", fixture("read_file") + " secret && " + fixture("write_file") + " secret"},
      {.setup = kForeignSecret});
  const DescribeOnFailure described(r);
  EXPECT_EQ(r.status, 0);
  EXPECT_EQ(r.caps(), Caps{"CAP_DAC_OVERRIDE"});
}

TEST(Probe, AWriteToAReadOnlyMountIsUnresolvedAndTheProgramSeesErofs) {
  CAPMIN_REQUIRE_ROOT_AND_NAMESPACES();
  const CapminRun r = profile_probe(
      {fixture("write_file"), "ro/file"},
      {.setup = "mkdir ro && touch ro/file && mount --bind ro ro && mount -o remount,bind,ro ro"});
  const DescribeOnFailure described(r);
  EXPECT_EQ(r.status, 1);
  EXPECT_TRUE(r.printed("FAIL EROFS"));
  EXPECT_TRUE(r.caps().empty());
  EXPECT_TRUE(r.unresolved("openat", "EROFS"));
}

TEST(Probe, ACallRefusedByTheProgramsOwnSeccompFilterIsUnresolved) {
  CAPMIN_REQUIRE_ROOT_AND_NAMESPACES();
  // chown is a CAP_CHOWN refusal by every appearance; the retry with
  // CAP_CHOWN raised is refused again, by the filter, so nothing is granted.
  // The program's SECCOMP_RET_ERRNO outranks capmin's SECCOMP_RET_TRACE, so
  // with capmin's filter the call never reaches the tracer at all (and no
  // capability is drawn from it either): --no-seccomp shows it.
  const CapminRun quiet = profile_probe({fixture("seccomp_chown")});
  EXPECT_TRUE(quiet.printed("FAIL EPERM"));
  EXPECT_TRUE(quiet.caps().empty());
  const CapminRun r = profile_probe({fixture("seccomp_chown")}, {}, {"--no-seccomp"});
  const DescribeOnFailure described(r);
  EXPECT_EQ(r.status, 1);
  EXPECT_TRUE(r.printed("FAIL EPERM"));
  EXPECT_TRUE(r.caps().empty());
  ASSERT_TRUE(r.unresolved("chown", "EPERM"));
  for (const auto& u : r.report["unresolved"]) {
    EXPECT_NE(u["reason"].get<std::string>().find("CAP_CHOWN"), std::string::npos) << u;
  }
}

TEST(Probe, AnImmutableFileIsUnresolved) {
  CAPMIN_REQUIRE_ROOT_AND_NAMESPACES();
  // chattr needs a file system with inode flags (tmpfs has none): a small
  // ext4 image on a loop device, inside the test's mount namespace.
  const std::string setup =
      "truncate -s 4M fs.img && mkfs.ext4 -q fs.img && mkdir fs && mount -o loop fs.img fs && "
      "echo x >fs/file && chattr +i fs/file && echo ready";
  const CapminRun r = profile_probe({fixture("write_file"), "fs/file"}, {.setup = setup});
  if (r.setup_log.find("ready") == std::string::npos) {
    GTEST_SKIP() << "cannot make an ext4 image with an immutable file here: " << r.setup_log;
  }
  const DescribeOnFailure described(r);
  EXPECT_EQ(r.status, 1);
  EXPECT_TRUE(r.printed("FAIL EPERM"));
  EXPECT_TRUE(r.caps().empty());
  EXPECT_TRUE(r.unresolved("openat", "EPERM"));
}

TEST(Probe, RefusalsFromSixteenThreadsAtOnceAreEachConfirmed) {
  CAPMIN_REQUIRE_ROOT_AND_NAMESPACES();
  const CapminRun r = profile_probe({fixture("many_threads"), "16", "1"});
  const DescribeOnFailure described(r);
  EXPECT_EQ(r.status, 0);
  EXPECT_TRUE(r.printed("refused 0"));
  EXPECT_EQ(r.caps(), Caps{"CAP_NET_BIND_SERVICE"});
  expect_all_confirmed(r);
  EXPECT_EQ(r.refusal_count("CAP_NET_BIND_SERVICE"), 16u);
}

TEST(Probe, ARefusalInAForkedChildIsConfirmed) {
  CAPMIN_REQUIRE_ROOT_AND_NAMESPACES();
  const CapminRun r = profile_probe({fixture("bind_in_child")});
  const DescribeOnFailure described(r);
  EXPECT_EQ(r.caps(), Caps{"CAP_NET_BIND_SERVICE"});
  expect_all_confirmed(r);
}

TEST(Probe, ARefusalAfterAnExecveIsSeenAndTheEffectiveSetIsEmptyThere) {
  CAPMIN_REQUIRE_ROOT_AND_NAMESPACES();
  // execve as uid 0 hands the new program a full effective set: capmin
  // empties it before the program's first call.
  const CapminRun r = profile_probe(
      {"/bin/sh", "-c",
       "grep -E '^Cap(Eff|Prm)' /proc/self/status; exec " + fixture("bind_port") + " 80"});
  const DescribeOnFailure described(r);
  EXPECT_EQ(r.status, 0);
  EXPECT_TRUE(r.printed("CapEff:\t0000000000000000"));
  EXPECT_FALSE(r.printed("CapPrm:\t0000000000000000"));
  EXPECT_EQ(r.caps(), Caps{"CAP_NET_BIND_SERVICE"});
  expect_all_confirmed(r);
}

TEST(Probe, ANonRootUserThatNeedsNetBindServiceIsConfirmed) {
  CAPMIN_REQUIRE_ROOT_AND_NAMESPACES();
  const CapminRun r = profile_probe({"/bin/sh", "-c", "id -u; " + fixture("bind_port") + " 80"}, {},
                                    {"--user", "1000:1000"});
  const DescribeOnFailure described(r);
  EXPECT_EQ(r.status, 0);
  EXPECT_TRUE(r.printed("1000"));
  EXPECT_EQ(r.caps(), Caps{"CAP_NET_BIND_SERVICE"});
  expect_all_confirmed(r);
}

TEST(Probe, TheInjectedCallsLeaveNoTraceInTheProgram) {
  CAPMIN_REQUIRE_ROOT_AND_NAMESPACES();
  const CapminRun r = profile_probe({fixture("registers_preserved")});
  const DescribeOnFailure described(r);
  EXPECT_TRUE(r.printed("result 0"));  // the retried bind succeeded
  EXPECT_TRUE(r.printed("OK"));
  EXPECT_EQ(r.status, 0);
  EXPECT_EQ(r.caps(), Caps{"CAP_NET_BIND_SERVICE"});
  const CapminRun d = profile_deny({fixture("registers_preserved")});
  EXPECT_TRUE(d.printed("result -13"));  // EACCES, as without capmin's help
  EXPECT_TRUE(d.printed("OK"));
}

TEST(Probe, SeteuidBackToRootDoesNotLeakThePermittedSet) {
  CAPMIN_REQUIRE_ROOT_AND_NAMESPACES();
  // seteuid(1000) itself needs CAP_SETUID, even for root: 1000 is none of
  // its current ids (kernel/sys.c:__sys_setresuid).
  const CapminRun r = profile_probe({fixture("seteuid_roundtrip")});
  const DescribeOnFailure described(r);
  EXPECT_TRUE(r.printed("CapEff:\t0000000000000000"));
  EXPECT_EQ(r.status, 0);
  EXPECT_EQ(r.caps(), (Caps{"CAP_SETUID", "CAP_NET_BIND_SERVICE"}));
  expect_all_confirmed(r);
}

TEST(Probe, AccessIsCheckedAgainstTheEffectiveSet) {
  CAPMIN_REQUIRE_ROOT_AND_NAMESPACES();
  // Without capmin's rewrite, access() for uid 0 would pass on the
  // permitted set and the refusal Docker gives would never be seen.
  const CapminRun r = profile_probe({fixture("access_file"), "secret"}, {.setup = kForeignSecret});
  const DescribeOnFailure described(r);
  EXPECT_EQ(r.status, 0);
  EXPECT_EQ(r.caps(), Caps{"CAP_DAC_READ_SEARCH"});
  expect_all_confirmed(r);
  const auto e = r.evidence("CAP_DAC_READ_SEARCH");
  ASSERT_EQ(e.size(), 1u);
  EXPECT_EQ(e[0]["syscall"], "access");
  // Deny mode sees the same refusal.
  const CapminRun d = profile_deny({fixture("access_file"), "secret"}, {.setup = kForeignSecret});
  EXPECT_EQ(d.caps(), Caps{"CAP_DAC_READ_SEARCH"});
}

TEST(Probe, AProgramThatRaisesItsOwnCapabilityNeedsIt) {
  CAPMIN_REQUIRE_ROOT_AND_NAMESPACES();
  const CapminRun r = profile_probe({fixture("raise_own_cap")});
  const DescribeOnFailure described(r);
  EXPECT_EQ(r.status, 0);
  EXPECT_EQ(r.caps(), Caps{"CAP_NET_BIND_SERVICE"});
  const auto e = r.evidence("CAP_NET_BIND_SERVICE");
  ASSERT_FALSE(e.empty());
  EXPECT_EQ(e[0]["syscall"], "capset");
  // Under --cap-drop=ALL the capset itself is refused, and names the same.
  const CapminRun d = profile_deny({fixture("raise_own_cap")});
  EXPECT_TRUE(d.printed("FAIL capset EPERM"));
  EXPECT_EQ(d.caps(), Caps{"CAP_NET_BIND_SERVICE"});
}

TEST(Probe, ANetlinkRefusalIsFoundInTheReplyInBothModes) {
  CAPMIN_REQUIRE_ROOT_AND_NAMESPACES();
  for (const char* mode : {"deny", "probe"}) {
    const CapminRun r = run_capmin({"profile", "--mode", mode}, {fixture("netlink_lo_up")});
    const DescribeOnFailure described(r);
    EXPECT_TRUE(r.printed("FAIL EPERM")) << mode;
    EXPECT_EQ(r.caps(), Caps{"CAP_NET_ADMIN"}) << mode;
    const auto e = r.evidence("CAP_NET_ADMIN");
    ASSERT_FALSE(e.empty()) << mode;
    EXPECT_NE(e[0]["args"].get<std::string>().find("request=RTM_NEWLINK"), std::string::npos);
  }
}

TEST(Probe, IpLinkSetUpNeedsNetAdmin) {
  CAPMIN_REQUIRE_ROOT_AND_NAMESPACES();
  const CapminRun r = profile_probe({"ip", "link", "set", "lo", "down"});
  const DescribeOnFailure described(r);
  EXPECT_EQ(r.status, 2);
  EXPECT_EQ(r.caps(), Caps{"CAP_NET_ADMIN"});
}

TEST(Probe, LinkatOfAnOlderFdIsNotMistakenForANeed) {
  CAPMIN_REQUIRE_ROOT_AND_NAMESPACES();
  // Natively (and in deny mode) uid 0 links its own O_TMPFILE without any
  // capability; capmin's capset for the bind gives the thread new
  // credentials, which linkat(AT_EMPTY_PATH) then rejects with ENOENT.
  const CapminRun d = profile_deny({fixture("linkat_tmpfile")}, {.write_through = true});
  ASSERT_TRUE(d.printed("OK")) << "the premise: linkat works without capabilities";
  const CapminRun r = profile_probe({fixture("linkat_tmpfile")}, {.write_through = true});
  const DescribeOnFailure described(r);
  EXPECT_TRUE(r.printed("bind OK"));
  EXPECT_TRUE(r.printed("OK"));
  EXPECT_EQ(r.status, 0);
  EXPECT_EQ(r.caps(), Caps{"CAP_NET_BIND_SERVICE"});
  EXPECT_EQ(access((r.workdir + "/named").c_str(), F_OK), 0);
}

}  // namespace
}  // namespace capmin::e2e

namespace capmin::e2e {
namespace {

TEST(Probe, AProvenCapabilityStaysRaisedInItsThreadAndItsChildrenUntilExecve) {
  CAPMIN_REQUIRE_ROOT_AND_NAMESPACES();
  // Binds port 80 twice, forks a child that binds again, then executes
  // grep: one refusal (the first bind); the child inherits the raised
  // capability as it inherits every other; the new program starts with an
  // empty effective set again, as execve under --cap-drop=ALL gives it.
  const std::string script =
      "import os, socket\n"
      "def bind():\n"
      "    s = socket.socket(); s.bind(('127.0.0.1', 80)); s.close()\n"
      "bind(); bind()\n"
      "print([l for l in open('/proc/self/status') if l.startswith('CapEff')][0].strip(), "
      "flush=True)\n"
      "pid = os.fork()\n"
      "if pid == 0:\n"
      "    bind(); os._exit(0)\n"
      "os.waitpid(pid, 0)\n"
      "os.execv('/bin/grep', ['grep', 'CapEff', '/proc/self/status'])\n";
  const CapminRun r = profile_probe({"/usr/bin/python3", "-c", script});
  const DescribeOnFailure described(r);
  EXPECT_EQ(r.status, 0);
  EXPECT_TRUE(r.printed("CapEff:\t0000000000000400"));  // CAP_NET_BIND_SERVICE (10)
  EXPECT_TRUE(r.printed("CapEff:\t0000000000000000"));  // grep, after execve
  EXPECT_EQ(r.caps(), Caps{"CAP_NET_BIND_SERVICE"});
  EXPECT_EQ(r.confidence("CAP_NET_BIND_SERVICE"), "confirmed");
  EXPECT_EQ(r.refusal_count("CAP_NET_BIND_SERVICE"), 1u);
}

}  // namespace
}  // namespace capmin::e2e

namespace capmin::e2e {
namespace {

// A thread that left uid 0 has an empty effective set, in a container as
// here: its refusals are no capability's to cure.

TEST(Probe, ARefusalAfterLeavingUidZeroIsUnresolvedNotRetried) {
  CAPMIN_REQUIRE_ROOT_AND_NAMESPACES();
  const CapminRun r =
      profile_probe({"/usr/bin/python3", "-c",
                     "import os\nos.seteuid(65534)\nprint('READ', open('secret').read())"},
                    {.setup = "echo hidden >secret && chmod 600 secret"});
  const DescribeOnFailure described(r);
  // seteuid(65534) needs CAP_SETUID (65534 is none of root's ids); the
  // read as 65534 fails as it would in any container.
  EXPECT_EQ(r.status, 1);
  EXPECT_FALSE(r.printed("READ hidden"));
  EXPECT_EQ(r.caps(), Caps{"CAP_SETUID"});
  EXPECT_EQ(r.confidence("CAP_SETUID"), "confirmed");
  ASSERT_TRUE(r.unresolved("openat", "EACCES"));
  for (const auto& u : r.unresolved_entries()) {
    EXPECT_NE(u["reason"].get<std::string>().find("euid 65534"), std::string::npos) << u;
  }
}

// capmin keeps a thread's ids from one refusal to the next; each uid change
// must be seen, whether the program made it (seteuid(0) here) or a retry did
// (seteuid(65534), retried with CAP_SETUID).
TEST(Probe, EachUidChangeIsSeenBetweenRefusals) {
  CAPMIN_REQUIRE_ROOT_AND_NAMESPACES();
  const std::string read = "\ntry:\n  open('secret').read()\nexcept OSError as e:\n  print(e)\n";
  const CapminRun r =
      profile_probe({"/usr/bin/python3", "-c",
                     "import os" + read + "os.seteuid(65534)" + read + "os.seteuid(0)" + read},
                    {.setup = "echo hidden >secret && chown 1234 secret && chmod 600 secret"});
  const DescribeOnFailure described(r);
  EXPECT_EQ(r.status, 0);
  // Read as root twice (cured by DAC_READ_SEARCH, which then stays raised
  // until the uid changes), and once as 65534 in between, where no
  // capability helps.
  EXPECT_EQ(r.caps(), (Caps{"CAP_DAC_READ_SEARCH", "CAP_SETUID"}));
  EXPECT_EQ(r.refusal_count("CAP_DAC_READ_SEARCH"), 2u);  // the first and the last read
  ASSERT_TRUE(r.unresolved("openat", "EACCES"));
  for (const auto& u : r.unresolved_entries()) {
    EXPECT_EQ(u["count"], 1) << u;  // the read as 65534 alone
    EXPECT_NE(u["reason"].get<std::string>().find("euid 65534"), std::string::npos) << u;
  }
}

TEST(Probe, ASetuidProgramOfAnotherUserIsRefusedAsThatUserInDenyMode) {
  CAPMIN_REQUIRE_ROOT_AND_NAMESPACES();
  // A set-uid program owned by uid 1000 runs with euid 1000 and no
  // capabilities: another user's secret is out of its reach whatever the
  // container is granted. The same program without the set-uid bit runs as
  // root and needs CAP_DAC_READ_SEARCH.
  const std::string setup = "cp " + fixture("read_file") +
                            " ./reader && chown 1000 reader && echo s >secret && "
                            "chown 1234 secret && chmod 600 secret";
  const CapminRun suid =
      profile_deny({"./reader", "secret"}, {.setup = setup + " && chmod 4755 reader"});
  {
    const DescribeOnFailure described(suid);
    EXPECT_TRUE(suid.printed("FAIL EACCES"));
    EXPECT_EQ(suid.caps(), Caps{});
    ASSERT_TRUE(suid.unresolved("openat", "EACCES"));
    EXPECT_NE(suid.unresolved_entries()[0]["reason"].get<std::string>().find("euid 1000"),
              std::string::npos);
  }
  const CapminRun plain = profile_deny({"./reader", "secret"}, {.setup = setup});
  const DescribeOnFailure described(plain);
  EXPECT_EQ(plain.caps(), Caps{"CAP_DAC_READ_SEARCH"});
  EXPECT_TRUE(plain.unresolved_entries().empty());
}

}  // namespace
}  // namespace capmin::e2e

namespace capmin::e2e {
namespace {

TEST(Probe, ACapabilityTheProgramGaveUpIsNotRetriedOrCounted) {
  CAPMIN_REQUIRE_ROOT_AND_NAMESPACES();
  // The pattern of daemons that keep one capability as another user:
  // PR_SET_KEEPCAPS, setresuid(1000), capset down to CAP_NET_BIND_SERVICE.
  // Its later refused read needs CAP_DAC_READ_SEARCH, which it gave up: a
  // container granting it would see the same refusal.
  const std::string script =
      "import ctypes, os, socket\n"
      "libc = ctypes.CDLL(None, use_errno=True)\n"
      "assert libc.prctl(8, 1, 0, 0, 0) == 0\n"  // PR_SET_KEEPCAPS
      "os.setresgid(1000, 1000, 1000)\n"
      "os.setresuid(1000, 1000, 1000)\n"
      "hdr = (ctypes.c_uint32 * 2)(0x20080522, 0)\n"
      "data = (ctypes.c_uint32 * 6)(1 << 10, 1 << 10, 0, 0, 0, 0)\n"
      "assert libc.capset(hdr, data) == 0, ctypes.get_errno()\n"
      "s = socket.socket(); s.bind(('127.0.0.1', 80)); print('BOUND')\n"
      "try:\n"
      "    open('secret').read(); print('READ')\n"
      "except PermissionError:\n"
      "    print('REFUSED')\n";
  const CapminRun r =
      profile_probe({"/usr/bin/python3", "-c", script},
                    {.setup = "echo s >secret && chown 1234 secret && chmod 600 secret"});
  const DescribeOnFailure described(r);
  EXPECT_EQ(r.status, 0);
  EXPECT_TRUE(r.printed("BOUND"));
  EXPECT_TRUE(r.printed("REFUSED"));
  EXPECT_EQ(r.caps(), (Caps{"CAP_SETGID", "CAP_SETUID", "CAP_NET_BIND_SERVICE"}));
  ASSERT_TRUE(r.unresolved("openat", "EACCES"));
  for (const auto& u : r.unresolved_entries()) {
    EXPECT_NE(u["reason"].get<std::string>().find("gave it up"), std::string::npos) << u;
  }
}

}  // namespace
}  // namespace capmin::e2e

namespace capmin::e2e {
namespace {

TEST(Probe, WithoutTheFilterARewrittenAccessDoesNotNameTheNextRefusal) {
  CAPMIN_REQUIRE_ROOT_AND_NAMESPACES();
  // ld.so's access("/etc/ld.so.preload") is rewritten at its entry and
  // fails with ENOENT; the next refusal is sethostname's, and must say so.
  const CapminRun r = profile_probe({"/usr/bin/hostname", "capmin-e2e"}, {}, {"--no-seccomp"});
  const DescribeOnFailure described(r);
  EXPECT_EQ(r.status, 0);
  EXPECT_EQ(r.caps(), Caps{"CAP_SYS_ADMIN"});
  const auto e = r.evidence("CAP_SYS_ADMIN");
  ASSERT_EQ(e.size(), 1u);
  EXPECT_EQ(e[0]["syscall"], "sethostname");
  EXPECT_TRUE(r.unresolved_entries().empty());
}

}  // namespace
}  // namespace capmin::e2e

namespace capmin::e2e {
namespace {

// Threads that left uid 0 but still hold capabilities the program arranged
// for: their refusals stay needs.

const char* kBindAsNobody =
    "import os, socket\n"
    "s = socket.socket(); s.bind(('127.0.0.1', 80)); print('BOUND', os.geteuid(), flush=True)\n";

TEST(Probe, AmbientCapabilitiesKeepANonRootProgramsRefusalsReachable) {
  CAPMIN_REQUIRE_ROOT_AND_NAMESPACES();
  // setpriv is util-linux's, which every Debian system has (Essential: yes).
  ASSERT_EQ(access("/usr/bin/setpriv", X_OK), 0) << "util-linux's setpriv is missing";
  // setpriv raises the ambient set, then runs python as 65534: python's
  // effective set is the ambient set, in a container granted it too.
  const CapminRun r =
      profile_probe({"/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                     "--inh-caps=+net_bind_service", "--ambient-caps=+net_bind_service",
                     "/usr/bin/python3", "-c", kBindAsNobody});
  const DescribeOnFailure described(r);
  EXPECT_EQ(r.status, 0);
  EXPECT_TRUE(r.printed("BOUND 65534"));
  EXPECT_TRUE(r.caps().count("CAP_NET_BIND_SERVICE"));
  // (python's look at /root/.local as 65534 is rightly out of reach.)
  EXPECT_FALSE(r.unresolved("bind", "EACCES"));
}

TEST(Probe, NoSetuidFixupKeepsANonRootThreadsRefusalsReachable) {
  CAPMIN_REQUIRE_ROOT_AND_NAMESPACES();
  // SECBIT_NO_SETUID_FIXUP: setresuid(65534) keeps the effective set.
  const std::string script = std::string(
                                 "import ctypes, os\n"
                                 "libc = ctypes.CDLL(None, use_errno=True)\n"
                                 "assert libc.prctl(28, 4 | 8, 0, 0, 0) == 0, ctypes.get_errno()\n"
                                 "os.setresuid(65534, 65534, 65534)\n") +
                             kBindAsNobody;
  const CapminRun r = profile_probe({"/usr/bin/python3", "-c", script});
  const DescribeOnFailure described(r);
  EXPECT_EQ(r.status, 0);
  EXPECT_TRUE(r.printed("BOUND 65534"));
  EXPECT_EQ(r.caps(), (Caps{"CAP_SETUID", "CAP_SETPCAP", "CAP_NET_BIND_SERVICE"}));
  EXPECT_TRUE(r.unresolved_entries().empty());
}

TEST(Probe, IterateSeesACapsetThatKeepsCapabilitiesAfterSetuid) {
  CAPMIN_REQUIRE_ROOT_AND_NAMESPACES();
  // PR_SET_KEEPCAPS, setresuid(65534), capset(effective = permitted): in the
  // rounds that grant SETUID the capset succeeds, and the bind that follows
  // is a need, not a refusal out of reach.
  const std::string script = std::string(
                                 "import ctypes, os\n"
                                 "libc = ctypes.CDLL(None, use_errno=True)\n"
                                 "assert libc.prctl(8, 1, 0, 0, 0) == 0\n"
                                 "os.setresuid(65534, 65534, 65534)\n"
                                 "hdr = (ctypes.c_uint32 * 2)(0x20080522, 0)\n"
                                 "data = (ctypes.c_uint32 * 6)()\n"
                                 "assert libc.capget(hdr, data) == 0\n"
                                 "data[0], data[3] = data[1], data[4]\n"
                                 "assert libc.capset(hdr, data) == 0, ctypes.get_errno()\n") +
                             kBindAsNobody;
  const CapminRun r =
      run_capmin({"profile", "--mode", "deny", "--iterate"}, {"/usr/bin/python3", "-c", script});
  const DescribeOnFailure described(r);
  EXPECT_EQ(r.status, 0);
  EXPECT_EQ(r.caps(), (Caps{"CAP_SETUID", "CAP_NET_BIND_SERVICE"}));
}

}  // namespace
}  // namespace capmin::e2e
