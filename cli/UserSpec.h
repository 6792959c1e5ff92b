// SPDX-License-Identifier: MIT
#pragma once

#include <sys/types.h>

#include <optional>
#include <string>

namespace capmin::cli {

struct UserSpec {
  uid_t uid = 0;
  std::optional<gid_t> gid;
};

// Parses --user as `docker run --user` does: UID, NAME, UID:GID, NAME:GROUP.
// Names are looked up in this machine's passwd and group databases. Throws
// UserError for an unknown name or an id out of range.
UserSpec parse_user(const std::string& text);

}  // namespace capmin::cli
