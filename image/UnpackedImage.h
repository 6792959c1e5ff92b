// SPDX-License-Identifier: MIT
#pragma once

#include <string>

#include "image/ImageConfig.h"
#include "image/ImageRef.h"

namespace capmin::image {

// An image unpacked for capmin's runs, in a directory of its own under
// $TMPDIR (or /tmp), removed when this goes: a docker archive is first
// copied into an OCI layout there with skopeo, then the image is unpacked
// with umoci (its layers applied, owners kept). The runs see its root file
// system read-only below a writable layer of their own: nothing here
// changes after the constructor, and the image the user gave is only read.
class UnpackedImage {
 public:
  // Throws UserError (status 125), one line each: the path is missing, is
  // no layout or archive, holds no such tag, or is for another machine;
  // skopeo or umoci are missing or fail (their last line quoted).
  explicit UnpackedImage(const ImageRef& ref);
  ~UnpackedImage();
  UnpackedImage(const UnpackedImage&) = delete;
  UnpackedImage& operator=(const UnpackedImage&) = delete;

  const ImageRef& ref() const { return ref_; }
  const ImageConfig& config() const { return config_; }
  // The unpacked root file system (never written to by a run).
  std::string rootfs() const { return dir_ + "/bundle/rootfs"; }
  // The manifest's digest ("sha256:..."), which names the image exactly.
  const std::string& digest() const { return digest_; }
  // Its name for docker run: a docker archive's repository tag, an OCI
  // layout's tag when that is a full reference; "" otherwise.
  const std::string& name() const { return name_; }
  // A file of the image (a path from its root, such as "/etc/passwd"),
  // symlinks followed inside the image only; "" when there is none.
  std::string read_file(const std::string& path) const;

 private:
  void remove();

  ImageRef ref_;
  std::string dir_;
  ImageConfig config_;
  std::string digest_;
  std::string name_;
};

}  // namespace capmin::image
