// SPDX-License-Identifier: MIT
#include "tracer/launch/ChildPrep.h"

#include <errno.h>
#include <grp.h>
#include <limits.h>
#include <pwd.h>
#include <unistd.h>

#include <algorithm>
#include <optional>
#include <string>

#include "events/Errors.h"
#include "tracer/launch/Mounts.h"

namespace capmin::tracer {

namespace {

struct Account {
  std::string name;
  gid_t gid = 0;
};

std::optional<Account> account_of(uid_t uid) {
  std::vector<char> buf(16384);
  passwd pw{};
  passwd* found = nullptr;
  if (getpwuid_r(uid, &pw, buf.data(), buf.size(), &found) != 0 || found == nullptr) {
    return std::nullopt;
  }
  return Account{pw.pw_name, pw.pw_gid};
}

// The supplementary groups a container's user gets: for uid 0 without
// --user, root's groups from /etc/group, as Docker reads them from the
// image; with --user, none (docker run --user replaces them).
std::vector<gid_t> groups_for(const LaunchSpec& spec, gid_t gid) {
  if (spec.uid.has_value()) {
    return {};
  }
  const auto root = account_of(0);
  std::vector<gid_t> groups(64);
  int n = static_cast<int>(groups.size());
  if (!root || getgrouplist(root->name.c_str(), gid, groups.data(), &n) < 0) {
    return {gid};
  }
  groups.resize(static_cast<std::size_t>(n));
  return groups;
}

// The mount points strictly below `dir`, each only once however many mounts
// are stacked there, and none below another one of them (a recursive bind
// of that one brings them along), in mountinfo's order.
std::vector<std::string> mounts_below(const std::string& dir) {
  std::vector<std::string> found;
  const std::string prefix = dir == "/" ? "/" : dir + "/";
  for (const VisibleMount& m : visible_mounts()) {
    const std::string& point = m.point;
    if (point.size() <= prefix.size() || point.compare(0, prefix.size(), prefix) != 0) {
      continue;
    }
    const bool covered = std::any_of(found.begin(), found.end(), [&](const std::string& f) {
      return point == f || point.compare(0, f.size() + 1, f + "/") == 0;
    });
    if (!covered) {
      found.push_back(point);
    }
  }
  return found;
}

}  // namespace

ChildPrep prepare_child(const LaunchSpec& spec) {
  ChildPrep prep;
  prep.uid = spec.uid.value_or(0);
  prep.gid = spec.gid.value_or(0);
  if (spec.uid && !spec.gid) {
    const auto account = account_of(prep.uid);
    prep.gid = account ? account->gid : 0;  // docker run --user N: gid 0 without an entry
  }
  prep.groups = spec.process.groups ? *spec.process.groups : groups_for(spec, prep.gid);
  if (spec.seccomp) {
    prep.filter = spec.seccomp->compile();
  }
  for (const std::string& a : spec.argv) {
    prep.argv.push_back(const_cast<char*>(a.c_str()));
  }
  prep.argv.push_back(nullptr);
  prep.executable =
      spec.process.executable.empty() ? prep.argv.front() : spec.process.executable.c_str();
  if (spec.process.env) {
    for (const std::string& e : *spec.process.env) {
      prep.envp.push_back(const_cast<char*>(e.c_str()));
    }
    prep.envp.push_back(nullptr);
  }
  if (!spec.scratch.empty()) {
    std::vector<char> buf(PATH_MAX);
    if (!spec.process.cwd.empty()) {
      prep.cwd = spec.process.cwd;
    } else if (getcwd(buf.data(), buf.size()) == nullptr) {
      throw SystemError("getcwd", errno);
    } else {
      prep.cwd = buf.data();
    }
    prep.submounts = mounts_below(prep.cwd);
  }
  if (spec.dev_log) {
    prep.dev_submounts = mounts_below("/dev");
  }
  if (!spec.scratch.empty() || spec.dev_log) {
    for (VisibleMount& m : visible_mounts()) {
      prep.mount_points.push_back(std::move(m.point));
    }
  }
  return prep;
}

}  // namespace capmin::tracer
