// SPDX-License-Identifier: MIT
#include "image/ImageRef.h"

#include "events/Errors.h"

namespace capmin::image {

ImageRef parse_image_ref(const std::string& text) {
  ImageRef ref;
  ref.text = text;
  auto bad = [&text](const std::string& why) {
    return UserError("--image '" + text + "': " + why);
  };
  const std::string oci = "oci:";
  const std::string archive = "docker-archive:";
  if (text.rfind(oci, 0) == 0) {
    ref.kind = ImageRef::Kind::OciLayout;
    std::string rest = text.substr(oci.size());
    // The tag is after the last colon, as skopeo reads it; a directory
    // whose name holds a colon must be given with its tag.
    const std::size_t colon = rest.rfind(':');
    if (colon != std::string::npos) {
      ref.tag = rest.substr(colon + 1);
      rest.resize(colon);
      if (ref.tag.empty()) {
        throw bad("an empty tag after ':'");
      }
    }
    ref.path = rest;
  } else if (text.rfind(archive, 0) == 0) {
    ref.kind = ImageRef::Kind::DockerArchive;
    ref.path = text.substr(archive.size());
  } else {
    throw bad(
        "expected oci:DIR[:TAG] (an OCI image layout) or docker-archive:FILE (docker save, "
        "podman save); nothing is pulled from a registry");
  }
  if (ref.path.empty()) {
    throw bad("no path");
  }
  return ref;
}

}  // namespace capmin::image
