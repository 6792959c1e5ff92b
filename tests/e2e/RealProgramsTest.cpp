// SPDX-License-Identifier: MIT
// Programs from Debian, as a user would profile them. Each test skips, saying
// so, when its program is not installed. In deny mode a program stops at its
// first refusal, so each finds the capability of that one call.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>

#include <fstream>

#include "Harness.h"

namespace capmin::e2e {
namespace {

using Caps = std::set<std::string>;

// The program's run stopped at one refusal the rule table explains with CAP.
void expect_only(const CapminRun& r, int status, const std::string& cap, const std::string& syscall,
                 const std::string& err) {
  EXPECT_EQ(r.status, status);
  EXPECT_EQ(r.caps(), Caps{cap});
  EXPECT_EQ(r.confidence(cap), "inferred");
  const auto evidence = r.evidence(cap);
  ASSERT_EQ(evidence.size(), 1u);
  EXPECT_EQ(evidence[0]["syscall"], syscall);
  EXPECT_EQ(evidence[0]["errno"], err);
}

TEST(RealPrograms, PythonHttpServerOnPort80NeedsNetBindService) {
  CAPMIN_REQUIRE_ROOT_AND_NAMESPACES();
  REQUIRE_PROGRAM("/usr/bin/python3");
  // Fails fast: the bind is refused, Python prints a PermissionError and exits 1.
  const CapminRun r = profile_deny({"/usr/bin/python3", "-m", "http.server", "80"});
  const DescribeOnFailure described_r(r);
  expect_only(r, 1, "CAP_NET_BIND_SERVICE", "bind", "EACCES");
  EXPECT_TRUE(r.unresolved_entries().empty());
}

TEST(RealPrograms, CoreutilsChownToAnotherUserNeedsChown) {
  CAPMIN_REQUIRE_ROOT_AND_NAMESPACES();
  REQUIRE_PROGRAM("/usr/bin/chown");
  const CapminRun r = profile_deny({"/usr/bin/chown", "1234", "file"}, {.setup = "touch file"});
  const DescribeOnFailure described_r(r);
  expect_only(r, 1, "CAP_CHOWN", "fchownat", "EPERM");
}

TEST(RealPrograms, CoreutilsMknodOfACharacterDeviceNeedsMknod) {
  CAPMIN_REQUIRE_ROOT_AND_NAMESPACES();
  REQUIRE_PROGRAM("/usr/bin/mknod");
  const CapminRun r = profile_deny({"/usr/bin/mknod", "null", "c", "1", "3"});
  const DescribeOnFailure described_r(r);
  expect_only(r, 1, "CAP_MKNOD", "mknodat", "EPERM");
}

TEST(RealPrograms, CoreutilsChrootNeedsSysChroot) {
  CAPMIN_REQUIRE_ROOT_AND_NAMESPACES();
  REQUIRE_PROGRAM("/usr/sbin/chroot");
  // chroot(1) itself exits 125 when it cannot change root; capmin passes it on.
  const CapminRun r = profile_deny({"/usr/sbin/chroot", ".", "/bin/true"});
  const DescribeOnFailure described_r(r);
  expect_only(r, 125, "CAP_SYS_CHROOT", "chroot", "EPERM");
  ASSERT_TRUE(r.report.is_object());
  EXPECT_EQ(r.report["exit"]["code"], 125);
}

TEST(RealPrograms, HostnameChangingTheHostNameNeedsSysAdmin) {
  CAPMIN_REQUIRE_ROOT_AND_NAMESPACES();
  REQUIRE_PROGRAM("/usr/bin/hostname");
  // The run has its own UTS namespace: the host keeps its name.
  const CapminRun r = profile_deny({"/usr/bin/hostname", "capmin-e2e"});
  const DescribeOnFailure described_r(r);
  expect_only(r, 1, "CAP_SYS_ADMIN", "sethostname", "EPERM");
  // Proven: nothing narrower does it (sethostname checks CAP_SYS_ADMIN
  // alone), and without it hostname fails.
  const CapminRun m = profile_probe({"/usr/bin/hostname", "capmin-e2e"}, {.minimal = true});
  const DescribeOnFailure described_m(m);
  EXPECT_EQ(m.status, 0);
  EXPECT_EQ(m.caps(), std::set<std::string>{"CAP_SYS_ADMIN"});
  EXPECT_EQ(m.report["minimal"]["proven"], true) << m.report["minimal"]["summary"];
}

TEST(RealPrograms, SuToAnotherUserNeedsSetgidFirst) {
  CAPMIN_REQUIRE_ROOT_AND_NAMESPACES();
  REQUIRE_PROGRAM("/usr/bin/su");
  // su (util-linux) sets the target's groups before its uid; the refused
  // setgroups ends the run, so CAP_SETUID is never reached in deny mode.
  // Before that, PAM logs the authentication to the kernel audit log over
  // netlink (AUDIT_USER_AUTH 1100, AUDIT_USER_ACCT 1101): the kernel refuses
  // it in the reply without CAP_AUDIT_WRITE, and su carries on.
  const CapminRun r = profile_deny({"/usr/bin/su", "-s", "/bin/true", "nobody"});
  const DescribeOnFailure described_r(r);
  EXPECT_EQ(r.status, 1);
  EXPECT_EQ(r.caps(), (Caps{"CAP_SETGID", "CAP_AUDIT_WRITE"}));
  ASSERT_EQ(r.evidence("CAP_SETGID").size(), 1u);
  EXPECT_EQ(r.evidence("CAP_SETGID")[0]["syscall"], "setgroups");
  const auto audit = r.evidence("CAP_AUDIT_WRITE");
  ASSERT_FALSE(audit.empty());
  EXPECT_NE(audit[0]["args"].get<std::string>().find("protocol=NETLINK_AUDIT"), std::string::npos);
}

TEST(RealPrograms, SetprivToAnotherUserNeedsSetuidFirst) {
  CAPMIN_REQUIRE_ROOT_AND_NAMESPACES();
  REQUIRE_PROGRAM("/usr/bin/setpriv");
  // setpriv changes the uid first (with PR_SET_KEEPCAPS) and exits 127 when
  // that fails, before it touches the gid or the groups.
  const CapminRun r = profile_deny(
      {"/usr/bin/setpriv", "--reuid=1000", "--regid=1000", "--clear-groups", "/bin/true"});
  const DescribeOnFailure described_r(r);
  expect_only(r, 127, "CAP_SETUID", "setresuid", "EPERM");
}

bool has_file_capabilities(const char* path) {
  return getxattr(path, "security.capability", nullptr, 0) > 0;
}

TEST(RealPrograms, PingWithFileCapabilitiesCannotEvenStartWithoutNetRaw) {
  CAPMIN_REQUIRE_ROOT_AND_NAMESPACES();
  REQUIRE_PROGRAM("/usr/bin/ping");
  if (!has_file_capabilities("/usr/bin/ping")) {
    GTEST_SKIP()
        << "/usr/bin/ping has no file capabilities here (iputils-ping installed "
           "without setcap); PingWithoutFileCapabilitiesNeedsNetRawForItsRawSocket covers it";
  }
  // Debian installs ping with cap_net_raw=ep. The file's effective bit makes
  // the kernel refuse the execve itself with EPERM when the bounding set
  // lacks CAP_NET_RAW (security/commoncap.c:bprm_caps_from_vfs_caps), even
  // for uid 0: the program never runs, as under docker run --cap-drop=ALL.
  // capmin exits 126 (cannot execute), and the report says why.
  const CapminRun r = profile_deny({"/usr/bin/ping", "-c1", "127.0.0.1"});
  const DescribeOnFailure described_r(r);
  expect_only(r, 126, "CAP_NET_RAW", "execve", "EPERM");
}

TEST(RealPrograms, PingWithFileCapabilitiesStartedByAShellNeedsNetRaw) {
  CAPMIN_REQUIRE_ROOT_AND_NAMESPACES();
  REQUIRE_PROGRAM("/usr/bin/ping");
  if (!has_file_capabilities("/usr/bin/ping")) {
    GTEST_SKIP()
        << "/usr/bin/ping has no file capabilities here (iputils-ping installed "
           "without setcap); PingWithoutFileCapabilitiesNeedsNetRawForItsRawSocket covers it";
  }
  // The same refused execve, made by a traced shell: sh reports 126.
  const CapminRun r = profile_deny({"/bin/sh", "-c", "/usr/bin/ping -c1 127.0.0.1; exit $?"});
  const DescribeOnFailure described_r(r);
  expect_only(r, 126, "CAP_NET_RAW", "execve", "EPERM");
}

TEST(RealPrograms, PingWithoutFileCapabilitiesNeedsNetRawForItsRawSocket) {
  CAPMIN_REQUIRE_ROOT_AND_NAMESPACES();
  REQUIRE_PROGRAM("/usr/bin/ping");
  // A copy without the xattr, set-uid root as Debian installs it when setcap
  // is missing. ping tries ICMP datagram sockets first: the run's fresh
  // network namespace has net.ipv4.ping_group_range "1 0", so the kernel
  // refuses them with EACCES (ping_init_sock) and no capability changes that;
  // then raw sockets, IPv4 and IPv6, refused with EPERM for want of
  // CAP_NET_RAW. ping exits 2.
  const CapminRun r = profile_deny({"./ping", "-c1", "127.0.0.1"},
                                   {.setup = "cp /usr/bin/ping ping && chmod 4755 ping"});
  const DescribeOnFailure described_r(r);
  EXPECT_EQ(r.status, 2);
  EXPECT_EQ(r.caps(), Caps{"CAP_NET_RAW"});
  EXPECT_EQ(r.confidence("CAP_NET_RAW"), "inferred");
  const auto evidence = r.evidence("CAP_NET_RAW");
  EXPECT_FALSE(evidence.empty());
  for (const auto& e : evidence) {
    EXPECT_EQ(e["syscall"], "socket") << e.dump();
    EXPECT_EQ(e["errno"], "EPERM") << e.dump();
    EXPECT_NE(e["args"].get<std::string>().find("SOCK_RAW"), std::string::npos) << e.dump();
  }
  EXPECT_TRUE(r.unresolved("socket", "EACCES"));
  for (const auto& u : r.unresolved_entries()) {
    EXPECT_EQ(u["syscall"], "socket") << u.dump();
    EXPECT_EQ(u["errno"], "EACCES") << u.dump();
    EXPECT_NE(u["args"].get<std::string>().find("SOCK_DGRAM"), std::string::npos) << u.dump();
  }
}

}  // namespace
}  // namespace capmin::e2e

namespace capmin::e2e {
namespace {

// Probe mode: one run, every capability confirmed by the kernel.
void expect_confirmed(const CapminRun& r, const std::set<std::string>& caps) {
  EXPECT_EQ(r.status, 0);
  EXPECT_EQ(r.caps(), caps);
  for (const std::string& cap : caps) {
    EXPECT_EQ(r.confidence(cap), "confirmed") << cap;
  }
}

TEST(RealPrograms, ChrtToARealTimePolicyNeedsSysNice) {
  CAPMIN_REQUIRE_ROOT_AND_NAMESPACES();
  REQUIRE_PROGRAM("/usr/bin/chrt");
  const CapminRun r = profile_probe({"/usr/bin/chrt", "-f", "10", "/bin/true"});
  const DescribeOnFailure described_r(r);
  expect_confirmed(r, {"CAP_SYS_NICE"});
}

TEST(RealPrograms, TarKeepingAnotherUsersOwnershipNeedsChownAndFowner) {
  CAPMIN_REQUIRE_ROOT_AND_NAMESPACES();
  REQUIRE_PROGRAM("/usr/bin/tar");
  // The archive's file belongs to uid 1234: tar gives it away (CHOWN), then
  // sets the times and mode of a file that is no longer its own (FOWNER).
  const CapminRun r =
      profile_probe({"/usr/bin/tar", "-xpf", "a.tar", "--same-owner"},
                    {.setup = "echo x >f && tar --owner=1234 --group=1234 -cf a.tar f && rm f"});
  const DescribeOnFailure described_r(r);
  expect_confirmed(r, {"CAP_CHOWN", "CAP_FOWNER"});
}

TEST(RealPrograms, TarKeepingASetgidProgramOfAnotherGroupNeedsChownAndFsetid) {
  CAPMIN_REQUIRE_ROOT_AND_NAMESPACES();
  REQUIRE_PROGRAM("/usr/bin/tar");
  // A set-gid program and a set-gid directory of group 1234, root's: tar
  // gives them the group (CHOWN), then sets the modes, whose S_ISGID the
  // kernel would silently drop (FSETID). The directory's chmod goes through
  // glibc's /proc/self/fd/N: it must be looked up as the task's, not
  // capmin's.
  const std::string archive =
      "mkdir src && echo x >src/prog && mkdir src/dir && chown 0:1234 src/prog src/dir && "
      "chmod 2755 src/prog && chmod 2775 src/dir && tar -cf a.tar -C src . && rm -r src";
  const CapminRun r = profile_probe({"/usr/bin/tar", "-xpf", "a.tar", "--same-owner"},
                                    {.setup = archive, .write_through = true});
  const DescribeOnFailure described_r(r);
  expect_confirmed(r, {"CAP_CHOWN", "CAP_FSETID"});
  for (const char* name : {"/prog", "/dir"}) {
    struct stat st {};
    ASSERT_EQ(stat((r.workdir + name).c_str(), &st), 0) << name;
    EXPECT_EQ(st.st_gid, 1234u) << name;
    EXPECT_NE(st.st_mode & S_ISGID, 0u) << name;
  }
  // Without CHOWN the files stay root's group, and S_ISGID stays too.
  const CapminRun d = profile_deny({"/usr/bin/tar", "-xpf", "a.tar", "--same-owner"},
                                   {.setup = archive, .write_through = true});
  const DescribeOnFailure described_d(d);
  EXPECT_EQ(d.caps(), Caps{"CAP_CHOWN"});
  EXPECT_TRUE(d.unresolved_entries().empty());
}

TEST(RealPrograms, DmesgNeedsSyslogExactlyWhereTheKernelLogIsRestricted) {
  CAPMIN_REQUIRE_ROOT_AND_NAMESPACES();
  REQUIRE_PROGRAM("/usr/bin/dmesg");
  // kernel.dmesg_restrict is the host's (no namespace has its own), so the
  // test asserts what the kernel's setting implies either way.
  std::ifstream restrict_file("/proc/sys/kernel/dmesg_restrict");
  int restricted = -1;
  ASSERT_TRUE(restrict_file >> restricted);
  const CapminRun r = profile_probe({"/usr/bin/dmesg"});
  const DescribeOnFailure described_r(r);
  if (restricted == 1) {
    expect_confirmed(r, {"CAP_SYSLOG"});
  } else {
    expect_confirmed(r, {});
  }
}

TEST(RealPrograms, CoreutilsChmodGPlusSOnAnotherGroupsFileNeedsFsetid) {
  CAPMIN_REQUIRE_ROOT_AND_NAMESPACES();
  REQUIRE_PROGRAM("/usr/bin/chmod");
  // chmod(1) succeeds and says nothing; the file just lacks S_ISGID after.
  const CapminRun r =
      profile_deny({"/usr/bin/chmod", "g+s", "file"}, {.setup = "touch file && chown 0:1234 file"});
  const DescribeOnFailure described_r(r);
  expect_only(r, 0, "CAP_FSETID", "fchmodat", "");
}

TEST(RealPrograms, InstallOfASetgidProgramForAnotherGroupNeedsChownAndFsetid) {
  CAPMIN_REQUIRE_ROOT_AND_NAMESPACES();
  REQUIRE_PROGRAM("/usr/bin/install");
  // What a package's postinst does for a set-gid helper: both proven by the
  // kernel, and the installed file ends up as asked.
  const CapminRun r = profile_probe({"/usr/bin/install", "-g", "1234", "-m", "2755", "src", "dst"},
                                    {.setup = "echo x > src", .write_through = true});
  const DescribeOnFailure described_r(r);
  EXPECT_EQ(r.status, 0);
  EXPECT_EQ(r.caps(), (Caps{"CAP_CHOWN", "CAP_FSETID"}));
  EXPECT_EQ(r.confidence("CAP_CHOWN"), "confirmed");
  EXPECT_EQ(r.confidence("CAP_FSETID"), "confirmed");
  struct stat st {};
  ASSERT_EQ(stat((r.workdir + "/dst").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 02755u);
  EXPECT_EQ(st.st_gid, 1234u);
}

}  // namespace
}  // namespace capmin::e2e
