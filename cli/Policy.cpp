// SPDX-License-Identifier: MIT
#include "cli/Policy.h"

#include <cstdlib>

#include "analyzer/BuiltinRules.h"
#include "events/Errors.h"

namespace capmin::cli {

std::string policy_dir() {
  const char* env = std::getenv("CAPMIN_POLICY_DIR");
  return env != nullptr && *env != '\0' ? env : CAPMIN_POLICY_DIR;
}

Policy load_policy(const std::vector<std::string>& user_rule_files) {
  Policy p;
  const std::string dir = policy_dir();
  // Read by the build already (BuiltinRules.h), unless it was edited since.
  p.rules.load_file(dir + "/rules.yaml", analyzer::builtin_rule_blob());
  p.catalog.load_file(dir + "/capabilities.yaml");
  p.platforms.load_file(dir + "/platforms.yaml");
  for (const std::string& f : user_rule_files) {
    p.rules.load_file(f);
  }
  return p;
}

const analyzer::Platform& Policy::platform(const std::string& name) const {
  if (const analyzer::Platform* p = platforms.find(name)) {
    return *p;
  }
  std::string known;
  for (const std::string& n : platforms.names()) {
    known += (known.empty() ? "" : ", ") + n;
  }
  throw UserError("--platform '" + name + "': expected one of " + known);
}

}  // namespace capmin::cli
