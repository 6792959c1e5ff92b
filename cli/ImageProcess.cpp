// SPDX-License-Identifier: MIT
#include "cli/ImageProcess.h"

#include "image/ImageUser.h"

namespace capmin::cli {

namespace {

bool has(const std::vector<std::string>& env, const std::string& name) {
  for (const std::string& e : env) {
    if (e.rfind(name + "=", 0) == 0) {
      return true;
    }
  }
  return false;
}

}  // namespace

ImageProcess image_process(const image::UnpackedImage& image,
                           const std::vector<std::string>& command, const std::string& user) {
  const image::ImageConfig& c = image.config();
  ImageProcess p;
  p.argv = image::container_argv(c, command);
  const image::ImageUser u = image::resolve_image_user(
      user.empty() ? c.user : user, image.read_file("/etc/passwd"), image.read_file("/etc/group"));
  p.uid = u.uid;
  p.gid = u.gid;
  verify::ContainerImage& ci = p.container;
  ci.rootfs = image.rootfs();
  ci.name = image.ref().text;
  ci.groups = u.groups;
  ci.cwd = c.working_dir.empty() ? "/" : c.working_dir;
  // Docker's container hostname is the id's first 12 hex digits; this one
  // says whose it is.
  ci.hostname = "capmin-" + (image.digest().size() > 13 ? image.digest().substr(7, 6) : "image");
  ci.env = c.env;
  if (!has(ci.env, "PATH")) {
    ci.env.insert(ci.env.begin(),
                  "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
  }
  ci.env.insert(ci.env.begin() + 1, "HOSTNAME=" + ci.hostname);
  if (!has(ci.env, "HOME")) {
    ci.env.push_back("HOME=" + u.home);
  }
  return p;
}

}  // namespace capmin::cli
