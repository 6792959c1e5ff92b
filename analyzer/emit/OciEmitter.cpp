// SPDX-License-Identifier: MIT
#include <nlohmann/json.hpp>

#include "analyzer/emit/Formats.h"

namespace capmin::analyzer {

void OciEmitter::emit(const Profile& p, std::ostream& out) const {
  const auto names = full_names(p.capabilities);
  // runc gives a non-root process its capabilities only through the
  // ambient set, which the kernel requires to be within inheritable.
  const auto ambient = non_root(p) ? names : std::vector<std::string>{};
  nlohmann::ordered_json caps;
  caps["bounding"] = names;
  caps["effective"] = names;
  caps["permitted"] = names;
  caps["inheritable"] = ambient;
  caps["ambient"] = ambient;
  nlohmann::ordered_json j;
  j["capabilities"] = caps;
  out << j.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) << '\n';
}

}  // namespace capmin::analyzer
