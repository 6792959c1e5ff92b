// SPDX-License-Identifier: MIT
// The capability catalogue loader on arbitrary text: a malformed file must end
// in UserError; any other exception, a crash or a hang is a bug. A catalogue
// that loads is looked up as `capmin caps` and the emitters do.
#include <cstddef>
#include <cstdint>
#include <string>

#include "analyzer/CapabilityCatalog.h"
#include "events/Errors.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  capmin::analyzer::CapabilityCatalog catalog;
  try {
    catalog.load_string(std::string(reinterpret_cast<const char*>(data), size), "fuzz.yaml");
  } catch (const capmin::UserError&) {
    return 0;  // the expected answer to a malformed file
  }
  for (int cap = -1; cap <= 64; ++cap) {
    if (const auto* e = catalog.find(cap)) {
      (void)e->name.size();
    }
  }
  (void)catalog.withhold_order();
  return 0;
}
