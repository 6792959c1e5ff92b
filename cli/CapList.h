// SPDX-License-Identifier: MIT
#pragma once

#include <string>
#include <vector>

namespace capmin::cli {

// Parses a list of capabilities as --caps takes it: names separated by
// commas, each as "CAP_NET_RAW", "NET_RAW" or "net_raw"; "" or "none" for no
// capability. Returns them by number, without repeats. Throws UserError for
// an unknown name, listing the known names close to it.
std::vector<int> parse_cap_list(const std::string& text);

}  // namespace capmin::cli
