// SPDX-License-Identifier: MIT
#include "Harness.h"

#include <stdlib.h>
#include <sys/capability.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace capmin::e2e {

namespace {

std::string quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out += c;
    }
  }
  return out + "'";
}

std::string slurp(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

std::string capmin_binary() { return CAPMIN_BIN; }

namespace {

// The fixtures, copied once per test run to a directory every user can
// reach: a checkout under /root (mode 0700) is out of reach of the
// --user runs, whose execve the kernel would rightly refuse.
class FixtureCopy {
 public:
  FixtureCopy() {
    char tmpl[] = "/tmp/capmin-fixtures.XXXXXX";
    if (mkdtemp(tmpl) == nullptr) {
      throw std::runtime_error("mkdtemp failed");
    }
    dir_ = tmpl;
    chmod(tmpl, 0755);
    for (const auto& entry : std::filesystem::directory_iterator(CAPMIN_FIXTURES)) {
      if (entry.is_regular_file() && access(entry.path().c_str(), X_OK) == 0) {
        std::filesystem::copy_file(entry.path(), dir_ / entry.path().filename());
      }
    }
  }
  ~FixtureCopy() {
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }
  std::string path(const std::string& name) const { return (dir_ / name).string(); }

 private:
  std::filesystem::path dir_;
};

}  // namespace

std::string fixture(const std::string& name) {
  static const FixtureCopy copy;
  return copy.path(name);
}

namespace {

// Enters fresh namespaces and runs `inner` there. unshare(1) normally makes
// every mount private itself, but in a chroot (as on a fresh CI root) "/" is
// not a mount point and that step fails; so propagation is left alone and
// each mount is made private from inside, before anything is mounted, and
// the pid namespace gets its own /proc.
//
// The shell runs with job control (set -m), so that every command, capmin
// included, is a process group of its own whose parent, the shell, is in the
// same session: a group that is not orphaned. The kernel discards SIGTSTP
// sent to an orphaned group, which is what the tests' own group is when
// they run detached (a CI job, a background run) and what job-control tests
// would then meet instead of capmin's behaviour.
std::string in_namespaces(const std::string& inner) {
  const std::string prelude =
      "set -m; "
      "for m in $(findmnt -rn -o TARGET); do mount --make-private \"$m\" 2>/dev/null; done; "
      "mount -t proc proc /proc || exit 97; ";
  return "unshare --mount --propagation unchanged --net --uts --ipc --pid --fork bash -c " +
         quote(prelude + inner);
}

}  // namespace

int run_script_in_namespaces(const std::string& script, std::string& output) {
  char tmpl[] = "/tmp/capmin-e2e.XXXXXX";
  if (mkdtemp(tmpl) == nullptr) {
    throw std::runtime_error("mkdtemp failed");
  }
  const std::string dir = tmpl;
  chmod(tmpl, 0755);
  const std::string inner = "ip link set lo up; cd " + quote(dir) +
                            "; export CAPMIN_BIN=" + quote(capmin_binary()) + "; ( " + script +
                            " ) >" + quote(dir + "/out") + " 2>&1";
  const int rc = system(in_namespaces(inner).c_str());
  output = slurp(dir + "/out");
  if (std::getenv("CAPMIN_KEEP_E2E") == nullptr) {
    std::error_code ignored;
    std::filesystem::remove_all(dir, ignored);
  }
  return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

std::string foreign_process_setup(const std::string& pid_file) {
  return "setpriv --reuid=1234 --regid=1234 --clear-groups sleep 300 </dev/null >/dev/null 2>&1 &\n"
         "echo $! >" +
         pid_file +
         "\n"
         "for i in $(seq 200); do\n"
         "  grep -q '^Uid:[[:space:]]*1234' /proc/$!/status && exit 0\n"
         "  sleep 0.05\n"
         "done\n"
         "echo 'the process never became uid 1234'; exit 1";
}

bool bounding_holds(const std::string& name) {
  cap_value_t cap = 0;
  return cap_from_name(name.c_str(), &cap) == 0 && CAP_IS_SUPPORTED(cap) && cap_get_bound(cap) == 1;
}

std::string cannot_run_reason() {
  if (geteuid() != 0) {
    return "needs root: capmin drops the bounding set and the tests use namespaces";
  }
  static const int probe = system((in_namespaces("ip link set lo up") + " 2>/dev/null").c_str());
  if (probe != 0) {
    return "needs mount/net/uts/ipc/pid namespaces, findmnt and ip (unshare failed)";
  }
  return "";
}

CapminRun run_capmin(const std::vector<std::string>& args, const std::vector<std::string>& command,
                     const Options& options) {
  char tmpl[] = "/tmp/capmin-e2e.XXXXXX";
  if (mkdtemp(tmpl) == nullptr) {
    throw std::runtime_error("mkdtemp failed");
  }
  CapminRun run;
  run.workdir = tmpl;
  run.cleanup = std::shared_ptr<void>(nullptr, [dir = run.workdir](void*) {
    if (std::getenv("CAPMIN_KEEP_E2E") == nullptr) {
      std::error_code ignored;
      std::filesystem::remove_all(dir, ignored);
    }
  });
  // Other users' fixtures must be able to reach the directory.
  chmod(tmpl, 0755);

  std::string capmin = quote(capmin_binary());
  for (const std::string& a : args) {
    capmin += " " + quote(a);
  }
  if (options.report) {
    capmin += " -o " + quote(run.workdir + "/report.json");
  }
  capmin += " --";
  for (const std::string& c : command) {
    capmin += " " + quote(c);
  }

  std::string inner = "set -e; ip link set lo up; cd " + quote(run.workdir) + "; ";
  if (!options.setup.empty()) {
    inner += "( " + options.setup + " ) >setup.log 2>&1; ";
  }
  const std::string redirect =
      " >" + quote(run.workdir + "/out") + " 2>" + quote(run.workdir + "/err");
  if (options.during.empty()) {
    inner += "set +e; " + capmin + redirect + "; echo $? >" + quote(run.workdir + "/status");
    if (!options.after.empty()) {
      inner += "; ( " + options.after + " ) >after.log 2>&1";
    }
  } else {
    inner += "set +e; " + capmin + redirect + " & CAPMIN_PID=$!; ( " + options.during +
             " ) >during.log 2>&1; wait $CAPMIN_PID; echo $? >" + quote(run.workdir + "/status");
  }
  const std::string outer = in_namespaces(inner);
  const int rc = system(outer.c_str());
  (void)rc;

  run.out = slurp(run.workdir + "/out");
  run.err = slurp(run.workdir + "/err");
  run.setup_log = slurp(run.workdir + "/setup.log");
  run.after = slurp(run.workdir + "/after.log");
  const std::string status = slurp(run.workdir + "/status");
  run.status = status.empty() ? -1 : std::stoi(status);
  const std::string report = slurp(run.workdir + "/report.json");
  if (!report.empty()) {
    run.report = nlohmann::json::parse(report, nullptr, /*allow_exceptions=*/false);
  }
  return run;
}

CapminRun profile_deny(const std::vector<std::string>& command, const Options& options,
                       const std::vector<std::string>& extra_args) {
  std::vector<std::string> args = {"profile", "--mode", "deny"};
  if (!options.minimal) {
    args.push_back("--no-minimal");
  }
  if (options.write_through || !options.during.empty()) {
    args.push_back("--write-through");
  }
  args.insert(args.end(), extra_args.begin(), extra_args.end());
  return run_capmin(args, command, options);
}

CapminRun profile_probe(const std::vector<std::string>& command, const Options& options,
                        const std::vector<std::string>& extra_args) {
  std::vector<std::string> args = {"profile", "--mode", "probe"};
  if (!options.minimal) {
    args.push_back("--no-minimal");
  }
  if (options.write_through || !options.during.empty()) {
    args.push_back("--write-through");
  }
  args.insert(args.end(), extra_args.begin(), extra_args.end());
  return run_capmin(args, command, options);
}

std::set<std::string> CapminRun::caps() const {
  std::set<std::string> names;
  if (report.is_object() && report.contains("capabilities")) {
    for (const auto& c : report["capabilities"]) {
      names.insert(c.get<std::string>());
    }
  }
  return names;
}

std::string CapminRun::confidence(const std::string& cap) const {
  if (!report.is_object()) {
    return "";
  }
  for (const auto& f : report["findings"]) {
    if (f["capability"] == cap) {
      return f["confidence"].get<std::string>();
    }
  }
  return "";
}

bool CapminRun::unresolved(const std::string& syscall, const std::string& errno_name) const {
  if (!report.is_object()) {
    return false;
  }
  for (const auto& u : report["unresolved"]) {
    if (u["syscall"] == syscall && u["errno"] == errno_name) {
      return true;
    }
  }
  return false;
}

std::uint64_t CapminRun::refusal_count(const std::string& cap) const {
  std::uint64_t n = 0;
  for (const auto& e : evidence(cap)) {
    n += e["count"].get<std::uint64_t>();
  }
  return n;
}

std::vector<nlohmann::json> CapminRun::evidence(const std::string& cap) const {
  std::vector<nlohmann::json> found;
  if (!report.is_object()) {
    return found;
  }
  for (const auto& f : report["findings"]) {
    if (f["capability"] == cap) {
      for (const auto& e : f["evidence"]) {
        found.push_back(e);
      }
    }
  }
  return found;
}

std::vector<nlohmann::json> CapminRun::unresolved_entries() const {
  std::vector<nlohmann::json> found;
  if (report.is_object() && report.contains("unresolved")) {
    for (const auto& u : report["unresolved"]) {
      found.push_back(u);
    }
  }
  return found;
}

bool CapminRun::printed(const std::string& line) const {
  std::istringstream lines(out);
  for (std::string l; std::getline(lines, l);) {
    if (l == line) {
      return true;
    }
  }
  return false;
}

std::string CapminRun::describe() const {
  std::ostringstream s;
  s << "capmin exited " << status << " in " << workdir << "\n--- stdout\n"
    << out << "--- stderr\n"
    << err;
  if (!setup_log.empty()) {
    s << "--- setup\n" << setup_log;
  }
  s << "--- report\n" << (report.is_null() ? std::string("(none)") : report.dump(2)) << '\n';
  return s.str();
}

}  // namespace capmin::e2e
