// SPDX-License-Identifier: MIT
// Image references, configurations and users, resolved as Docker does.
#include <gtest/gtest.h>

#include "events/Errors.h"
#include "image/ImageConfig.h"
#include "image/ImageRef.h"
#include "image/ImageUser.h"
#include "image/Tool.h"

namespace capmin::image {
namespace {

TEST(ImageRef, OciLayoutsWithAndWithoutTagsAndDockerArchives) {
  ImageRef r = parse_image_ref("oci:/srv/img:v1");
  EXPECT_EQ(r.kind, ImageRef::Kind::OciLayout);
  EXPECT_EQ(r.path, "/srv/img");
  EXPECT_EQ(r.tag, "v1");
  r = parse_image_ref("oci:img");
  EXPECT_EQ(r.path, "img");
  EXPECT_EQ(r.tag, "");
  r = parse_image_ref("docker-archive:a:b.tar");
  EXPECT_EQ(r.kind, ImageRef::Kind::DockerArchive);
  EXPECT_EQ(r.path, "a:b.tar");
  for (const char* bad : {"nginx:latest", "oci:", "oci:dir:", "docker-archive:", "docker://x"}) {
    EXPECT_THROW(parse_image_ref(bad), UserError) << bad;
  }
}

const char* kPasswd =
    "root:x:0:0:root:/root:/bin/sh\n"
    "# a comment\n"
    "app:x:1000:1000:app:/home/app:/bin/sh\n"
    "svc:x:70:71::/var/svc:\n";
const char* kGroup = "root:x:0:\napp:x:1000:\nstaff:x:50:app,svc\nwww:x:33:\nsvcgrp:x:71:\n";

TEST(ImageUser, NamesAndNumbersResolveThroughTheImagesFiles) {
  ImageUser u = resolve_image_user("", kPasswd, kGroup);
  EXPECT_EQ(u.uid, 0u);
  EXPECT_EQ(u.gid, 0u);
  EXPECT_EQ(u.home, "/root");
  u = resolve_image_user("app", kPasswd, kGroup);
  EXPECT_EQ(u.uid, 1000u);
  EXPECT_EQ(u.gid, 1000u);
  EXPECT_EQ(u.groups, std::vector<gid_t>{50});
  EXPECT_EQ(u.home, "/home/app");
  u = resolve_image_user("70", kPasswd, kGroup);  // a number with an entry: its group, its home
  EXPECT_EQ(u.gid, 71u);
  EXPECT_EQ(u.home, "/var/svc");
  u = resolve_image_user("4242", kPasswd, kGroup);  // none: group 0, home /
  EXPECT_EQ(u.uid, 4242u);
  EXPECT_EQ(u.gid, 0u);
  EXPECT_EQ(u.home, "/");
  u = resolve_image_user("app:www", kPasswd, kGroup);
  EXPECT_EQ(u.gid, 33u);
  u = resolve_image_user("app:7", kPasswd, kGroup);
  EXPECT_EQ(u.gid, 7u);
}

TEST(ImageUser, ANameTheImageLacksIsAnError) {
  EXPECT_THROW(resolve_image_user("nobody", kPasswd, kGroup), UserError);
  EXPECT_THROW(resolve_image_user("app:nogroup", kPasswd, kGroup), UserError);
  EXPECT_THROW(resolve_image_user("app", "", ""), UserError);  // no passwd file at all
  EXPECT_EQ(resolve_image_user("1000", "", "").uid, 1000u);
}

TEST(ImageConfig, EntrypointThenTheCommandGivenOrTheImages) {
  const ImageConfig c = parse_image_config(
      R"({"architecture":"amd64","os":"linux","config":{"Entrypoint":["/bin/sh","-c"],)"
      R"("Cmd":["echo hi"],"Env":["A=1"],"WorkingDir":"/w","User":"app"}})",
      "test");
  EXPECT_EQ(c.architecture, "amd64");
  EXPECT_EQ(c.user, "app");
  EXPECT_EQ(c.working_dir, "/w");
  EXPECT_EQ(container_argv(c, {}), (std::vector<std::string>{"/bin/sh", "-c", "echo hi"}));
  EXPECT_EQ(container_argv(c, {"id"}), (std::vector<std::string>{"/bin/sh", "-c", "id"}));
  const ImageConfig none = parse_image_config(R"({"config":{"Entrypoint":null}})", "test");
  EXPECT_THROW(container_argv(none, {}), UserError);
  EXPECT_EQ(container_argv(none, {"/x"}), std::vector<std::string>{"/x"});
  EXPECT_THROW(parse_image_config("not json", "test"), UserError);
  EXPECT_THROW(parse_image_config(R"({"config":{"Cmd":[1]}})", "test"), UserError);
}

TEST(Tool, TheLastLineOfATool) {
  EXPECT_EQ(last_line("a\nFATA[0000] it broke\n\n"), "it broke");
  EXPECT_EQ(last_line("time=\"2026\" level=fatal msg=\"no \\\"x\\\" here\"\n"), "no \"x\" here");
  EXPECT_EQ(last_line(""), "");
}

}  // namespace
}  // namespace capmin::image
