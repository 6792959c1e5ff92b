// SPDX-License-Identifier: MIT
// What an image holds that capmin reads: its configuration blob, and its
// /etc/passwd and /etc/group, through which its user is resolved. The
// input is split at the first two NUL bytes: configuration, passwd, group;
// the user spec is taken from the configuration when it parses.
#include <cstddef>
#include <cstdint>
#include <string>

#include "events/Errors.h"
#include "image/ImageConfig.h"
#include "image/ImageUser.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string all(reinterpret_cast<const char*>(data), size);
  const std::size_t a = all.find('\0');
  const std::size_t b = a == std::string::npos ? a : all.find('\0', a + 1);
  const std::string config = all.substr(0, a);
  const std::string passwd = a == std::string::npos ? "" : all.substr(a + 1, b - a - 1);
  const std::string group = b == std::string::npos ? "" : all.substr(b + 1);
  std::string user = "app:staff";
  try {
    const capmin::image::ImageConfig c = capmin::image::parse_image_config(config, "fuzz");
    user = c.user;
    (void)capmin::image::container_argv(c, {});
  } catch (const capmin::UserError&) {
  }
  try {
    (void)capmin::image::resolve_image_user(user, passwd, group);
  } catch (const capmin::UserError&) {
  }
  return 0;
}
