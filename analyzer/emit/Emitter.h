// SPDX-License-Identifier: MIT
#pragma once

#include <memory>
#include <ostream>
#include <string>
#include <string_view>
#include <utility>
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
// Whether the outputs name the user: given with --user, or an image's own.
bool shows_user(const Profile& profile);
// The command as a shell line that pastes as the exact argv (each word of
// the profile is escaped; shell_line quotes the bytes themselves).
std::string command_line(const std::vector<std::string>& shown);
// An image's name for docker run: the archive's repository tag, or
// "IMAGE" when the reference carries none.
std::string image_name(const Profile& profile);
// Each executable whose refused calls needed a capability, with those
// capabilities, in the order they were first seen: one setcap line each.
std::vector<std::pair<std::string, std::vector<int>>> capability_executables(const Profile& p);
// profile --unit: what the unit as written grants its process (root: its
// bounding set, every capability when unset; another user: its ambient set
// within that, none when unset).
std::vector<int> unit_grants(const Profile& p);
// "cap_chown,cap_net_bind_service+ep", as setcap(8) takes it.
std::string setcap_text(const std::vector<int>& caps);

}  // namespace capmin::analyzer
