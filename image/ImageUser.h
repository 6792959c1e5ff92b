// SPDX-License-Identifier: MIT
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

namespace capmin::image {

// The identity a container of an image runs with, resolved as Docker and
// runc resolve an image's `User` (or `docker run --user`): through the
// image's own /etc/passwd and /etc/group, never the host's.
struct ImageUser {
  uid_t uid = 0;
  gid_t gid = 0;
  std::vector<gid_t> groups;  // supplementary: the groups whose members list the user
  std::string home = "/";     // the passwd entry's, "/" without one
};

// `spec` is "", NAME, UID, NAME:GROUP, UID:GID (any mix); "" is root. A
// name must be in the file; a number need not (its group is then 0, or
// its passwd entry's). Throws UserError "unable to find user NAME: no
// matching entries in passwd file" (Docker's words) and the like.
ImageUser resolve_image_user(const std::string& spec, const std::string& passwd,
                             const std::string& group);

}  // namespace capmin::image
