// SPDX-License-Identifier: MIT
#include "image/ImageUser.h"

#include <algorithm>
#include <charconv>
#include <optional>
#include <sstream>

#include "events/Errors.h"

namespace capmin::image {

namespace {

std::vector<std::string> fields(const std::string& line) {
  std::vector<std::string> out;
  std::string f;
  std::istringstream in(line);
  while (std::getline(in, f, ':')) {
    out.push_back(f);
  }
  if (!line.empty() && line.back() == ':') {
    out.emplace_back();
  }
  return out;
}

std::optional<unsigned> number(const std::string& s) {
  unsigned v = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || ec != std::errc() || end != s.data() + s.size()) {
    return std::nullopt;
  }
  return v;
}

struct Entry {
  std::string name;
  unsigned id = 0;
  unsigned gid = 0;                  // passwd only
  std::string home;                  // passwd only
  std::vector<std::string> members;  // group only
};

// passwd: name:x:uid:gid:gecos:home:shell; group: name:x:gid:member,member.
std::vector<Entry> entries(const std::string& text, bool passwd) {
  std::vector<Entry> out;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    const std::vector<std::string> f = fields(line);
    if (f.size() < (passwd ? 4u : 3u) || line.empty() || line[0] == '#') {
      continue;
    }
    const auto id = number(f[2]);
    if (!id) {
      continue;
    }
    Entry e{f[0], *id, 0, "", {}};
    if (passwd) {
      e.gid = number(f[3]).value_or(0);
      e.home = f.size() > 5 ? f[5] : "";
    } else if (f.size() > 3) {
      std::istringstream members(f[3]);
      std::string m;
      while (std::getline(members, m, ',')) {
        if (!m.empty()) {
          e.members.push_back(m);
        }
      }
    }
    out.push_back(std::move(e));
  }
  return out;
}

// The id of the entry called `name` (a user or a group, as `what` says);
// Docker's words when there is none.
unsigned id_named(const std::vector<Entry>& all, const std::string& name, const char* what,
                  const char* file) {
  const auto it =
      std::find_if(all.begin(), all.end(), [&](const Entry& e) { return e.name == name; });
  if (it == all.end()) {
    throw UserError(std::string("unable to find ") + what + " " + name +
                    ": no matching entries in the image's " + file + " file");
  }
  return it->id;
}

}  // namespace

ImageUser resolve_image_user(const std::string& spec, const std::string& passwd,
                             const std::string& group) {
  const std::size_t colon = spec.find(':');
  const std::string user_part = spec.substr(0, colon);
  const std::string group_part = colon == std::string::npos ? "" : spec.substr(colon + 1);
  const std::vector<Entry> users = entries(passwd, true);
  const std::vector<Entry> groups = entries(group, false);

  ImageUser u;
  const Entry* account = nullptr;
  if (user_part.empty()) {
    u.uid = 0;
  } else if (const auto id = number(user_part)) {
    u.uid = *id;
  } else {
    u.uid = id_named(users, user_part, "user", "passwd");
  }
  for (const Entry& e : users) {
    if (e.id == u.uid) {
      account = &e;
      break;
    }
  }
  u.gid = account != nullptr ? account->gid : 0;
  if (account != nullptr && !account->home.empty()) {
    u.home = account->home;
  }
  if (!group_part.empty()) {
    if (const auto id = number(group_part)) {
      u.gid = *id;
    } else {
      u.gid = id_named(groups, group_part, "group", "group");
    }
  }
  if (account != nullptr) {
    for (const Entry& g : groups) {
      if (std::find(g.members.begin(), g.members.end(), account->name) != g.members.end() &&
          std::find(u.groups.begin(), u.groups.end(), g.id) == u.groups.end()) {
        u.groups.push_back(g.id);
      }
    }
  }
  return u;
}

}  // namespace capmin::image
