// SPDX-License-Identifier: MIT
#include "cli/ArgSplit.h"

namespace capmin::cli {

SplitArgs split_command(const std::vector<std::string>& args,
                        const std::set<std::string>& with_value) {
  SplitArgs out;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "--") {
      out.command.assign(args.begin() + static_cast<long>(i) + 1, args.end());
      return out;
    }
    if (a.size() > 1 && a[0] == '-') {
      out.options.push_back(a);
      if (with_value.count(a) != 0 && i + 1 < args.size()) {
        out.options.push_back(args[++i]);
      }
      continue;
    }
    out.command.assign(args.begin() + static_cast<long>(i), args.end());
    return out;
  }
  return out;
}

}  // namespace capmin::cli
