// SPDX-License-Identifier: MIT
#include "unit/ServiceUnit.h"

#include <sys/utsname.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <functional>
#include <map>

#include "events/CapabilityNames.h"
#include "events/Errors.h"
#include "unit/UnitWords.h"

namespace capmin::unit {

namespace {

// Settings that decide when, whether and how often the unit runs, or where
// its output goes, and not how its process runs: nothing to emulate.
// ([Unit] and [Install] are all of that kind.)
constexpr const char* kNoEffectOnTheProcess[] = {"Restart",
                                                 "RestartSec",
                                                 "RestartSteps",
                                                 "RestartMaxDelaySec",
                                                 "RestartPreventExitStatus",
                                                 "RestartForceExitStatus",
                                                 "SuccessExitStatus",
                                                 "TimeoutSec",
                                                 "TimeoutStartSec",
                                                 "TimeoutStopSec",
                                                 "TimeoutAbortSec",
                                                 "TimeoutStartFailureMode",
                                                 "TimeoutStopFailureMode",
                                                 "RuntimeMaxSec",
                                                 "RuntimeRandomizedExtraSec",
                                                 "WatchdogSec",
                                                 "RemainAfterExit",
                                                 "GuessMainPID",
                                                 "PIDFile",
                                                 "BusName",
                                                 "NotifyAccess",
                                                 "KillMode",
                                                 "KillSignal",
                                                 "RestartKillSignal",
                                                 "FinalKillSignal",
                                                 "SendSIGKILL",
                                                 "SendSIGHUP",
                                                 "WatchdogSignal",
                                                 "StandardOutput",
                                                 "StandardError",
                                                 "SyslogIdentifier",
                                                 "SyslogFacility",
                                                 "SyslogLevel",
                                                 "SyslogLevelPrefix",
                                                 "LogLevelMax",
                                                 "LogExtraFields",
                                                 "LogRateLimitIntervalSec",
                                                 "LogRateLimitBurst",
                                                 "OOMPolicy",
                                                 "FileDescriptorStoreMax",
                                                 "StartLimitIntervalSec",
                                                 "StartLimitBurst",
                                                 "StartLimitAction",
                                                 "ExitType"};

constexpr const char* kTypes[] = {"simple", "exec",   "forking",       "oneshot",
                                  "dbus",   "notify", "notify-reload", "idle"};

enum class LimitUnit { Count, Bytes, Seconds, Microseconds };
struct LimitKey {
  const char* key;
  int resource;
  LimitUnit unit;
};
constexpr LimitKey kLimits[] = {
    {"LimitCPU", RLIMIT_CPU, LimitUnit::Seconds},
    {"LimitFSIZE", RLIMIT_FSIZE, LimitUnit::Bytes},
    {"LimitDATA", RLIMIT_DATA, LimitUnit::Bytes},
    {"LimitSTACK", RLIMIT_STACK, LimitUnit::Bytes},
    {"LimitCORE", RLIMIT_CORE, LimitUnit::Bytes},
    {"LimitRSS", RLIMIT_RSS, LimitUnit::Bytes},
    {"LimitNOFILE", RLIMIT_NOFILE, LimitUnit::Count},
    {"LimitAS", RLIMIT_AS, LimitUnit::Bytes},
    {"LimitNPROC", RLIMIT_NPROC, LimitUnit::Count},
    {"LimitMEMLOCK", RLIMIT_MEMLOCK, LimitUnit::Bytes},
    {"LimitLOCKS", RLIMIT_LOCKS, LimitUnit::Count},
    {"LimitSIGPENDING", RLIMIT_SIGPENDING, LimitUnit::Count},
    {"LimitMSGQUEUE", RLIMIT_MSGQUEUE, LimitUnit::Bytes},
    {"LimitRTPRIO", RLIMIT_RTPRIO, LimitUnit::Count},
    {"LimitRTTIME", RLIMIT_RTTIME, LimitUnit::Microseconds},
};

template <typename List>
bool listed(const List& list, const std::string& key) {
  return std::any_of(std::begin(list), std::end(list), [&key](const char* k) { return key == k; });
}

bool parse_boolean(const std::string& v, bool& out) {
  std::string l;
  for (char c : v) {
    l += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  if (l == "1" || l == "yes" || l == "y" || l == "true" || l == "t" || l == "on") {
    out = true;
    return true;
  }
  if (l == "0" || l == "no" || l == "n" || l == "false" || l == "f" || l == "off") {
    out = false;
    return true;
  }
  return false;
}

std::optional<rlim_t> limit_value(const std::string& text, LimitUnit unit) {
  if (text == "infinity") {
    return RLIM_INFINITY;
  }
  std::size_t digits = 0;
  while (digits < text.size() && std::isdigit(static_cast<unsigned char>(text[digits]))) {
    ++digits;
  }
  if (digits == 0 || digits > 19) {
    return std::nullopt;
  }
  unsigned long long n = std::stoull(text.substr(0, digits));
  const std::string suffix = text.substr(digits);
  if (!suffix.empty()) {
    static const std::string kBinary = "KMGTPE";
    const auto at = kBinary.find(suffix);
    if (unit != LimitUnit::Bytes || suffix.size() != 1 || at == std::string::npos) {
      return std::nullopt;
    }
    for (std::size_t k = 0; k <= at; ++k) {
      if (n > (~0ULL >> 10)) {
        return std::nullopt;
      }
      n <<= 10;
    }
  }
  return static_cast<rlim_t>(n);
}

std::string file_line(const char* path) {
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);
  return line;
}

// A template instance's %I: systemd's unit-name escaping undone ("-" is
// "/", "\xNN" a byte).
std::string unescape_name(const std::string& s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '-') {
      out += '/';
    } else if (s[i] == '\\' && i + 3 < s.size() && s[i + 1] == 'x' &&
               std::isxdigit(static_cast<unsigned char>(s[i + 2])) &&
               std::isxdigit(static_cast<unsigned char>(s[i + 3]))) {
      out += static_cast<char>(std::stoi(s.substr(i + 2, 2), nullptr, 16));
      i += 3;
    } else {
      out += s[i];
    }
  }
  return out;
}

class Interpreter {
 public:
  explicit Interpreter(UnitFile file) { unit_.file = std::move(file); }

  ServiceUnit run() {
    split_name();
    std::vector<const UnitSetting*> exec_starts;
    for (const UnitSetting& s : unit_.file.settings) {
      if (s.section == "Unit" || s.section == "Install" || s.section.rfind("X-", 0) == 0) {
        continue;
      }
      if (s.section != "Service") {
        not_emulated("[" + s.section + "]");
        continue;
      }
      if (s.key == "ExecStart") {
        if (s.value.empty()) {
          exec_starts.clear();  // an empty assignment resets the list (drop-ins)
        } else {
          exec_starts.push_back(&s);
        }
        continue;
      }
      apply(s);
    }
    if (exec_starts.empty()) {
      throw UserError(unit_.file.path + ": no ExecStart= in [Service]: nothing to run");
    }
    if (exec_starts.size() > 1 && unit_.type != "oneshot") {
      throw UserError(exec_starts[1]->where +
                      ": more than one ExecStart=, which systemd allows only for Type=oneshot");
    }
    if (exec_starts.size() > 1) {
      not_emulated("ExecStart= (lines 2 to " + std::to_string(exec_starts.size()) +
                   "; the first is profiled)");
    }
    exec_start(*exec_starts.front());
    return std::move(unit_);
  }

 private:
  void not_emulated(const std::string& what) {
    if (std::find(unit_.not_emulated.begin(), unit_.not_emulated.end(), what) ==
        unit_.not_emulated.end()) {
      unit_.not_emulated.push_back(what);
    }
  }

  void split_name() {
    const std::string& name = unit_.file.name;
    const std::string stem = name.substr(0, name.size() - 8);  // without ".service"
    const auto at = stem.find('@');
    unit_.prefix = stem.substr(0, at);
    if (at != std::string::npos) {
      unit_.instance = stem.substr(at + 1);
    }
  }

  // systemd.unit(5)'s specifiers, as the system manager expands them: %u,
  // %h and the like name the manager's user (root), whatever User= says.
  std::optional<std::string> specifier(char c) const {
    const std::string& name = unit_.file.name;
    switch (c) {
      case 'n':
        return name;
      case 'N':
        return name.substr(0, name.size() - 8);
      case 'p':
        return unit_.prefix;
      case 'P':
        return unescape_name(unit_.prefix);
      case 'i':
        return unit_.instance;
      case 'I':
        return unescape_name(unit_.instance);
      case 'j':
        return unit_.prefix.substr(unit_.prefix.rfind('-') + 1);
      case 'J':
        return unescape_name(unit_.prefix.substr(unit_.prefix.rfind('-') + 1));
      case 'f':
        return "/" + unescape_name(unit_.instance.empty() ? unit_.prefix : unit_.instance);
      case 'u':
        return std::string("root");
      case 'U':
        return std::string("0");
      case 'g':
        return std::string("root");
      case 'G':
        return std::string("0");
      case 'h':
        return std::string("/root");
      case 's':
        return std::string("/bin/sh");
      case 't':
        return std::string("/run");
      case 'S':
        return std::string("/var/lib");
      case 'C':
        return std::string("/var/cache");
      case 'L':
        return std::string("/var/log");
      case 'E':
        return std::string("/etc");
      case 'T':
        return std::string("/tmp");
      case 'V':
        return std::string("/var/tmp");
      case 'y':
        return unit_.file.path;
      case 'Y': {
        const auto slash = unit_.file.path.rfind('/');
        return slash == std::string::npos ? std::string(".") : unit_.file.path.substr(0, slash);
      }
      case 'H':
      case 'l': {
        char host[256] = {};
        gethostname(host, sizeof host - 1);
        std::string h = host;
        return c == 'l' ? h.substr(0, h.find('.')) : h;
      }
      case 'm':
        return file_line("/etc/machine-id");
      case 'b': {
        std::string id = file_line("/proc/sys/kernel/random/boot_id");
        id.erase(std::remove(id.begin(), id.end(), '-'), id.end());
        return id;
      }
      case 'v': {
        utsname u{};
        uname(&u);
        return std::string(u.release);
      }
      default:
        return std::nullopt;
    }
  }

  std::string expand(const UnitSetting& s, const std::string& text) const {
    return expand_specifiers(
        text, [this](char c) { return specifier(c); }, s.where + ": " + s.key + "=");
  }

  // CapabilityBoundingSet= and AmbientCapabilities=: a list of names, or
  // "~" and the ones left out; several assignments merge, an empty one
  // resets (systemd's config_parse_capability_set).
  void capability_set(const UnitSetting& s, std::optional<std::uint64_t>& set) {
    unit_.capability_lines.push_back(s.key + "=" + s.value);
    if (s.value.empty()) {
      set = 0;
      return;
    }
    const bool invert = s.value[0] == '~';
    std::uint64_t sum = 0;
    for (const std::string& word : split_words(invert ? s.value.substr(1) : s.value, s.where)) {
      std::optional<int> cap;
      if (!word.empty() && std::all_of(word.begin(), word.end(), [](char c) {
            return std::isdigit(static_cast<unsigned char>(c));
          })) {
        if (word.size() <= 2 && std::stoi(word) <= events::cap_last()) {
          cap = std::stoi(word);
        }
      } else if (word.size() > 4 &&
                 (word.compare(0, 4, "CAP_") == 0 || word.compare(0, 4, "cap_") == 0)) {
        cap = events::cap_from_name(word);
      }
      if (!cap) {
        unit_.warnings.push_back(s.where + ": " + s.key + "=: '" + word +
                                 "' is no capability name systemd knows (it wants CAP_NAME): "
                                 "systemd ignores it");
        continue;
      }
      sum |= std::uint64_t{1} << *cap;
    }
    if (invert) {
      set = set.value_or(events::cap_all()) & ~sum & events::cap_all();
    } else {
      set = set.value_or(0) | sum;
    }
  }

  void limit(const UnitSetting& s, const LimitKey& k) {
    const std::string& v = s.value;
    const auto colon = v.find(':');
    const auto soft = limit_value(v.substr(0, colon), k.unit);
    const auto hard = colon == std::string::npos ? soft : limit_value(v.substr(colon + 1), k.unit);
    if (!soft || !hard || (*soft > *hard && *hard != RLIM_INFINITY) ||
        (*soft == RLIM_INFINITY && *hard != RLIM_INFINITY)) {
      throw UserError(s.where + ": " + s.key + "=" + s.value +
                      ": expected a number, infinity or SOFT:HARD (with K, M, G... for sizes; "
                      "capmin reads no time units)");
    }
    unit_.limits.erase(std::remove_if(unit_.limits.begin(), unit_.limits.end(),
                                      [&](const ResourceLimit& l) { return l.key == s.key; }),
                       unit_.limits.end());
    unit_.limits.push_back({s.key, k.resource, *soft, *hard});
  }

  void apply(const UnitSetting& s) {
    const std::string& key = s.key;
    if (listed(kNoEffectOnTheProcess, key)) {
      return;
    }
    if (key == "Type") {
      if (!listed(kTypes, s.value)) {
        throw UserError(s.where + ": Type=" + s.value + ": not a service type systemd knows");
      }
      unit_.type = s.value;
    } else if (key == "User") {
      unit_.user = expand(s, s.value);
    } else if (key == "Group") {
      unit_.group = expand(s, s.value);
    } else if (key == "SupplementaryGroups") {
      if (s.value.empty()) {
        unit_.supplementary_groups.clear();
      }
      for (const std::string& g : split_words(s.value, s.where)) {
        unit_.supplementary_groups.push_back(expand(s, g));
      }
    } else if (key == "WorkingDirectory") {
      std::string v = expand(s, s.value);
      unit_.working_directory_optional = !v.empty() && v[0] == '-';
      if (unit_.working_directory_optional) {
        v.erase(0, 1);
      }
      if (!v.empty() && v != "~" && v[0] != '/') {
        throw UserError(s.where + ": WorkingDirectory=" + s.value +
                        ": expected an absolute path or ~");
      }
      unit_.working_directory = v;
    } else if (key == "Environment") {
      if (s.value.empty()) {
        unit_.environment.clear();
      }
      for (const std::string& word : split_words(s.value, s.where)) {
        const std::string a = expand(s, word);
        const auto eq = a.find('=');
        if (eq == std::string::npos || !valid_env_name(a.substr(0, eq))) {
          unit_.warnings.push_back(s.where + ": Environment=: '" + a +
                                   "' is no NAME=VALUE assignment: systemd ignores it");
          continue;
        }
        unit_.environment.emplace_back(a.substr(0, eq), a.substr(eq + 1));
      }
    } else if (key == "EnvironmentFile") {
      if (s.value.empty()) {
        unit_.environment_files.clear();
        return;
      }
      std::string v = expand(s, s.value);
      const bool optional = v[0] == '-';
      unit_.environment_files.emplace_back(optional ? v.substr(1) : v, optional);
    } else if (key == "UnsetEnvironment") {
      for (const std::string& n : split_words(s.value, s.where)) {
        unit_.unset_environment.push_back(expand(s, n));
      }
    } else if (key == "CapabilityBoundingSet") {
      capability_set(s, unit_.bounding);
    } else if (key == "AmbientCapabilities") {
      capability_set(s, unit_.ambient);
    } else if (key == "UMask") {
      const std::string& v = s.value;
      if (v.empty() || v.size() > 4 || v.find_first_not_of("01234567") != std::string::npos) {
        throw UserError(s.where + ": UMask=" + v + ": expected an octal mode such as 0027");
      }
      unit_.umask = static_cast<mode_t>(std::stoi(v, nullptr, 8));
    } else if (key == "Nice") {
      int n = 0;
      try {
        std::size_t used = 0;
        n = std::stoi(s.value, &used);
        if (used != s.value.size()) {
          n = 100;
        }
      } catch (const std::exception&) {
        n = 100;
      }
      if (n < -20 || n > 19) {
        throw UserError(s.where + ": Nice=" + s.value + ": expected -20 to 19");
      }
      unit_.nice = n;
    } else if (key == "DynamicUser") {
      if (!parse_boolean(s.value, unit_.dynamic_user)) {
        throw UserError(s.where + ": DynamicUser=" + s.value + ": expected yes or no");
      }
      if (unit_.dynamic_user) {
        // What systemd.exec(5) says it implies, which capmin does not do.
        not_emulated(
            "ProtectSystem=strict, ProtectHome=read-only, PrivateTmp=, RemoveIPC= "
            "(implied by DynamicUser=)");
      }
    } else if (key == "NoNewPrivileges") {
      if (!parse_boolean(s.value, unit_.no_new_privileges)) {
        throw UserError(s.where + ": NoNewPrivileges=" + s.value + ": expected yes or no");
      }
    } else if (key == "StandardInput") {
      if (s.value != "null") {
        not_emulated("StandardInput=" + s.value);
      }
    } else if (const auto* l = std::find_if(std::begin(kLimits), std::end(kLimits),
                                            [&key](const LimitKey& k) { return key == k.key; });
               l != std::end(kLimits)) {
      limit(s, *l);
    } else {
      not_emulated(key + "=");
    }
  }

  void exec_start(const UnitSetting& s) {
    unit_.exec_where = s.where;
    std::string v = s.value;
    bool argv0_given = false;
    std::size_t i = 0;
    for (; i < v.size(); ++i) {
      const char c = v[i];
      if (c == '@') {
        argv0_given = true;
      } else if (c == ':') {
        unit_.substitute_environment = false;
      } else if (c == '+' || c == '!') {
        throw UserError(s.where + ": ExecStart=" + std::string(1, c) +
                        ": the command runs outside the unit's User= and capability settings, "
                        "which are what capmin profiles it under");
      } else if (c != '-') {
        break;
      }
    }
    std::vector<std::string> words;
    for (std::string& w : split_words(v.substr(i), s.where)) {
      words.push_back(expand(s, w));
    }
    if (words.empty() || (argv0_given && words.size() < 2)) {
      throw UserError(s.where + ": ExecStart= names no command");
    }
    if (words[0].find('/') != std::string::npos && words[0][0] != '/') {
      throw UserError(s.where + ": ExecStart=" + words[0] +
                      ": systemd wants an absolute path or a plain name");
    }
    unit_.executable = words[0];
    unit_.argv.assign(words.begin() + (argv0_given ? 1 : 0), words.end());
  }

  ServiceUnit unit_;
};

}  // namespace

ServiceUnit interpret_service(UnitFile file) { return Interpreter(std::move(file)).run(); }

}  // namespace capmin::unit
