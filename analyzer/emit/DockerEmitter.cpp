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
  out << '\n';
}

}  // namespace capmin::analyzer
