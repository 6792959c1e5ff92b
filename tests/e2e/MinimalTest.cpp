// SPDX-License-Identifier: MIT
// The proven minimal set, capmin profile's default: refusals the program
// shrugs off leave the set, narrower capabilities replace broader ones, a
// capability whose absence the program reports stays, one capmin cannot
// grant is kept and marked, and every run starts from the same directory.
// Each case is a fixture and a real Debian program, with the first run's
// answer (--no-minimal) beside the proven one.
#include <sys/stat.h>
#include <unistd.h>

#include "Harness.h"

namespace capmin::e2e {
namespace {

using Caps = std::set<std::string>;

// Another user's files: one nobody else may touch, one only its owner may write.
const char* kForeignFiles =
    "echo secret >secret && chown 1234:1234 secret && chmod 000 secret && "
    "echo data >data && chown 1234:1234 data && chmod 600 data";

Options minimal(const std::string& setup) {
  Options o;
  o.setup = setup;
  o.minimal = true;
  return o;
}

// The capabilities the report lists as refused but not needed.
Caps not_needed(const CapminRun& r) {
  Caps names;
  for (const auto& n : r.report.value("not_needed", nlohmann::json::array())) {
    names.insert(n["capability"].get<std::string>());
  }
  return names;
}

// The note of a capability's finding, or "".
std::string note_of(const CapminRun& r, const std::string& cap) {
  for (const auto& f : r.report["findings"]) {
    if (f["capability"] == cap) {
      return f.value("note", "");
    }
  }
  return "";
}

void expect_proven(const CapminRun& r) {
  ASSERT_TRUE(r.report.contains("minimal")) << "no proof in the report";
  EXPECT_EQ(r.report["minimal"]["proven"], true) << r.report["minimal"]["summary"];
  EXPECT_GT(r.report["minimal"]["run_count"].get<int>(), 0);
  EXPECT_TRUE(r.report["verification"]["passed"]);
}

TEST(Minimal, TouchOfAnotherUsersFileNeedsOnlyFownerAndTheFileIsLeftAsItWas) {
  CAPMIN_REQUIRE_ROOT_AND_NAMESPACES();
  REQUIRE_PROGRAM("/usr/bin/touch");
  // touch opens the file to create it (refused: DAC_OVERRIDE would cure it),
  // then sets its times by name, which needs FOWNER alone.
  const std::string setup =
      "echo x >f && chown 1234:1234 f && chmod 644 f && touch -d 2001-01-01 f";
  const std::vector<std::string> touch = {"/usr/bin/touch", "-d", "2020-01-01", "f"};
  const CapminRun first = profile_probe(touch, {.setup = setup});
  const CapminRun r = profile_probe(touch, minimal(setup));
  const DescribeOnFailure described(r);
  EXPECT_EQ(first.caps(), (Caps{"CAP_DAC_OVERRIDE", "CAP_FOWNER"}));
  EXPECT_EQ(r.status, 0);
  EXPECT_EQ(r.caps(), Caps{"CAP_FOWNER"});
  EXPECT_EQ(not_needed(r), Caps{"CAP_DAC_OVERRIDE"});
  EXPECT_NE(r.report["not_needed"][0]["shown_by"].get<std::string>().find("DAC_OVERRIDE withheld"),
            std::string::npos);
  EXPECT_FALSE(r.report["not_needed"][0]["evidence"].empty());
  EXPECT_TRUE(r.printed("  CAP_DAC_OVERRIDE  refused, not needed: the program works without it"));
  expect_proven(r);
  // Every run wrote to an overlay of its own: the real file keeps its times.
  struct stat st {};
  ASSERT_EQ(stat((r.workdir + "/f").c_str(), &st), 0);
  EXPECT_LT(st.st_mtime, 1000000000 + 86400 * 365);

  // Deny mode, proven by the untraced runs alone, gives the same set.
  const CapminRun d = profile_deny(touch, minimal(setup));
  const DescribeOnFailure described_d(d);
  EXPECT_EQ(d.caps(), Caps{"CAP_FOWNER"});
  EXPECT_EQ(not_needed(d), Caps{"CAP_DAC_OVERRIDE"});
}

TEST(Minimal, AnOptionalFileTheProgramCannotReadIsNotNeeded) {
  CAPMIN_REQUIRE_ROOT_AND_NAMESPACES();
  const std::string setup = std::string(kForeignFiles) + " && touch owned";
  const std::vector<std::string> cmd = {fixture("read_optional_then_chown"), "secret", "owned"};
  const CapminRun first = profile_probe(cmd, {.setup = setup});
  const CapminRun r = profile_probe(cmd, minimal(setup));
  const DescribeOnFailure described(r);
  EXPECT_EQ(first.caps(), (Caps{"CAP_CHOWN", "CAP_DAC_READ_SEARCH"}));
  EXPECT_EQ(r.status, 0);
  EXPECT_EQ(r.caps(), Caps{"CAP_CHOWN"});
  EXPECT_EQ(not_needed(r), Caps{"CAP_DAC_READ_SEARCH"});
  expect_proven(r);
}

TEST(Minimal, AReadWriteOpenThatFallsBackToReadOnlyNeedsOnlyDacReadSearch) {
  CAPMIN_REQUIRE_ROOT_AND_NAMESPACES();
  // The read-write open is cured by DAC_OVERRIDE, which then stays raised:
  // the first run never tries the read-only open. Withheld, it does.
  const std::vector<std::string> cmd = {fixture("open_rw_fallback"), "data"};
  const CapminRun first = profile_probe(cmd, {.setup = kForeignFiles});
  const CapminRun r = profile_probe(cmd, minimal(kForeignFiles));
  const DescribeOnFailure described(r);
  EXPECT_EQ(first.caps(), Caps{"CAP_DAC_OVERRIDE"});
  EXPECT_TRUE(first.printed("read 5 bytes, opened read-write"));
  EXPECT_EQ(r.status, 0);
  EXPECT_EQ(r.caps(), Caps{"CAP_DAC_READ_SEARCH"});
  EXPECT_EQ(r.confidence("CAP_DAC_READ_SEARCH"), "confirmed");
  EXPECT_EQ(not_needed(r), Caps{"CAP_DAC_OVERRIDE"});
  const auto& run2 = r.report["minimal"]["runs"][0];
  EXPECT_EQ(run2["capability"], "CAP_DAC_OVERRIDE");
  EXPECT_EQ(run2["passed"], true);
  EXPECT_EQ(run2["found"], nlohmann::json::array({"CAP_DAC_READ_SEARCH"}));
  // Later runs are quiet: the user sees the program's output once.
  EXPECT_FALSE(r.printed("read 5 bytes, opened read-only"));
  expect_proven(r);
}

TEST(Minimal, SqliteReadingAnotherUsersDatabaseNeedsOnlyDacReadSearch) {
  CAPMIN_REQUIRE_ROOT_AND_NAMESPACES();
  REQUIRE_PROGRAM("/usr/bin/python3");
  // SQLite opens a database read-write and falls back to read-only.
  const std::string setup =
      "/usr/bin/python3 -c \"import sqlite3; c = sqlite3.connect('db'); "
      "c.execute('create table t(x)'); c.execute('insert into t values (42)'); c.commit()\" && "
      "chown 1234:1234 db && chmod 600 db";
  const std::vector<std::string> cmd = {
      "/usr/bin/python3", "-c",
      "import sqlite3; print('answer', sqlite3.connect('db').execute('select x from t')"
      ".fetchone()[0])"};
  const CapminRun first = profile_probe(cmd, {.setup = setup});
  const CapminRun r = profile_probe(cmd, minimal(setup));
  const DescribeOnFailure described(r);
  EXPECT_EQ(first.caps(), Caps{"CAP_DAC_OVERRIDE"});
  EXPECT_EQ(r.status, 0);
  EXPECT_TRUE(r.printed("answer 42"));
  EXPECT_EQ(r.caps(), Caps{"CAP_DAC_READ_SEARCH"});
  EXPECT_EQ(not_needed(r), Caps{"CAP_DAC_OVERRIDE"});
  expect_proven(r);
}

TEST(Minimal, AProgramThatSaysItLacksACapabilityAndCarriesOnKeepsIt) {
  CAPMIN_REQUIRE_ROOT_AND_NAMESPACES();
  const CapminRun r =
      profile_probe({fixture("chown_or_warn"), "ctl.sock"}, minimal("touch ctl.sock"));
  const DescribeOnFailure described(r);
  EXPECT_EQ(r.status, 0);
  EXPECT_EQ(r.caps(), Caps{"CAP_CHOWN"});
  EXPECT_TRUE(not_needed(r).empty());
  EXPECT_EQ(note_of(r, "CAP_CHOWN")
                .rfind("needed: without it the program says \"warning: cannot chown ctl.sock: "
                       "Operation not permitted; serving without it\"",
                       0),
            0u)
      << note_of(r, "CAP_CHOWN");
  expect_proven(r);
  // The user's own criterion says such a run is fine: then it goes.
  const CapminRun told = profile_probe({fixture("chown_or_warn"), "ctl.sock"},
                                       minimal("touch ctl.sock"), {"--expect-output", "serving"});
  const DescribeOnFailure described_told(told);
  EXPECT_TRUE(told.caps().empty());
  EXPECT_EQ(not_needed(told), Caps{"CAP_CHOWN"});
}

// What a daemon sends to syslog: capmin mounts a socket of its own over
// /dev/log in each run's mount namespace (over an overlay of /dev where
// there is none), so the complaint is seen and the host's log is left alone.
TEST(Minimal, ADaemonThatLogsToSyslogThatItLacksACapabilityKeepsIt) {
  CAPMIN_REQUIRE_ROOT_AND_NAMESPACES();
  for (const char* runtime : {"native", "runc"}) {
    SCOPED_TRACE(runtime);
    const CapminRun r =
        profile_probe({fixture("chown_or_syslog"), "ctl.sock"}, minimal("touch ctl.sock"),
                      {std::string("--verify=") + runtime});
    const DescribeOnFailure described(r);
    EXPECT_EQ(r.status, 0);
    EXPECT_EQ(r.caps(), Caps{"CAP_CHOWN"});
    EXPECT_TRUE(not_needed(r).empty());
    const std::string note = note_of(r, "CAP_CHOWN");
    EXPECT_EQ(note.rfind("needed: without it the program says \"syslog: daemon.err: "
                         "chown_or_syslog[",
                         0),
              0u)
        << note;
    EXPECT_NE(note.find("]: cannot chown ctl.sock: Operation not permitted; serving without it"),
              std::string::npos)
        << note;
    expect_proven(r);
    EXPECT_EQ(r.report["verification"]["runtime"], runtime);
    // The first run's syslog is passed on to the user, on standard error.
    EXPECT_NE(r.err.find("syslog: daemon.info: chown_or_syslog["), std::string::npos) << r.err;
  }
}

TEST(Minimal, LoggerCalledWhenAChownIsRefusedKeepsChown) {
  CAPMIN_REQUIRE_ROOT_AND_NAMESPACES();
  REQUIRE_PROGRAM("/usr/bin/logger");
  const CapminRun r = profile_probe(
      {"/bin/sh", "-c",
       "chown 1234 ctl.sock 2>/dev/null || logger -t timed -p daemon.err 'cannot chown "
       "ctl.sock'; echo serving"},
      minimal("touch ctl.sock"));
  const DescribeOnFailure described(r);
  EXPECT_EQ(r.status, 0);
  EXPECT_EQ(r.caps(), Caps{"CAP_CHOWN"});
  EXPECT_EQ(note_of(r, "CAP_CHOWN"),
            "needed: without it the program says \"syslog: daemon.err: timed: cannot chown "
            "ctl.sock\"");
  expect_proven(r);
}

TEST(Minimal, NiceThatCannotRaiseThePriorityRunsTheCommandAnywayAndKeepsSysNice) {
  CAPMIN_REQUIRE_ROOT_AND_NAMESPACES();
  REQUIRE_PROGRAM("/usr/bin/nice");
  // Without SYS_NICE, nice warns and still runs the command: exit 0.
  const CapminRun r = profile_probe({"/usr/bin/nice", "-n", "-5", "/bin/true"}, minimal("true"));
  const DescribeOnFailure described(r);
  EXPECT_EQ(r.status, 0);
  EXPECT_EQ(r.caps(), Caps{"CAP_SYS_NICE"});
  EXPECT_NE(note_of(r, "CAP_SYS_NICE").find("nice: cannot set niceness: Permission denied"),
            std::string::npos)
      << note_of(r, "CAP_SYS_NICE");
  expect_proven(r);
}

TEST(Minimal, ACapabilityCapminDoesNotHoldIsKeptMarkedAndNeverGranted) {
  CAPMIN_REQUIRE_ROOT_AND_NAMESPACES();
  REQUIRE_PROGRAM("/usr/bin/setpriv");
  REQUIRE_PROGRAM("/usr/bin/nice");
  // capmin started without SYS_NICE in its bounding set, as on hosts that
  // withhold a capability from root: nice cannot be tested, chown can.
  std::string out;
  const int rc = run_script_in_namespaces(
      "touch f; setpriv --bounding-set -sys_nice \"$CAPMIN_BIN\" profile --mode probe "
      "-o report.json -O profile.txt -- /bin/sh -c 'nice -n -5 true; chown 1234 f' "
      ">/dev/null 2>err.txt; echo \"status $?\"; cat err.txt profile.txt; echo '=== report'; "
      "cat report.json",
      out);
  ASSERT_EQ(rc, 0) << out;
  EXPECT_NE(out.find("status 0"), std::string::npos) << out;
  EXPECT_EQ(out.find("capset"), std::string::npos) << out;
  const nlohmann::json report = nlohmann::json::parse(out.substr(out.find("=== report") + 11));
  EXPECT_EQ(report["capabilities"], nlohmann::json::array({"CAP_CHOWN", "CAP_SYS_NICE"})) << out;
  for (const auto& f : report["findings"]) {
    if (f["capability"] == "CAP_SYS_NICE") {
      EXPECT_EQ(
          f.value("note", "").rfind("needed? cannot be tested here: capmin does not hold it", 0),
          0u)
          << f;
    }
  }
  EXPECT_EQ(report["minimal"]["untestable"], nlohmann::json::array({"CAP_SYS_NICE"}));
  EXPECT_EQ(report["minimal"]["proven"], false);
  // Only what capmin holds is granted, and CHOWN is shown needed.
  EXPECT_EQ(report["verification"]["capabilities"], nlohmann::json::array({"CAP_CHOWN"}));
  EXPECT_EQ(report["verification"]["passed"], true) << out;
  EXPECT_NE(out.find("needed? cannot be tested here: capmin does not hold it"), std::string::npos)
      << out;
}

TEST(Minimal, EachFixtureThatNeedsOneCapabilityIsProvenToNeedExactlyIt) {
  CAPMIN_REQUIRE_ROOT_AND_NAMESPACES();
  // A process of uid 1234 that lives through every run, as kill_pid's target.
  const std::string victim = foreign_process_setup("victim.pid");
  struct Case {
    std::vector<std::string> command;
    std::string setup;
    std::string cap;
  };
  const Case cases[] = {
      {{fixture("chown_file"), "file", "1234"}, "touch file", "CAP_CHOWN"},
      {{fixture("mknod_char"), "null"}, "true", "CAP_MKNOD"},
      {{fixture("bind_port"), "80"}, "true", "CAP_NET_BIND_SERVICE"},
      {{fixture("raw_socket")}, "true", "CAP_NET_RAW"},
      {{fixture("set_uid"), "1000"}, "true", "CAP_SETUID"},
      {{fixture("set_gid"), "1000"}, "true", "CAP_SETGID"},
      {{fixture("kill_pid"), "victim.pid", "0"}, victim, "CAP_KILL"},
      {{fixture("chroot_dir"), "."}, "true", "CAP_SYS_CHROOT"},
  };
  for (const Case& c : cases) {
    const CapminRun r = profile_probe(c.command, minimal(c.setup));
    const DescribeOnFailure described(r);
    EXPECT_EQ(r.status, 0) << c.cap;
    EXPECT_EQ(r.caps(), Caps{c.cap});
    EXPECT_TRUE(not_needed(r).empty()) << c.cap;
    expect_proven(r);
  }
}

TEST(Minimal, SuAndSetprivNeedOnlyTheIdsTheyChangeTo) {
  CAPMIN_REQUIRE_ROOT_AND_NAMESPACES();
  REQUIRE_PROGRAM("/usr/bin/su");
  REQUIRE_PROGRAM("/usr/bin/setpriv");
  // su carries on when its audit message and its netlink request are
  // refused; setpriv raises CAP_SETPCAP it then does not use.
  const CapminRun su =
      profile_probe({"/usr/bin/su", "nobody", "-s", "/bin/sh", "-c", "true"}, minimal("true"));
  const DescribeOnFailure described_su(su);
  EXPECT_EQ(su.status, 0);
  EXPECT_EQ(su.caps(), (Caps{"CAP_SETGID", "CAP_SETUID"}));
  EXPECT_TRUE(not_needed(su).count("CAP_AUDIT_WRITE")) << su.report["not_needed"];
  expect_proven(su);
  const CapminRun sp = profile_probe(
      {"/usr/bin/setpriv", "--reuid", "1234", "--regid", "1234", "--clear-groups", "/bin/true"},
      minimal("true"));
  const DescribeOnFailure described_sp(sp);
  EXPECT_EQ(sp.status, 0);
  EXPECT_EQ(sp.caps(), (Caps{"CAP_SETGID", "CAP_SETUID"}));
  EXPECT_EQ(not_needed(sp), Caps{"CAP_SETPCAP"});
  expect_proven(sp);
}

TEST(Minimal, ADeviceNodeMadeInEachOfThreeRunsGivesTheSameAnswerAndLeavesTheDirectoryAsItWas) {
  CAPMIN_REQUIRE_ROOT_AND_NAMESPACES();
  // Without the overlays, the second run would meet the first run's node
  // (EEXIST) and call MKNOD not needed.
  std::string out;
  const int rc = run_script_in_namespaces(
      "touch before; for i in 1 2 3; do \"$CAPMIN_BIN\" profile -f docker -O docker.$i -- " +
          fixture("mknod_char") +
          " node >/dev/null 2>&1; echo \"status $?\"; cat docker.$i; rm docker.$i; done; "
          "echo '=== left'; ls -A",
      out);
  ASSERT_EQ(rc, 0) << out;
  const std::string one = "status 0\n--cap-drop=ALL --cap-add=MKNOD\n";
  EXPECT_EQ(out, one + one + one + "=== left\nbefore\nout\n");
}

TEST(Minimal, RuncRunsSeeTheWorkingDirectoryThroughOverlaysToo) {
  CAPMIN_REQUIRE_ROOT_AND_NAMESPACES();
  // Each verification run in runc makes a node, deletes a file and writes
  // one: the directory is as it was, unless --write-through says otherwise.
  const std::string program = fixture("mknod_char") + " node && rm keep && echo x > made";
  std::string out;
  const int rc = run_script_in_namespaces(
      "echo kept > keep; for how in '' --write-through; do \"$CAPMIN_BIN\" profile $how "
      "--verify=runc -f docker -O docker -- sh -c '" +
          program +
          "' >log 2>&1; echo \"status $? $how\"; cat docker; rm docker log; echo \"=== left\"; "
          "ls -A; done",
      out);
  ASSERT_EQ(rc, 0) << out;
  EXPECT_EQ(
      out,
      "status 0 \n--cap-drop=ALL --cap-add=MKNOD\n=== left\nkeep\nout\n"
      // written through: the first run made the node, deleted the file
      // and wrote the other, and they stay
      "status 0 --write-through\n--cap-drop=ALL --cap-add=MKNOD\n=== left\nmade\nnode\nout\n");
}

TEST(Minimal, InAChrootTheRunsAreOverlaidAndTheEvidenceNamesFilesAsTheProgramDoes) {
  CAPMIN_REQUIRE_ROOT_AND_NAMESPACES();
  REQUIRE_PROGRAM("/usr/sbin/sysctl");
  // A chroot whose root is a plain directory, not a mount point, as on a CI
  // machine built with debootstrap: each top-level directory of this system
  // bound into a directory of a fresh tmpfs. The work directory (under /tmp)
  // is on a mount the chroot sees, so each run gets its overlay; a task in a
  // mount namespace of its own there must still be named as it names itself.
  const std::string script = R"(set -e
mkdir -p /mnt && mount -t tmpfs capmin-chroot /mnt && mkdir /mnt/r
for e in /*; do
  n=${e#/}
  [ "$n" = mnt ] && continue
  if [ -L "$e" ]; then cp -P "$e" /mnt/r/
  elif [ -d "$e" ]; then mkdir "/mnt/r/$n" && mount --rbind "$e" "/mnt/r/$n"; fi
done
here=$(pwd)
chroot /mnt/r /bin/sh -c "cd '$here' && \"\$CAPMIN_BIN\" profile --mode probe --no-minimal -o r.json -O /dev/null -- /usr/sbin/sysctl -w net.ipv4.conf.lo.forwarding=1 >/dev/null 2>err.txt; cat err.txt; for i in 1 2; do \"\$CAPMIN_BIN\" profile -f docker -- )" +
                             fixture("mknod_char") +
                             R"( node 2>/dev/null | tail -1; done; ls -A"
echo '=== report'; cat r.json)";
  std::string out;
  const int status = run_script_in_namespaces(script, out);
  ASSERT_EQ(status, 0) << out;
  const std::size_t at = out.find("=== report");
  ASSERT_NE(at, std::string::npos) << out;
  const std::string before = out.substr(0, at);
  EXPECT_EQ(
      before,
      "--cap-drop=ALL --cap-add=MKNOD\n--cap-drop=ALL --cap-add=MKNOD\nerr.txt\nout\nr.json\n")
      << out;
  const nlohmann::json report = nlohmann::json::parse(out.substr(at + 11));
  EXPECT_EQ(report["capabilities"], nlohmann::json::array({"CAP_NET_ADMIN"})) << report;
  const auto& e = report["findings"][0]["evidence"][0];
  EXPECT_EQ(e["exe"], "/usr/sbin/sysctl") << e;
  EXPECT_NE(e["args"].get<std::string>().find("</proc/sys/net/ipv4/conf/lo/forwarding>"),
            std::string::npos)
      << e;
}

}  // namespace
}  // namespace capmin::e2e
