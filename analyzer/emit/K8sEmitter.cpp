// SPDX-License-Identifier: MIT
#include <yaml-cpp/yaml.h>

#include "analyzer/emit/Formats.h"

namespace capmin::analyzer {

void K8sEmitter::emit(const Profile& p, std::ostream& out) const {
  YAML::Emitter y;
  y << YAML::BeginMap;
  if (!p.run.image.empty()) {
    y << YAML::Key << "image" << YAML::Value << image_name(p);
  }
  y << YAML::Key << "securityContext" << YAML::Value << YAML::BeginMap;
  // Root holds its capabilities from the start, so escalation is never needed.
  // A non-root program gets them only from file capabilities (Kubernetes sets
  // no ambient set), which no_new_privs would make execve(2) ignore.
  const bool file_caps = non_root(p) && !p.capabilities.empty();
  y << YAML::Key << "allowPrivilegeEscalation" << YAML::Value << file_caps;
  y << YAML::Key << "capabilities" << YAML::Value << YAML::BeginMap;
  y << YAML::Key << "drop" << YAML::Value << YAML::BeginSeq << "ALL" << YAML::EndSeq;
  if (!p.capabilities.empty()) {
    y << YAML::Key << "add" << YAML::Value << short_names(p.capabilities);
  }
  y << YAML::EndMap;
  // An image's user is written out: a pod's runAsNonRoot needs a numeric
  // uid to check, and the name in the image is not one.
  if (shows_user(p) && non_root(p)) {
    y << YAML::Key << "runAsNonRoot" << YAML::Value << true;
    y << YAML::Key << "runAsUser" << YAML::Value << p.run.uid;
    y << YAML::Key << "runAsGroup" << YAML::Value << p.run.gid;
  }
  y << YAML::EndMap << YAML::EndMap;
  out << y.c_str() << '\n';
}

}  // namespace capmin::analyzer
