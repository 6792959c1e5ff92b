// SPDX-License-Identifier: MIT
#include "tracer/launch/ChildPrep.h"

#include <grp.h>
#include <pwd.h>

#include <optional>

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

}  // namespace

ChildPrep prepare_child(const LaunchSpec& spec) {
  ChildPrep prep;
  prep.uid = spec.uid.value_or(0);
  prep.gid = spec.gid.value_or(0);
  if (spec.uid && !spec.gid) {
    const auto account = account_of(prep.uid);
    prep.gid = account ? account->gid : 0;  // docker run --user N: gid 0 without an entry
  }
  prep.groups = groups_for(spec, prep.gid);
  if (spec.seccomp) {
    prep.filter = spec.seccomp->compile();
  }
  for (const std::string& a : spec.argv) {
    prep.argv.push_back(const_cast<char*>(a.c_str()));
  }
  prep.argv.push_back(nullptr);
  return prep;
}

}  // namespace capmin::tracer
