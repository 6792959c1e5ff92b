// SPDX-License-Identifier: MIT
#include "unit/ServiceProcess.h"

#include <grp.h>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <map>
#include <random>
#include <sstream>

#include "events/CapabilityNames.h"
#include "events/Errors.h"
#include "unit/UnitWords.h"

namespace capmin::unit {

namespace {

struct Account {
  std::string name;
  uid_t uid = 0;
  gid_t gid = 0;
  std::string home;
  std::string shell;
};

std::optional<unsigned long> number(const std::string& s) {
  if (s.empty() || s.size() > 10 || !std::all_of(s.begin(), s.end(), [](char c) {
        return std::isdigit(static_cast<unsigned char>(c));
      })) {
    return std::nullopt;
  }
  return std::stoul(s);
}

std::optional<Account> account(const std::string& user) {
  std::vector<char> buf(16384);
  passwd pw{};
  passwd* found = nullptr;
  if (const auto uid = number(user)) {
    getpwuid_r(static_cast<uid_t>(*uid), &pw, buf.data(), buf.size(), &found);
  } else {
    getpwnam_r(user.c_str(), &pw, buf.data(), buf.size(), &found);
  }
  if (found == nullptr) {
    return std::nullopt;
  }
  return Account{pw.pw_name, pw.pw_uid, pw.pw_gid, pw.pw_dir, pw.pw_shell};
}

// DynamicUser=: systemd allocates a uid (and the same gid) from
// 61184-65519 that no user of this machine has, named as User= says or
// after the unit; its home is / and its shell nologin (nss-systemd). Here
// the first free one.
Account dynamic_account(const ServiceUnit& unit) {
  constexpr uid_t kFirst = 61184;
  constexpr uid_t kLast = 65519;
  for (uid_t uid = kFirst; uid <= kLast; ++uid) {
    if (!account(std::to_string(uid))) {
      struct group gr {};
      struct group* found = nullptr;
      std::vector<char> buf(16384);
      getgrgid_r(uid, &gr, buf.data(), buf.size(), &found);
      if (found == nullptr) {
        return Account{unit.user.empty() ? unit.prefix : unit.user, uid, uid, "/",
                       "/usr/sbin/nologin"};
      }
    }
  }
  throw UserError(unit.file.path + ": DynamicUser=yes: no uid of 61184-65519 is free here");
}

gid_t group_id(const std::string& group, const std::string& where, const char* key) {
  std::vector<char> buf(16384);
  struct group gr {};
  struct group* found = nullptr;
  if (const auto gid = number(group)) {
    return static_cast<gid_t>(*gid);
  }
  getgrnam_r(group.c_str(), &gr, buf.data(), buf.size(), &found);
  if (found == nullptr) {
    throw UserError(where + ": " + key + "=" + group +
                    ": no such group on this machine (systemd would fail the start with "
                    "216/GROUP)");
  }
  return found->gr_gid;
}

// systemd's env-file syntax: KEY=VALUE lines, # and ; comments, values in
// '...' taken as they are, in "..." with backslash escapes, bare ones with
// a backslash escaping the next character and trailing blanks dropped.
std::vector<std::pair<std::string, std::string>> read_env_file(const std::string& path) {
  std::ifstream in(path);
  std::vector<std::pair<std::string, std::string>> vars;
  std::string line;
  while (std::getline(in, line)) {
    while (!line.empty() && line.back() == '\\') {
      std::string next;
      line.pop_back();
      if (!std::getline(in, next)) {
        break;
      }
      line += next;
    }
    const auto start = line.find_first_not_of(" \t\r");
    if (start == std::string::npos || line[start] == '#' || line[start] == ';') {
      continue;
    }
    const auto eq = line.find('=', start);
    if (eq == std::string::npos) {
      continue;  // systemd skips such lines too
    }
    std::string key = line.substr(start, eq - start);
    key.erase(key.find_last_not_of(" \t") + 1);
    std::string raw = line.substr(eq + 1);
    raw.erase(0, raw.find_first_not_of(" \t"));
    std::string value;
    char quote = 0;
    for (std::size_t i = 0; i < raw.size(); ++i) {
      const char c = raw[i];
      if (quote == '\'') {
        if (c == '\'') {
          quote = 0;
        } else {
          value += c;
        }
      } else if (c == '\\' && i + 1 < raw.size()) {
        value += raw[++i];
      } else if (quote == '"' && c == '"') {
        quote = 0;
      } else if (quote == 0 && (c == '"' || c == '\'')) {
        quote = c;
      } else {
        value += c;
      }
    }
    if (raw.empty() || (raw.front() != '"' && raw.front() != '\'')) {
      value.erase(value.find_last_not_of(" \t\r") + 1);
    }
    if (valid_env_name(key)) {
      vars.emplace_back(key, value);
    }
  }
  return vars;
}

// The locale systemd passes to every service (LANG and LC_*), from the
// file PID 1 reads it from.
std::vector<std::pair<std::string, std::string>> locale() {
  for (const char* file : {"/etc/locale.conf", "/etc/default/locale"}) {
    if (access(file, R_OK) == 0) {
      auto vars = read_env_file(file);
      vars.erase(std::remove_if(vars.begin(), vars.end(),
                                [](const auto& v) {
                                  return v.first != "LANG" && v.first != "LANGUAGE" &&
                                         v.first.rfind("LC_", 0) != 0;
                                }),
                 vars.end());
      return vars;
    }
  }
  return {};
}

std::string invocation_id() {
  std::random_device random;
  std::ostringstream id;
  for (int i = 0; i < 4; ++i) {
    id << std::hex;
    const unsigned v = random();
    for (int k = 7; k >= 0; --k) {
      id << ((v >> (4 * k)) & 0xF);
    }
  }
  return id.str();
}

bool executable_file(const std::string& path) {
  struct stat st {};
  return stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode) && access(path.c_str(), X_OK) == 0;
}

std::string find_executable(const ServiceUnit& unit) {
  if (unit.executable[0] == '/') {
    return unit.executable;
  }
  std::istringstream dirs(kSystemdPath);
  for (std::string dir; std::getline(dirs, dir, ':');) {
    if (executable_file(dir + "/" + unit.executable)) {
      return dir + "/" + unit.executable;
    }
  }
  throw UserError(unit.exec_where + ": ExecStart=" + unit.executable +
                      ": no such program in systemd's search path (" + kSystemdPath + ")",
                  127);
}

}  // namespace

ServiceProcess resolve_service(const ServiceUnit& unit) {
  ServiceProcess p;
  const std::string& path = unit.file.path;
  std::optional<Account> user;
  if (unit.dynamic_user && (unit.user.empty() || !account(unit.user))) {
    user = dynamic_account(unit);
    p.uid = user->uid;
    p.gid = user->gid;
  } else if (!unit.user.empty()) {
    user = account(unit.user);
    if (!user && number(unit.user) && !unit.group.empty()) {
      user = Account{unit.user, static_cast<uid_t>(*number(unit.user)), 0, "/", "/bin/sh"};
      user->gid = group_id(unit.group, path, "Group");
    }
    if (!user) {
      throw UserError(path + ": User=" + unit.user +
                      ": no such user on this machine (systemd would fail the start with "
                      "217/USER)");
    }
    p.uid = user->uid;
    p.gid = user->gid;
  }
  if (!unit.group.empty()) {
    p.gid = group_id(unit.group, path, "Group");
  }
  // systemd: the user's own groups when User= is set, then
  // SupplementaryGroups=; without User=, only those.
  if (user) {
    std::vector<gid_t> groups(256);
    int n = static_cast<int>(groups.size());
    if (getgrouplist(user->name.c_str(), p.gid, groups.data(), &n) >= 0) {
      groups.resize(static_cast<std::size_t>(n));
      p.groups = groups;
    } else {
      p.groups = {p.gid};
    }
  }
  for (const std::string& g : unit.supplementary_groups) {
    const gid_t gid = group_id(g, path, "SupplementaryGroups");
    if (std::find(p.groups.begin(), p.groups.end(), gid) == p.groups.end()) {
      p.groups.push_back(gid);
    }
  }

  // The environment, later sources overriding earlier ones as systemd
  // merges them: the manager's, the user's, Environment=, EnvironmentFile=.
  std::vector<std::pair<std::string, std::string>> env = {{"PATH", kSystemdPath}};
  for (auto& v : locale()) {
    env.push_back(std::move(v));
  }
  env.emplace_back("INVOCATION_ID", invocation_id());
  if (user) {
    env.emplace_back("USER", user->name);
    env.emplace_back("LOGNAME", user->name);
    env.emplace_back("HOME", user->home);
    env.emplace_back("SHELL", user->shell);
  }
  env.insert(env.end(), unit.environment.begin(), unit.environment.end());
  for (const auto& [file, optional] : unit.environment_files) {
    if (access(file.c_str(), R_OK) != 0) {
      if (optional) {
        continue;
      }
      throw UserError(path + ": EnvironmentFile=" + file +
                      ": cannot be read (systemd would fail the start; '-' before the path "
                      "makes it optional)");
    }
    for (auto& v : read_env_file(file)) {
      env.push_back(std::move(v));
    }
  }
  std::map<std::string, std::string> values;
  std::vector<std::string> order;
  for (const auto& [name, value] : env) {
    if (values.count(name) == 0) {
      order.push_back(name);
    }
    values[name] = value;
  }
  for (const std::string& u : unit.unset_environment) {
    const auto eq = u.find('=');
    const std::string name = u.substr(0, eq);
    if (values.count(name) != 0 && (eq == std::string::npos || values[name] == u.substr(eq + 1))) {
      values.erase(name);
    }
  }
  for (const std::string& name : order) {
    if (values.count(name) != 0) {
      p.env.push_back(name + "=" + values[name]);
    }
  }

  p.executable = find_executable(unit);
  p.argv = unit.substitute_environment ? substitute_environment(unit.argv, values) : unit.argv;
  if (p.argv.empty()) {
    throw UserError(unit.exec_where + ": ExecStart= is empty once its variables are replaced");
  }

  const std::string home = user ? user->home : "/root";
  p.cwd = unit.working_directory.empty()  ? "/"
          : unit.working_directory == "~" ? home
                                          : unit.working_directory;
  struct stat st {};
  if (stat(p.cwd.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) {
    if (!unit.working_directory_optional) {
      throw UserError(path + ": WorkingDirectory=" + p.cwd +
                      ": no such directory (systemd would fail the start with 200/CHDIR)");
    }
    p.cwd = "/";
  }
  p.umask = unit.umask.value_or(022);
  p.nice = unit.nice;
  p.no_new_privileges = unit.no_new_privileges;
  p.limits = unit.limits;
  if (std::none_of(p.limits.begin(), p.limits.end(),
                   [](const ResourceLimit& l) { return l.resource == RLIMIT_NOFILE; })) {
    // systemd's DefaultLimitNOFILE=1024:524288 (since 240).
    p.limits.push_back({"LimitNOFILE", RLIMIT_NOFILE, 1024, 524288});
  }

  std::uint64_t bound = unit.bounding.value_or(events::cap_all());
  p.bound_by = unit.bounding ? "its CapabilityBoundingSet=" : "";
  if (p.uid != 0 && unit.ambient) {
    bound &= *unit.ambient;
    p.bound_by = unit.bounding
                     ? "its AmbientCapabilities= within its CapabilityBoundingSet=, for a User= "
                       "other than root"
                     : "its AmbientCapabilities=, for a User= other than root";
  }
  p.upper_bound = events::cap_list(bound);
  return p;
}

}  // namespace capmin::unit
