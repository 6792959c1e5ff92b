// SPDX-License-Identifier: MIT
#pragma once

#include <memory>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "analyzer/CapabilityCatalog.h"
#include "analyzer/Profile.h"

namespace capmin::analyzer {

// Writes a profile in one output format. One class per format, chosen by
// name from a table; each is tested by rendering into a string and comparing
// with a golden file.
class Emitter {
 public:
  virtual ~Emitter() = default;
  virtual void emit(const Profile& profile, std::ostream& out) const = 0;
};

// Throws UserError naming the known formats when `name` is not one.
std::unique_ptr<Emitter> make_emitter(std::string_view name, const CapabilityCatalog& catalog);
std::vector<std::string> emitter_names();

// Capability names as Docker and Kubernetes write them: "NET_RAW".
std::vector<std::string> short_names(const std::vector<int>& caps);
// ... and as OCI and systemd write them: "CAP_NET_RAW".
std::vector<std::string> full_names(const std::vector<int>& caps);
// Whether the profiled user is not root: capabilities then reach the program
// only through the ambient set or file capabilities.
bool non_root(const Profile& profile);

}  // namespace capmin::analyzer
