// SPDX-License-Identifier: MIT
#include "image/ImageConfig.h"

#include <sys/utsname.h>

#include <nlohmann/json.hpp>

#include "events/Errors.h"

namespace capmin::image {

namespace {

std::vector<std::string> strings(const nlohmann::json& j, const char* key) {
  std::vector<std::string> out;
  if (!j.contains(key) || j[key].is_null()) {
    return out;
  }
  for (const auto& v : j[key]) {
    out.push_back(v.get<std::string>());
  }
  return out;
}

std::string text(const nlohmann::json& j, const char* key) {
  return j.contains(key) && j[key].is_string() ? j[key].get<std::string>() : "";
}

}  // namespace

ImageConfig parse_image_config(const std::string& json, const std::string& origin) {
  const nlohmann::json j = nlohmann::json::parse(json, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object()) {
    throw UserError(origin + ": the image configuration is not JSON");
  }
  ImageConfig c;
  try {
    c.architecture = text(j, "architecture");
    c.os = text(j, "os");
    if (j.contains("config") && j["config"].is_object()) {
      const nlohmann::json& p = j["config"];
      c.entrypoint = strings(p, "Entrypoint");
      c.cmd = strings(p, "Cmd");
      c.env = strings(p, "Env");
      c.working_dir = text(p, "WorkingDir");
      c.user = text(p, "User");
    }
  } catch (const nlohmann::json::exception&) {
    throw UserError(origin +
                    ": the image configuration's Entrypoint, Cmd or Env is not a list "
                    "of strings");
  }
  return c;
}

std::vector<std::string> container_argv(const ImageConfig& config,
                                        const std::vector<std::string>& command) {
  std::vector<std::string> argv = config.entrypoint;
  const std::vector<std::string>& rest = command.empty() ? config.cmd : command;
  argv.insert(argv.end(), rest.begin(), rest.end());
  if (argv.empty()) {
    throw UserError("the image has no entrypoint and no cmd, and no command was given after --");
  }
  return argv;
}

std::string host_architecture() {
  utsname u{};
  uname(&u);
  const std::string m = u.machine;
  if (m == "x86_64") return "amd64";
  if (m == "aarch64") return "arm64";
  if (m == "i686" || m == "i386") return "386";
  return m;
}

}  // namespace capmin::image
