// SPDX-License-Identifier: MIT
// Reading systemd units as systemd 252 does: the file syntax, words and
// quoting, specifiers, variables in command lines, and the [Service]
// settings --unit emulates, merges or names.
#include <gtest/gtest.h>
#include <linux/capability.h>

#include "events/Errors.h"
#include "unit/ServiceUnit.h"
#include "unit/UnitFile.h"
#include "unit/UnitWords.h"

namespace capmin::unit {
namespace {

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const UserError& e) {
    return e.what();
  }
  return "";
}

ServiceUnit service(const std::string& text, const std::string& name = "web.service") {
  UnitFile f;
  f.path = "/etc/systemd/system/" + name;
  f.name = name;
  f.settings = parse_unit_text(text, f.path);
  return interpret_service(f);
}

std::string unit_error(const std::string& text) {
  return error_of([&] { service(text); });
}

TEST(UnitFile, SectionsCommentsAndContinuationLinesAsSystemdSyntaxSays) {
  const std::vector<UnitSetting> s = parse_unit_text(
      "# comment\n; another\n[Unit]\nDescription = a web server \n\n[Service]\n"
      "ExecStart=/bin/echo one \\\n# a comment inside is left out\n  two\nUser=www-data\n",
      "u.service");
  ASSERT_EQ(s.size(), 3u);
  EXPECT_EQ(s[0].section, "Unit");
  EXPECT_EQ(s[0].key, "Description");
  EXPECT_EQ(s[0].value, "a web server");
  EXPECT_EQ(s[1].key, "ExecStart");
  EXPECT_EQ(s[1].value, "/bin/echo one  two");  // the backslash becomes a space
  EXPECT_EQ(s[1].where, "u.service:7");
  EXPECT_EQ(s[2].where, "u.service:10");
  EXPECT_EQ(error_of([] { parse_unit_text("[Service]\nno equals sign\n", "u"); }),
            "u:2: expected KEY=VALUE, a [Section] or a comment");
  EXPECT_EQ(error_of([] { parse_unit_text("User=x\n", "u"); }),
            "u:1: an assignment before any [Section]");
  EXPECT_EQ(error_of([] { parse_unit_text("[Service\n", "u"); }),
            "u:1: expected a section header such as [Service]");
}

TEST(UnitWords, QuotesAndEscapesAsExtractFirstWordReadsThem) {
  EXPECT_EQ(split_words(R"(a "b c" 'd "e"' f"g h"i \x41\s\u00e9 \101 "\"")", "w"),
            (std::vector<std::string>{"a", "b c", "d \"e\"", "fg hi", "A \xc3\xa9", "A", "\""}));
  EXPECT_EQ(split_words("  ", "w"), std::vector<std::string>{});
  EXPECT_EQ(error_of([] { split_words("'open", "w"); }), "w: a quote (') that is never closed");
  EXPECT_EQ(error_of([] { split_words("end\\", "w"); }), "w: a backslash at the end of the value");
  EXPECT_EQ(error_of([] { split_words("\\q", "w"); }),
            "w: an escape sequence systemd does not accept");
}

TEST(UnitWords, VariablesInACommandLine) {
  const std::map<std::string, std::string> env = {{"ARGS", "-a  -b"}, {"ONE", "x y"}};
  EXPECT_EQ(
      substitute_environment({"/bin/d", "$ARGS", "${ONE}", "pre${ONE}post", "$$ARGS", "$UNSET",
                              "${UNSET}", "in$ONE", "$ONE/rest"},
                             env),
      (std::vector<std::string>{"/bin/d", "-a", "-b", "x y", "prex ypost", "$ARGS", "", "in$ONE"}));
}

TEST(UnitWords, SpecifiersAreTheSystemManagersAndAnUnknownOneIsAnError) {
  const ServiceUnit u =
      service("[Service]\nExecStart=/bin/echo %n %N %p %i %I %u %h %t %% %j\nUser=%i\n",
              "get-ty@tty\\x2d1.service");
  EXPECT_EQ(u.argv, (std::vector<std::string>{"/bin/echo", "get-ty@tty\\x2d1.service",
                                              "get-ty@tty\\x2d1", "get-ty", "tty\\x2d1", "tty-1",
                                              "root", "/root", "/run", "%", "ty"}));
  EXPECT_EQ(u.user, "tty\\x2d1");
  EXPECT_EQ(unit_error("[Service]\nExecStart=/bin/echo %Z\n"),
            "/etc/systemd/system/web.service:2: ExecStart=: %Z: a specifier capmin does not "
            "expand (systemd.unit(5))");
}

TEST(ServiceUnit, ExecStartPrefixesAndTheFirstWord) {
  ServiceUnit u = service("[Service]\nExecStart=-@:/usr/sbin/daemon dæmon --flag $X\n");
  EXPECT_EQ(u.executable, "/usr/sbin/daemon");
  EXPECT_EQ(u.argv, (std::vector<std::string>{"dæmon", "--flag", "$X"}));
  EXPECT_FALSE(u.substitute_environment);
  u = service("[Service]\nExecStart=daemon\n");
  EXPECT_EQ(u.executable, "daemon");  // looked up in systemd's search path later
  for (const char* prefix : {"+", "!", "!!"}) {
    EXPECT_NE(unit_error(std::string("[Service]\nExecStart=") + prefix + "/bin/true\n")
                  .find(": the command runs outside the unit's User= and capability settings"),
              std::string::npos);
  }
  EXPECT_EQ(unit_error("[Service]\nExecStart=bin/true\n"),
            "/etc/systemd/system/web.service:2: ExecStart=bin/true: systemd wants an absolute "
            "path or a plain name");
  EXPECT_EQ(unit_error("[Service]\nExecStart=@/bin/true\n"),
            "/etc/systemd/system/web.service:2: ExecStart= names no command");
}

TEST(ServiceUnit, AnEmptyExecStartResetsAndOnlyOneshotRunsSeveral) {
  EXPECT_EQ(service("[Service]\nExecStart=/bin/a\nExecStart=\nExecStart=/bin/b\n").executable,
            "/bin/b");
  const ServiceUnit oneshot =
      service("[Service]\nType=oneshot\nExecStart=/bin/a\nExecStart=/bin/b\n");
  EXPECT_EQ(oneshot.executable, "/bin/a");
  EXPECT_EQ(oneshot.not_emulated,
            (std::vector<std::string>{"ExecStart= (lines 2 to 2; the first is profiled)"}));
  EXPECT_EQ(unit_error("[Service]\nType=simple\n"),
            "/etc/systemd/system/web.service: no ExecStart= in [Service]: nothing to run");
}

TEST(ServiceUnit, CapabilitySetsMergeInvertAndResetAsConfigParseCapabilitySet) {
  const auto bit = [](int c) { return std::uint64_t{1} << c; };
  ServiceUnit u = service(
      "[Service]\nExecStart=/bin/true\nCapabilityBoundingSet=CAP_CHOWN cap_kill\n"
      "CapabilityBoundingSet=CAP_NET_ADMIN\nCapabilityBoundingSet=~CAP_KILL\n");
  EXPECT_EQ(u.bounding, bit(CAP_CHOWN) | bit(CAP_NET_ADMIN));
  EXPECT_FALSE(u.ambient.has_value());
  EXPECT_EQ(u.capability_lines.size(), 3u);
  u = service("[Service]\nExecStart=/bin/true\nCapabilityBoundingSet=~CAP_SYS_ADMIN\n");
  EXPECT_EQ(*u.bounding & bit(CAP_SYS_ADMIN), 0u);
  EXPECT_NE(*u.bounding & bit(CAP_CHOWN), 0u);
  u = service(
      "[Service]\nExecStart=/bin/true\nAmbientCapabilities=CAP_CHOWN\nAmbientCapabilities=\n"
      "AmbientCapabilities=CAP_NET_BIND_SERVICE 21\n");
  EXPECT_EQ(u.ambient, bit(CAP_NET_BIND_SERVICE) | bit(CAP_SYS_ADMIN));
  // systemd ignores a name it does not know (it wants the CAP_ prefix).
  u = service("[Service]\nExecStart=/bin/true\nCapabilityBoundingSet=NET_ADMIN CAP_CHOWN\n");
  EXPECT_EQ(u.bounding, bit(CAP_CHOWN));
  ASSERT_EQ(u.warnings.size(), 1u);
  EXPECT_EQ(u.warnings[0],
            "/etc/systemd/system/web.service:3: CapabilityBoundingSet=: 'NET_ADMIN' is no "
            "capability name systemd knows (it wants CAP_NAME): systemd ignores it");
}

TEST(ServiceUnit, TheProcessSettingsItEmulates) {
  const ServiceUnit u = service(
      "[Service]\nExecStart=/bin/true\nUser=www-data\nGroup=www\nSupplementaryGroups=a b\n"
      "SupplementaryGroups=c\nWorkingDirectory=-~\nEnvironment=\"A=1 2\" B=3\n"
      "Environment=not-an-assignment\nEnvironmentFile=-/etc/default/web\nUMask=0027\n"
      "Nice=-5\nNoNewPrivileges=yes\nLimitNOFILE=1024:4096\nLimitMEMLOCK=8M:infinity\n"
      "LimitNOFILE=65536\nUnsetEnvironment=B\n");
  EXPECT_EQ(u.user, "www-data");
  EXPECT_EQ(u.group, "www");
  EXPECT_EQ(u.supplementary_groups, (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_EQ(u.working_directory, "~");
  EXPECT_TRUE(u.working_directory_optional);
  EXPECT_EQ(u.environment,
            (std::vector<std::pair<std::string, std::string>>{{"A", "1 2"}, {"B", "3"}}));
  EXPECT_EQ(u.environment_files,
            (std::vector<std::pair<std::string, bool>>{{"/etc/default/web", true}}));
  EXPECT_EQ(u.unset_environment, (std::vector<std::string>{"B"}));
  EXPECT_EQ(u.umask, 027u);
  EXPECT_EQ(u.nice, -5);
  EXPECT_TRUE(u.no_new_privileges);
  ASSERT_EQ(u.limits.size(), 2u);
  EXPECT_EQ(u.limits[0].key, "LimitMEMLOCK");
  EXPECT_EQ(u.limits[0].soft, 8u << 20);
  EXPECT_EQ(u.limits[0].hard, RLIM_INFINITY);
  EXPECT_EQ(u.limits[1].key, "LimitNOFILE");  // the later assignment wins
  EXPECT_EQ(u.limits[1].soft, 65536u);
  EXPECT_EQ(u.limits[1].hard, 65536u);
  ASSERT_EQ(u.warnings.size(), 1u);
  EXPECT_NE(u.warnings[0].find("'not-an-assignment' is no NAME=VALUE assignment"),
            std::string::npos);
  EXPECT_TRUE(u.not_emulated.empty());
}

TEST(ServiceUnit, WhatItDoesNotEmulateIsNamedOnceAndWhatDoesNotMatterIsNot) {
  const ServiceUnit u = service(
      "[Unit]\nDescription=x\nAfter=network.target\nConditionPathExists=/x\n"
      "[Service]\nExecStart=/bin/true\nPrivateTmp=yes\nProtectSystem=strict\nPrivateTmp=no\n"
      "Restart=always\nStandardOutput=journal\nStandardInput=socket\nTimeoutStopSec=5\n"
      "[Install]\nWantedBy=multi-user.target\n[Socket]\nListenStream=80\n[X-Mine]\nA=b\n");
  EXPECT_EQ(u.not_emulated, (std::vector<std::string>{"PrivateTmp=", "ProtectSystem=",
                                                      "StandardInput=socket", "[Socket]"}));
}

TEST(ServiceUnit, ValuesSystemdRefusesAreErrors) {
  const std::string head = "[Service]\nExecStart=/bin/true\n";
  EXPECT_EQ(unit_error(head + "Type=daemon\n"),
            "/etc/systemd/system/web.service:3: Type=daemon: not a service type systemd knows");
  EXPECT_EQ(unit_error(head + "UMask=999\n"),
            "/etc/systemd/system/web.service:3: UMask=999: expected an octal mode such as 0027");
  EXPECT_EQ(unit_error(head + "Nice=20\n"),
            "/etc/systemd/system/web.service:3: Nice=20: expected -20 to 19");
  EXPECT_EQ(unit_error(head + "NoNewPrivileges=maybe\n"),
            "/etc/systemd/system/web.service:3: NoNewPrivileges=maybe: expected yes or no");
  EXPECT_EQ(unit_error(head + "WorkingDirectory=relative\n"),
            "/etc/systemd/system/web.service:3: WorkingDirectory=relative: expected an absolute "
            "path or ~");
  for (const char* bad : {"LimitNOFILE=2:1", "LimitNOFILE=1K", "LimitCPU=5min",
                          "LimitAS=infinity:1", "LimitNOFILE="}) {
    EXPECT_NE(unit_error(head + bad + "\n").find(": expected a number, infinity or SOFT:HARD"),
              std::string::npos)
        << bad;
  }
}

}  // namespace
}  // namespace capmin::unit
