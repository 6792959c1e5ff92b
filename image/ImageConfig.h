// SPDX-License-Identifier: MIT
#pragma once

#include <string>
#include <vector>

namespace capmin::image {

// What an image says about the process it runs (the OCI image
// configuration's `config`, which Docker's image JSON shares), and what it
// was built for.
struct ImageConfig {
  std::vector<std::string> entrypoint;
  std::vector<std::string> cmd;
  std::vector<std::string> env;  // NAME=VALUE
  std::string working_dir;       // "" for none
  std::string user;              // "" for none: root
  std::string architecture;      // GOARCH names: amd64, arm64...
  std::string os;                // linux
};

// Parses an image configuration blob. Throws UserError naming `origin`
// when it is not one.
ImageConfig parse_image_config(const std::string& json, const std::string& origin);

// The process of a container of this image, as `docker run IMAGE [CMD...]`
// makes it: the entrypoint followed by the command given, or by the image's
// own when none is. Throws UserError when both are empty.
std::vector<std::string> container_argv(const ImageConfig& config,
                                        const std::vector<std::string>& command);

// The GOARCH name of the machine capmin runs on ("amd64").
std::string host_architecture();

}  // namespace capmin::image
