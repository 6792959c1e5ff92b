// SPDX-License-Identifier: MIT
#include <yaml-cpp/yaml.h>

#include "analyzer/emit/Formats.h"

namespace capmin::analyzer {

void ComposeEmitter::emit(const Profile& p, std::ostream& out) const {
  YAML::Emitter y;
  y << YAML::BeginMap;
  if (!p.run.image.empty()) {
    y << YAML::Key << "image" << YAML::Value << image_name(p);
  }
  if (p.run.user_given) {
    y << YAML::Key << "user" << YAML::Value << YAML::DoubleQuoted
      << std::to_string(p.run.uid) + ":" + std::to_string(p.run.gid);
  }
  y << YAML::Key << "cap_drop" << YAML::Value << YAML::BeginSeq << "ALL" << YAML::EndSeq;
  if (!p.capabilities.empty()) {
    y << YAML::Key << "cap_add" << YAML::Value << short_names(p.capabilities);
  }
  y << YAML::EndMap;
  out << y.c_str() << '\n';
}

}  // namespace capmin::analyzer
