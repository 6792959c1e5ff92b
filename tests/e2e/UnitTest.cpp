// SPDX-License-Identifier: MIT
// systemd service units as capmin's input: `profile --unit FILE.service`
// runs the unit's ExecStart= as systemd would (its User=, groups,
// environment, working directory, umask and limits), never granting more
// than the unit's CapabilityBoundingSet= (and, for a user other than root,
// AmbientCapabilities=) allows, and prints the unit's corrected lines.
#include <algorithm>

#include "Harness.h"

namespace capmin::e2e {
namespace {

// A setup that writes `unit` to x.service, with @DIR@ replaced by the run's
// directory and @FIXTURE(name)@ by a fixture's path.
std::string write_unit(std::string unit, const std::string& file = "x.service") {
  for (std::size_t at; (at = unit.find("@FIXTURE(")) != std::string::npos;) {
    const std::size_t end = unit.find(")@", at);
    unit.replace(at, end + 2 - at, fixture(unit.substr(at + 9, end - at - 9)));
  }
  std::string quoted;
  for (char c : unit) {
    quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
  }
  return "printf '%s' '" + quoted + "' | sed \"s|@DIR@|$PWD|g\" >" + file;
}

CapminRun profile_unit(const std::string& unit, const std::vector<std::string>& extra = {},
                       const std::string& more_setup = "") {
  std::vector<std::string> args = {"profile", "--unit", "x.service"};
  args.insert(args.end(), extra.begin(), extra.end());
  std::string setup = write_unit(unit);
  if (!more_setup.empty()) {
    setup += " && " + more_setup;
  }
  return run_capmin(args, {}, {.setup = setup});
}

std::vector<std::string> names(const nlohmann::json& list) {
  std::vector<std::string> out;
  for (const auto& n : list) {
    out.push_back(n.get<std::string>());
  }
  return out;
}

TEST(Unit, ExecStartRunsAsTheUnitsUserWithItsGroupsEnvironmentDirectoryUmaskAndLimits) {
  CAPMIN_REQUIRE_ROOT_AND_NAMESPACES();
  const CapminRun r = profile_unit(
      "[Unit]\nDescription=capmin test\nAfter=network.target\n\n"
      "[Service]\nType=simple\nUser=nobody\nGroup=nogroup\nSupplementaryGroups=daemon\n"
      "WorkingDirectory=@DIR@/w\n"
      "Environment=\"GREETING=hello world\" PORT=80\n"
      "EnvironmentFile=@DIR@/env\nEnvironmentFile=-@DIR@/missing\n"
      "UMask=0027\nLimitNOFILE=512:1024\nNoNewPrivileges=yes\n"
      "ExecStart=/bin/sh -c 'id; echo \"$0|$1|$FROM_FILE|$HOME|$USER|$PATH|$${TERM-no TERM}\"; "
      "pwd; umask; ulimit -n; ulimit -Hn; grep NoNewPrivs /proc/self/status; "
      "read line; echo stdin $?' $PORT ${GREETING}\n"
      "PrivateTmp=yes\nExecStartPre=/bin/true\nRestart=on-failure\n\n"
      "[Install]\nWantedBy=multi-user.target\n",
      {"--no-minimal"}, "mkdir w && printf 'FROM_FILE=\"from a file\"\\n# a comment\\n' >env");
  const DescribeOnFailure described(r);
  EXPECT_EQ(r.status, 0);
  EXPECT_TRUE(r.printed("uid=65534(nobody) gid=65534(nogroup) groups=65534(nogroup),1(daemon)"));
  EXPECT_TRUE(
      r.printed("80|hello world|from a file|/nonexistent|nobody|"
                "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin|no TERM"));
  EXPECT_TRUE(r.printed(r.workdir + "/w"));
  EXPECT_TRUE(r.printed("0027"));
  EXPECT_TRUE(r.printed("512"));
  EXPECT_TRUE(r.printed("1024"));
  EXPECT_TRUE(r.printed("NoNewPrivs:\t1"));
  EXPECT_TRUE(r.printed("stdin 1"));  // standard input is /dev/null, as StandardInput=null
  EXPECT_EQ(r.caps(), (std::set<std::string>{}));
  // What capmin did not emulate, in one line; [Unit], [Install], Restart=
  // do not change how the process runs.
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  EXPECT_NE(r.err.find("capmin: note: x.service: not emulated, the profile is of ExecStart= "
                       "without them: PrivateTmp=, ExecStartPre=\n"),
            std::string::npos)
      << r.err;
  const nlohmann::json& unit = r.report["unit"];
  EXPECT_EQ(unit["name"], "x.service");
  EXPECT_EQ(unit["user"], "nobody");
  EXPECT_EQ(unit["working_directory"], r.workdir + "/w");
  EXPECT_EQ(names(unit["not_emulated"]),
            (std::vector<std::string>{"PrivateTmp=", "ExecStartPre="}));
  EXPECT_EQ(r.report["platform"], "systemd");
}

// four_privileged_ops: bind port 80, chown, setgid, setuid (MinimalTest).
const char* kFourAsRoot =
    "[Service]\nWorkingDirectory=@DIR@\nExecStart=@FIXTURE(four_privileged_ops)@\n"
    "CapabilityBoundingSet=CAP_NET_BIND_SERVICE CAP_CHOWN CAP_SYS_ADMIN\n"
    "CapabilityBoundingSet=CAP_SETGID CAP_SETUID CAP_KILL\n"
    "CapabilityBoundingSet=~CAP_KILL\n";

TEST(Unit, TheProvenSetComesWithTheUnitsCorrectedCapabilityLines) {
  CAPMIN_REQUIRE_ROOT_AND_NAMESPACES();
  const CapminRun r = profile_unit(kFourAsRoot);
  const DescribeOnFailure described(r);
  EXPECT_EQ(r.status, 0);
  EXPECT_EQ(r.caps(), (std::set<std::string>{"CAP_CHOWN", "CAP_SETGID", "CAP_SETUID",
                                             "CAP_NET_BIND_SERVICE"}));
  EXPECT_TRUE(r.report["minimal"]["proven"].get<bool>());
  EXPECT_EQ(names(r.report["unit"]["capability_bounding_set"]),
            (std::vector<std::string>{"CAP_CHOWN", "CAP_SETGID", "CAP_SETUID",
                                      "CAP_NET_BIND_SERVICE", "CAP_SYS_ADMIN"}));
  EXPECT_TRUE(
      r.printed("  CapabilityBoundingSet=CAP_CHOWN CAP_SETGID CAP_SETUID "
                "CAP_NET_BIND_SERVICE"));
  EXPECT_TRUE(r.printed("  As written it grants 5 capabilities; it does not need CAP_SYS_ADMIN."));

  const CapminRun lines = profile_unit(kFourAsRoot, {"-f", "systemd", "--no-minimal"});
  const DescribeOnFailure described_lines(lines);
  EXPECT_EQ(lines.status, 0);
  const std::string expected =
      "# x.service: its capability lines, as capmin found what ExecStart= needs.\n"
      "# In the unit's [Service] section in place of its own, or in a drop-in\n"
      "# (systemctl edit x.service).\n"
      "[Service]\n"
      "# was: CapabilityBoundingSet=CAP_NET_BIND_SERVICE CAP_CHOWN CAP_SYS_ADMIN\n"
      "# was: CapabilityBoundingSet=CAP_SETGID CAP_SETUID CAP_KILL\n"
      "# was: CapabilityBoundingSet=~CAP_KILL\n"
      "CapabilityBoundingSet=\n"
      "CapabilityBoundingSet=CAP_CHOWN CAP_SETGID CAP_SETUID CAP_NET_BIND_SERVICE\n"
      "NoNewPrivileges=yes\n";
  EXPECT_NE(lines.out.find("OK uid=1000 gid=1000\n" + expected), std::string::npos) << lines.out;
}

TEST(Unit, ARefusalOnlyACapabilityOutsideTheBoundCuresIsNamedAndTheStatusPassesThrough) {
  CAPMIN_REQUIRE_ROOT_AND_NAMESPACES();
  const CapminRun r = profile_unit(
      "[Service]\nWorkingDirectory=@DIR@\nExecStart=@FIXTURE(four_privileged_ops)@\n"
      "CapabilityBoundingSet=CAP_NET_BIND_SERVICE CAP_CHOWN\n");
  const DescribeOnFailure described(r);
  EXPECT_EQ(r.status, 3);  // setgid refused: the fixture's own status
  EXPECT_EQ(r.caps(), (std::set<std::string>{"CAP_CHOWN", "CAP_NET_BIND_SERVICE"}));
  const std::vector<nlohmann::json> unresolved = r.unresolved_entries();
  ASSERT_EQ(unresolved.size(), 1u);
  EXPECT_EQ(unresolved[0]["syscall"], "setgid");
  EXPECT_EQ(unresolved[0]["reason"],
            "only a capability the unit cannot grant cures it (its CapabilityBoundingSet=)");
  EXPECT_EQ(names(unresolved[0]["outside_unit"]), (std::vector<std::string>{"CAP_SETGID"}));
  EXPECT_TRUE(
      r.printed("        (not retried: the program never held CAP_SETGID (this run "
                "withholds it))"));
  EXPECT_TRUE(
      r.printed("  # Also refused: calls only CAP_SETGID would allow, which the unit "
                "cannot grant (its CapabilityBoundingSet=); the program ran without "
                "them. Add one above only if it must make those calls."));
}

TEST(Unit, AUserOtherThanRootGetsTheAmbientSetAndTheLinesSayWhatToAdd) {
  CAPMIN_REQUIRE_ROOT_AND_NAMESPACES();
  const std::string service = "[Service]\nUser=nobody\nExecStart=@FIXTURE(bind_port)@ 80\n";
  const CapminRun granted =
      profile_unit(service + "AmbientCapabilities=CAP_NET_BIND_SERVICE CAP_CHOWN\n");
  const DescribeOnFailure described(granted);
  EXPECT_EQ(granted.status, 0);
  EXPECT_EQ(granted.caps(), (std::set<std::string>{"CAP_NET_BIND_SERVICE"}));
  EXPECT_TRUE(
      granted.printed("    can grant: CAP_CHOWN CAP_NET_BIND_SERVICE (its "
                      "AmbientCapabilities=, for a User= other than root)"));
  EXPECT_TRUE(granted.printed("  AmbientCapabilities=CAP_NET_BIND_SERVICE"));
  EXPECT_TRUE(
      granted.printed("  As written it grants 2 capabilities; it does not need CAP_CHOWN."));

  // No AmbientCapabilities=: systemd gives nobody nothing; the profile says
  // what it would need, and that the unit lacks it.
  const CapminRun lacking = profile_unit(service);
  const DescribeOnFailure described_lacking(lacking);
  EXPECT_EQ(lacking.status, 0);
  EXPECT_EQ(lacking.caps(), (std::set<std::string>{"CAP_NET_BIND_SERVICE"}));
  EXPECT_TRUE(
      lacking.printed("  As written it grants 0 capabilities, none it does not need; it "
                      "lacks CAP_NET_BIND_SERVICE."));
  EXPECT_TRUE(lacking.printed("  AmbientCapabilities=CAP_NET_BIND_SERVICE"));
}

TEST(Unit, ADynamicUserIsAFreeUidOfSystemdsRangeWithHomeSlash) {
  CAPMIN_REQUIRE_ROOT_AND_NAMESPACES();
  const CapminRun r = profile_unit(
      "[Service]\nDynamicUser=yes\nWorkingDirectory=@DIR@\n"
      "ExecStart=/bin/sh -c 'echo \"$$(id -u) $$(id -g) $$HOME $$USER\"'\n",
      {"--no-minimal"});
  const DescribeOnFailure described(r);
  EXPECT_EQ(r.status, 0);
  const int uid = r.report["user"]["uid"].get<int>();
  EXPECT_GE(uid, 61184);
  EXPECT_LE(uid, 65519);
  EXPECT_TRUE(r.printed(std::to_string(uid) + " " + std::to_string(uid) + " / x"));
  EXPECT_TRUE(r.report["unit"]["dynamic_user"].get<bool>());
  EXPECT_NE(r.err.find("ProtectSystem=strict, ProtectHome=read-only, PrivateTmp=, RemoveIPC= "
                       "(implied by DynamicUser=)"),
            std::string::npos)
      << r.err;
}

TEST(Unit, DropInsResetAndReplaceAsSystemdAppliesThem) {
  CAPMIN_REQUIRE_ROOT_AND_NAMESPACES();
  const CapminRun r = profile_unit(
      "[Service]\nExecStart=/bin/false\nCapabilityBoundingSet=CAP_SYS_ADMIN\n", {"--no-minimal"},
      write_unit("[Service]\nExecStart=\nExecStart=@FIXTURE(bind_port)@ 80\n"
                 "CapabilityBoundingSet=\nCapabilityBoundingSet=CAP_NET_BIND_SERVICE\n",
                 "10-fix.conf") +
          " && mkdir x.service.d && mv 10-fix.conf x.service.d/ && echo '# off' "
          ">x.service.d/20-ignored.txt");
  const DescribeOnFailure described(r);
  EXPECT_EQ(r.status, 0);
  EXPECT_EQ(r.caps(), (std::set<std::string>{"CAP_NET_BIND_SERVICE"}));
  EXPECT_EQ(names(r.report["unit"]["drop_ins"]),
            (std::vector<std::string>{"x.service.d/10-fix.conf"}));
  EXPECT_EQ(names(r.report["unit"]["can_grant"]),
            (std::vector<std::string>{"CAP_NET_BIND_SERVICE"}));
}

TEST(Unit, ARealServerUnitIsJudgedByItsCheck) {
  CAPMIN_REQUIRE_ROOT_AND_NAMESPACES();
  REQUIRE_PROGRAM("/usr/bin/python3");
  // Debian's python3 serving port 80 as nobody, as a unit would run it.
  const CapminRun r = profile_unit(
      "[Service]\nUser=nobody\nWorkingDirectory=@DIR@\n"
      "ExecStart=python3 -m http.server 80 --bind 127.0.0.1 --directory %T\n"
      "AmbientCapabilities=CAP_NET_BIND_SERVICE CAP_NET_ADMIN CAP_NET_RAW\n",
      {"--check",
       "python3 -c \"import urllib.request; urllib.request.urlopen('http://127.0.0.1/')\""});
  const DescribeOnFailure described(r);
  EXPECT_EQ(r.status, 143);  // stopped with SIGTERM once the check passed
  EXPECT_EQ(r.caps(), (std::set<std::string>{"CAP_NET_BIND_SERVICE"}));
  EXPECT_TRUE(r.report["minimal"]["proven"].get<bool>());
  EXPECT_TRUE(r.printed("  ended: by capmin, once the --check passed"));
  EXPECT_TRUE(
      r.printed("  As written it grants 3 capabilities; it does not need CAP_NET_ADMIN "
                "CAP_NET_RAW."));
}

TEST(Unit, BadUnitsAndOptionsAreOneLineErrors) {
  CAPMIN_REQUIRE_ROOT_AND_NAMESPACES();
  struct Case {
    std::string unit;
    std::vector<std::string> args;
    int status;
    std::string error;
  };
  const Case cases[] = {
      {"[Service]\nType=simple\n",
       {},
       125,
       "x.service: no ExecStart= in [Service]: nothing to run"},
      {"[Service]\nExecStart=+/bin/true\n",
       {},
       125,
       "x.service:2: ExecStart=+: the command runs outside the unit's User= and capability "
       "settings, which are what capmin profiles it under"},
      {"[Service]\nExecStart=/bin/true\nUser=capmin-no-such-user\n",
       {},
       125,
       "x.service: User=capmin-no-such-user: no such user on this machine (systemd would fail "
       "the start with 217/USER)"},
      {"[Service]\nExecStart=capmin-no-such-program\n",
       {},
       127,
       "x.service:2: ExecStart=capmin-no-such-program: no such program in systemd's search path"},
      {"[Service]\nExecStart=/bin/true\nthis is no setting\n",
       {},
       125,
       "x.service:3: expected KEY=VALUE, a [Section] or a comment"},
      {"[Service]\nExecStart=/bin/echo \"unfinished\n",
       {},
       125,
       "x.service:2: a quote (\") that is never closed"},
      {"[Service]\nExecStart=/bin/true\nWorkingDirectory=/capmin-no-such-dir\n",
       {},
       125,
       "WorkingDirectory=/capmin-no-such-dir: no such directory"},
      {"[Service]\nExecStart=/bin/true\nExecStart=/bin/true\n",
       {},
       125,
       "x.service:3: more than one ExecStart=, which systemd allows only for Type=oneshot"},
      {"[Service]\nExecStart=/bin/echo %Z\n",
       {},
       125,
       "x.service:2: ExecStart=: %Z: a specifier capmin does not expand"},
      {"[Service]\nExecStart=/bin/true\nLimitNOFILE=lots\n",
       {},
       125,
       "x.service:3: LimitNOFILE=lots: expected a number, infinity or SOFT:HARD"},
      {"[Service]\nExecStart=/bin/true\n",
       {"--user", "nobody"},
       125,
       "--unit runs the unit's ExecStart= as its User=: it takes no --image, --user or command "
       "after --"},
      {"[Service]\nExecStart=/bin/true\n",
       {"--verify=runc"},
       125,
       "--unit runs on this machine: --verify=runc cannot run a unit"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.error);
    const CapminRun r = profile_unit(c.unit, c.args);
    const DescribeOnFailure described(r);
    EXPECT_EQ(r.status, c.status);
    EXPECT_NE(r.err.find(c.error), std::string::npos) << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  }
  for (const auto& [path, error] :
       {std::pair<std::string, std::string>{"missing.service",
                                            "cannot read the unit "
                                            "'missing.service'"},
        {"x.timer", "--unit 'x.timer': expected a service unit (NAME.service)"}}) {
    const CapminRun r = run_capmin({"profile", "--unit", path}, {}, {.setup = "touch x.timer"});
    const DescribeOnFailure described(r);
    EXPECT_EQ(r.status, 125);
    EXPECT_NE(r.err.find(error), std::string::npos) << r.err;
  }
}

}  // namespace
}  // namespace capmin::e2e
