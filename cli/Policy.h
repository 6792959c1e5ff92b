// SPDX-License-Identifier: MIT
#pragma once

#include <string>
#include <vector>

#include "analyzer/CapabilityCatalog.h"
#include "analyzer/Platform.h"
#include "analyzer/RuleTable.h"

namespace capmin::cli {

// The built-in rule table, capability catalogue and platform table, with
// the user's rule files layered over the rules.
struct Policy {
  analyzer::RuleTable rules;
  analyzer::CapabilityCatalog catalog;
  analyzer::PlatformTable platforms;
  // The platform --platform names; throws UserError naming those there are.
  const analyzer::Platform& platform(const std::string& name) const;
};

// $CAPMIN_POLICY_DIR, else the directory capmin was built with.
std::string policy_dir();
Policy load_policy(const std::vector<std::string>& user_rule_files);

}  // namespace capmin::cli
