// SPDX-License-Identifier: MIT
// A systemd unit file on arbitrary text, read as --unit reads it: parsed,
// its [Service] settings interpreted, its command's variables replaced from
// its own Environment=. A malformed unit must end in UserError; any other
// exception, a crash or a hang is a bug.
#include <cstddef>
#include <cstdint>
#include <map>
#include <string>

#include "events/Errors.h"
#include "unit/ServiceUnit.h"
#include "unit/UnitWords.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  capmin::unit::UnitFile file;
  file.path = "/fuzz/a-b@c\\x2dd.service";
  file.name = "a-b@c\\x2dd.service";
  try {
    file.settings = capmin::unit::parse_unit_text(text, file.path);
    const capmin::unit::ServiceUnit unit = capmin::unit::interpret_service(file);
    std::map<std::string, std::string> env(unit.environment.begin(), unit.environment.end());
    (void)capmin::unit::substitute_environment(unit.argv, env);
  } catch (const capmin::UserError&) {
    return 0;  // the expected answer to a malformed unit
  }
  return 0;
}
