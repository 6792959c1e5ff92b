// SPDX-License-Identifier: MIT
#include "image/UnpackedImage.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "events/Errors.h"
#include "events/TempDir.h"
#include "events/UniqueFd.h"
#include "image/Tool.h"

namespace capmin::image {

namespace {

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// The path of a blob of an OCI layout, from its digest ("sha256:HEX").
std::string blob_path(const std::string& layout, const std::string& digest) {
  const std::size_t colon = digest.find(':');
  if (colon == std::string::npos || digest.find('/') != std::string::npos) {
    return "";
  }
  return layout + "/blobs/" + digest.substr(0, colon) + "/" + digest.substr(colon + 1);
}

nlohmann::json read_json(const std::string& path) {
  return nlohmann::json::parse(slurp(path), nullptr, /*allow_exceptions=*/false);
}

constexpr const char* kRefName = "org.opencontainers.image.ref.name";
constexpr const char* kIndexType = "application/vnd.oci.image.index.v1+json";

// The first repository tag docker save recorded in the archive's
// manifest.json ("" when it has none: an image saved by id).
std::string archive_repo_tag(const std::string& archive) {
  const ToolResult r = run_tool({"tar", "-xOf", archive, "manifest.json"}, "tar");
  const auto manifest = nlohmann::json::parse(r.output, nullptr, /*allow_exceptions=*/false);
  if (r.status != 0 || !manifest.is_array() || manifest.empty() || !manifest[0].is_object()) {
    return "";
  }
  const auto tags = manifest[0].find("RepoTags");
  return tags != manifest[0].end() && tags->is_array() && !tags->empty() && (*tags)[0].is_string()
             ? (*tags)[0].get<std::string>()
             : "";
}

}  // namespace

UnpackedImage::UnpackedImage(const ImageRef& ref) : ref_(ref) {
  auto bad = [&ref](const std::string& why) {
    return UserError("--image '" + ref.text + "': " + why);
  };
  struct stat st {};
  if (stat(ref.path.c_str(), &st) != 0) {
    throw bad(ref.path + ": " + std::strerror(errno));
  }
  if (ref.kind == ImageRef::Kind::OciLayout && !S_ISDIR(st.st_mode)) {
    throw bad(ref.path + " is not a directory (an OCI image layout is one)");
  }
  if (ref.kind == ImageRef::Kind::DockerArchive && !S_ISREG(st.st_mode)) {
    throw bad(ref.path + " is not a file (docker save writes one)");
  }
  dir_ = events::make_temp_dir("image");
  try {
    std::string layout = ref.path;
    std::string tag = ref.tag;
    if (ref.kind == ImageRef::Kind::DockerArchive) {
      layout = dir_ + "/layout";
      tag = "capmin";
      const ToolResult r = run_tool(
          {"skopeo", "copy", "--quiet", "docker-archive:" + ref.path, "oci:" + layout + ":" + tag},
          "skopeo");
      if (r.status != 0) {
        throw bad("skopeo cannot read it: " + last_line(r.output));
      }
      name_ = archive_repo_tag(ref.path);
    } else if (ref.tag.find('/') != std::string::npos) {
      name_ = ref.tag;  // a full reference as the tag (skopeo copy ... oci:DIR:registry/name:tag)
    }
    const nlohmann::json index = read_json(layout + "/index.json");
    if (!index.is_object() || !index.contains("manifests") || !index["manifests"].is_array()) {
      throw bad(layout + " is not an OCI image layout (no index.json listing manifests)");
    }
    std::vector<std::string> tags;
    const nlohmann::json* chosen = nullptr;
    for (const auto& m : index["manifests"]) {
      const std::string name = m.contains("annotations") && m["annotations"].contains(kRefName)
                                   ? m["annotations"][kRefName].get<std::string>()
                                   : "";
      tags.push_back(name);
      if ((!tag.empty() && name == tag) || (tag.empty() && index["manifests"].size() == 1)) {
        chosen = &m;
        tag = name;
      }
    }
    if (chosen == nullptr || tag.empty()) {
      std::string names;
      for (const std::string& t : tags) {
        names += (names.empty() ? "" : ", ") + (t.empty() ? std::string("(untagged)") : t);
      }
      throw bad(ref.tag.empty() ? "the layout holds " + std::to_string(tags.size()) +
                                      " images: name one with oci:DIR:TAG (tags: " + names + ")"
                                : "no image tagged '" + ref.tag + "' (tags: " + names + ")");
    }
    digest_ = chosen->value("digest", "");
    nlohmann::json manifest = read_json(blob_path(layout, digest_));
    if (chosen->value("mediaType", "") == kIndexType && manifest.contains("manifests")) {
      throw bad("'" + tag +
                "' is a multi-platform index: save the image for one platform "
                "(docker save of a pulled image is one)");
    }
    if (!manifest.is_object() || !manifest.contains("config")) {
      throw bad("the manifest of '" + tag + "' is missing or corrupt");
    }
    const std::string config_blob =
        slurp(blob_path(layout, manifest["config"].value("digest", "")));
    config_ = parse_image_config(config_blob, "--image '" + ref.text + "'");
    if (!config_.os.empty() && config_.os != "linux") {
      throw bad("the image is for " + config_.os + ", not linux");
    }
    if (!config_.architecture.empty() && config_.architecture != host_architecture()) {
      throw bad("the image is for " + config_.architecture + "; this machine is " +
                host_architecture() + " (capmin runs no emulator)");
    }
    const ToolResult r =
        run_tool({"umoci", "unpack", "--image", layout + ":" + tag, dir_ + "/bundle"}, "umoci");
    if (r.status != 0) {
      throw bad("umoci cannot unpack it: " + last_line(r.output));
    }
  } catch (...) {
    remove();
    throw;
  }
}

UnpackedImage::~UnpackedImage() { remove(); }

void UnpackedImage::remove() {
  std::error_code ignored;
  std::filesystem::remove_all(dir_, ignored);
}

std::string UnpackedImage::read_file(const std::string& path) const {
  const events::UniqueFd root(open(rootfs().c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
  open_how how{};
  how.flags = O_RDONLY | O_CLOEXEC;
  how.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS;
  const std::string relative = path.empty() || path[0] != '/' ? path : path.substr(1);
  const events::UniqueFd fd(
      static_cast<int>(syscall(SYS_openat2, root.get(), relative.c_str(), &how, sizeof how)));
  if (!root || !fd) {
    return "";
  }
  std::string out;
  char buf[8192];
  for (;;) {
    const ssize_t n = read(fd.get(), buf, sizeof buf);
    if (n <= 0 || out.size() > (8u << 20)) {
      break;
    }
    out.append(buf, static_cast<std::size_t>(n));
  }
  return out;
}

}  // namespace capmin::image
