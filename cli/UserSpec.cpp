// SPDX-License-Identifier: MIT
#include "cli/UserSpec.h"

#include <grp.h>
#include <pwd.h>

#include <charconv>
#include <cstdint>

#include "events/Errors.h"

namespace capmin::cli {

namespace {

// (uid_t)-1 means "unchanged" to the kernel, so the largest usable id is one less.
constexpr std::uint64_t kMaxId = UINT32_MAX - 1;

std::optional<std::uint64_t> number(const std::string& s) {
  std::uint64_t v = 0;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || ptr != s.data() + s.size()) {
    return std::nullopt;
  }
  if (ec == std::errc::result_out_of_range) {
    return UINT64_MAX;  // all digits, too large for any id
  }
  return ec == std::errc() ? std::optional<std::uint64_t>(v) : std::nullopt;
}

std::uint32_t id_or_name(const std::string& s, bool group, const std::string& whole) {
  if (s.empty()) {
    throw UserError("--user '" + whole + "': empty " + (group ? "group" : "user"));
  }
  if (auto n = number(s)) {
    if (*n > kMaxId) {
      throw UserError("--user '" + whole + "': " + (group ? "gid " : "uid ") + s +
                      " is out of range (0-" + std::to_string(kMaxId) + ")");
    }
    return static_cast<std::uint32_t>(*n);
  }
  if (s.find_first_of("0123456789") == 0) {
    throw UserError("--user '" + whole + "': '" + s + "' is not a number or a name");
  }
  if (group) {
    const struct group* g = getgrnam(s.c_str());
    if (g == nullptr) {
      throw UserError("--user '" + whole + "': no group named '" + s + "'");
    }
    return g->gr_gid;
  }
  const passwd* pw = getpwnam(s.c_str());
  if (pw == nullptr) {
    throw UserError("--user '" + whole + "': no user named '" + s + "'");
  }
  return pw->pw_uid;
}

}  // namespace

UserSpec parse_user(const std::string& text) {
  UserSpec spec;
  const auto colon = text.find(':');
  spec.uid = id_or_name(text.substr(0, colon), false, text);
  if (colon != std::string::npos) {
    spec.gid = id_or_name(text.substr(colon + 1), true, text);
  } else if (!number(text)) {
    // NAME alone: the user's primary group, as docker run does.
    spec.gid = getpwnam(text.c_str())->pw_gid;
  }
  return spec;
}

}  // namespace capmin::cli
