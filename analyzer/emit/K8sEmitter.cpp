// SPDX-License-Identifier: MIT
#include <yaml-cpp/yaml.h>

#include "analyzer/emit/Formats.h"

namespace capmin::analyzer {

void K8sEmitter::emit(const Profile& p, std::ostream& out) const {
  YAML::Emitter y;
  y << YAML::BeginMap << YAML::Key << "securityContext" << YAML::Value << YAML::BeginMap;
  // No capability the profile holds can be gained through setuid or file
  // capabilities, so escalation is never needed.
  y << YAML::Key << "allowPrivilegeEscalation" << YAML::Value << false;
  y << YAML::Key << "capabilities" << YAML::Value << YAML::BeginMap;
  y << YAML::Key << "drop" << YAML::Value << YAML::BeginSeq << "ALL" << YAML::EndSeq;
  if (!p.capabilities.empty()) {
    y << YAML::Key << "add" << YAML::Value << short_names(p.capabilities);
  }
  y << YAML::EndMap;
  if (p.run.user_given && non_root(p)) {
    y << YAML::Key << "runAsNonRoot" << YAML::Value << true;
    y << YAML::Key << "runAsUser" << YAML::Value << p.run.uid;
    y << YAML::Key << "runAsGroup" << YAML::Value << p.run.gid;
  }
  y << YAML::EndMap << YAML::EndMap;
  out << y.c_str() << '\n';
}

}  // namespace capmin::analyzer
