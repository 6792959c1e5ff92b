// SPDX-License-Identifier: MIT
#pragma once

#include <string>

namespace capmin::image {

// Where an image is, as skopeo names transports: an OCI image layout
// directory (`oci:DIR[:TAG]`) or what `docker save` and `podman save` write
// (`docker-archive:FILE`). Nothing is ever pulled from a registry.
struct ImageRef {
  enum class Kind { OciLayout, DockerArchive };
  Kind kind = Kind::OciLayout;
  std::string path;  // the directory or the file, as given
  std::string tag;   // oci: the reference name, "" when not given
  std::string text;  // the reference as the user wrote it, for messages
};

// Throws UserError "--image 'X': ..." for anything else.
ImageRef parse_image_ref(const std::string& text);

}  // namespace capmin::image
