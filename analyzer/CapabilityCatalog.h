// SPDX-License-Identifier: MIT
#pragma once

#include <map>
#include <string>
#include <vector>

namespace capmin::analyzer {

// What each capability is: what it allows and what an attacker gets from it.
// Loaded from policies/capabilities.yaml.
class CapabilityCatalog {
 public:
  struct Entry {
    int number = 0;
    std::string name;  // "CAP_NET_RAW"
    std::string allows;
    std::string attacker;
  };

  // Throws UserError "file:line:column: ..." on a malformed file, and when a
  // name and number disagree with libcap.
  void load_file(const std::string& path);
  void load_string(const std::string& yaml, const std::string& origin);

  const Entry* find(int cap) const;
  // Every capability, in the order the proven minimal set withholds them:
  // those of `withhold_order:`, most powerful first, then the rest by number.
  std::vector<int> withhold_order() const;
  const std::map<int, Entry>& entries() const { return entries_; }

 private:
  std::map<int, Entry> entries_;
  std::vector<int> withhold_order_;  // as listed
};

}  // namespace capmin::analyzer
