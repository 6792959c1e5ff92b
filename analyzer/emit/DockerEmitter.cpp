// SPDX-License-Identifier: MIT
#include "analyzer/emit/Formats.h"

namespace capmin::analyzer {

void DockerEmitter::emit(const Profile& p, std::ostream& out) const {
  out << "--cap-drop=ALL";
  for (const std::string& name : short_names(p.capabilities)) {
    out << " --cap-add=" << name;
  }
  if (p.run.user_given) {
    out << " --user=" << p.run.uid << ':' << p.run.gid;
  }
  if (!p.run.image.empty()) {
    // What follows `docker run` for the image's container, its own user
    // and command unless they were given.
    out << ' ' << image_name(p);
    if (!p.run.image_command.empty()) {
      out << ' ' << command_line(p.run.image_command);
    }
  }
  out << '\n';
}

}  // namespace capmin::analyzer
