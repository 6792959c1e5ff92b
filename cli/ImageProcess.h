// SPDX-License-Identifier: MIT
#pragma once

#include <string>
#include <vector>

#include "image/UnpackedImage.h"
#include "verify/RuncRuntime.h"
#include "verify/Runtime.h"

namespace capmin::cli {

// A container of an image as `docker run [--user U] IMAGE [CMD...]` starts
// it: the entrypoint and command, the image's environment (with PATH,
// HOSTNAME and HOME as Docker adds them), its working directory, and its
// user (or `user`) resolved through the image's own /etc/passwd and
// /etc/group. Throws UserError for a user or group the image lacks, or an
// image with nothing to run.
struct ImageProcess {
  std::vector<std::string> argv;
  uid_t uid = 0;
  gid_t gid = 0;
  verify::ContainerImage container;
};
ImageProcess image_process(const image::UnpackedImage& image,
                           const std::vector<std::string>& command, const std::string& user);

}  // namespace capmin::cli
