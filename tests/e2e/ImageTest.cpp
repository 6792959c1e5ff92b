// SPDX-License-Identifier: MIT
// Container images as capmin's input: images built here, offline, with
// umoci from Debian's static busybox (an OCI layout, and the same image
// saved by skopeo as a docker archive), run in runc as docker run would:
// the image's own root, user, environment and command.
#include <algorithm>
#include <set>

#include "Harness.h"

namespace capmin::e2e {
namespace {

// An image whose user is app (uid 1000, in the supplementary group staff,
// all from the image's own /etc/passwd and /etc/group, which the host does
// not have), and whose command gives another user a file it does not own:
// CAP_CHOWN. Then the same image as docker save would write it. `sums` is
// every file of the layout and archive with its SHA-256, to compare after.
const char* kBusyboxImage =
    "umoci init --layout L && umoci new --image L:t && umoci unpack --image L:t B && "
    "mkdir -p B/rootfs/bin B/rootfs/etc && cp /bin/busybox B/rootfs/bin/ && "
    "ln -s busybox B/rootfs/bin/sh && "
    "printf 'root:x:0:0:root:/root:/bin/sh\\napp:x:1000:1000:app:/home/app:/bin/sh\\n' "
    ">B/rootfs/etc/passwd && "
    "printf 'root:x:0:\\napp:x:1000:\\nstaff:x:50:app\\n' >B/rootfs/etc/group && "
    "umoci repack --image L:t B && rm -rf B && "
    "umoci config --image L:t --config.entrypoint /bin/sh --config.cmd -c "
    "--config.cmd 'id; echo HOME=$HOME; hostname; chown 1234 /etc/passwd' --config.user app "
    "--config.workingdir /home/app && "
    "umoci config --image L:t --tag noent --config.entrypoint /bin/nothere && "
    "umoci config --image L:t --tag us --config.user root --config.entrypoint /bin/sh "
    "--config.cmd -c --config.cmd 'busybox unshare -U true && echo unshared' && "
    "umoci new --image L:empty && "
    "skopeo copy --quiet oci:L:t docker-archive:img.tar:capmin/test:t && "
    "echo junk >bad.tar && "
    "find L img.tar -type f | sort | xargs sha256sum >sums";

#define REQUIRE_IMAGE_TOOLS()             \
  do {                                    \
    CAPMIN_REQUIRE_ROOT_AND_NAMESPACES(); \
    REQUIRE_PROGRAM("/usr/bin/umoci");    \
    REQUIRE_PROGRAM("/usr/bin/skopeo");   \
    REQUIRE_PROGRAM("/usr/bin/busybox");  \
    REQUIRE_PROGRAM("/usr/sbin/runc");    \
  } while (0)

CapminRun verify_image(const std::string& ref, const std::vector<std::string>& args,
                       const std::vector<std::string>& command = {}) {
  std::vector<std::string> all = {"verify", "--image", ref};
  all.insert(all.end(), args.begin(), args.end());
  // The image is built in the run's directory, and checked after.
  return run_capmin(all, command,
                    {.setup = kBusyboxImage,
                     .report = false,
                     .after = "find L img.tar -type f | sort | xargs sha256sum | cmp -s - sums "
                              "&& echo UNCHANGED"});
}

TEST(Image, TheImagesUserFromItsOwnPasswdNeedsExactlyChownInEitherForm) {
  REQUIRE_IMAGE_TOOLS();
  for (const char* ref : {"oci:L:t", "docker-archive:img.tar"}) {
    SCOPED_TRACE(ref);
    const CapminRun r = verify_image(ref, {"--caps", "CHOWN", "--minimal"});
    const DescribeOnFailure described(r);
    EXPECT_EQ(r.status, 0);
    EXPECT_TRUE(r.printed("uid=1000(app) gid=1000(app) groups=50(staff)"));
    EXPECT_TRUE(r.printed("HOME=/home/app"));
    EXPECT_NE(r.out.find("\ncapmin-"), std::string::npos) << r.out;  // the container's hostname
    EXPECT_TRUE(
        r.printed("result: verified in runc: works with exactly CAP_CHOWN, and fails "
                  "without any one of them"));
    EXPECT_NE(r.out.find(std::string("the image ") + ref), std::string::npos) << r.out;
    EXPECT_EQ(r.after, "UNCHANGED\n") << "the image on disk changed";
  }
  const CapminRun none = verify_image("oci:L:t", {"--caps", "none"});
  const DescribeOnFailure described(none);
  EXPECT_EQ(none.status, 1);
  EXPECT_NE(none.err.find("chown: /etc/passwd: Operation not permitted"), std::string::npos);
}

TEST(Image, UserAndCommandOverrideTheImagesAsDockerRunDoes) {
  REQUIRE_IMAGE_TOOLS();
  // --user root from the image's passwd: chown needs nothing... but it is
  // root's own file, so nothing at all; the command after -- replaces Cmd.
  const CapminRun r =
      verify_image("oci:L:t", {"--caps", "none", "--user", "root"}, {"-c", "id; echo hi"});
  const DescribeOnFailure described(r);
  EXPECT_EQ(r.status, 0);
  EXPECT_TRUE(r.printed("uid=0(root) gid=0(root)"));
  EXPECT_TRUE(r.printed("hi"));
}

// A web server image (busybox httpd on port 80, as root): its --check
// runs in the container's network namespace, where 127.0.0.1 is the
// container's.
const char* kWebImage =
    "umoci init --layout H && umoci new --image H:web && umoci unpack --image H:web B && "
    "mkdir -p B/rootfs/bin B/rootfs/www && cp /bin/busybox B/rootfs/bin/ && "
    "echo hello >B/rootfs/www/index.html && umoci repack --image H:web B && rm -rf B && "
    "umoci config --image H:web --config.entrypoint /bin/busybox --config.cmd httpd "
    "--config.cmd -f --config.cmd -p --config.cmd 80 --config.cmd -h --config.cmd /www";

TEST(Image, AServerImageIsJudgedByACheckInItsOwnNetwork) {
  REQUIRE_IMAGE_TOOLS();
  // --platform host: the network namespace keeps the kernel's port 1024.
  const CapminRun r = run_capmin({"verify", "--image", "oci:H:web", "--platform", "host", "--caps",
                                  "NET_BIND_SERVICE", "--minimal", "--timeout", "20", "--check",
                                  "/bin/busybox wget -q -O /dev/null http://127.0.0.1/"},
                                 {}, {.setup = kWebImage, .report = false});
  const DescribeOnFailure described(r);
  EXPECT_EQ(r.status, 0);
  EXPECT_TRUE(r.printed("  with all of them              passed  (the check passed (stopped))"))
      << r.out;
  EXPECT_TRUE(r.printed("  without CAP_NET_BIND_SERVICE  failed  (exit 1)  -> needed")) << r.out;
  EXPECT_NE(r.err.find("httpd: bind: Permission denied"), std::string::npos) << r.err;
}

TEST(Image, BadImagesAndUsersAreOneLineErrors) {
  REQUIRE_IMAGE_TOOLS();
  const std::pair<std::vector<std::string>, std::string> cases[] = {
      {{"oci:missing"}, "--image 'oci:missing': missing: No such file or directory"},
      {{"docker-archive:bad.tar"}, "--image 'docker-archive:bad.tar': skopeo cannot read it: "},
      {{"oci:L:nosuch"}, "--image 'oci:L:nosuch': no image tagged 'nosuch' (tags: "},
      {{"oci:L"}, "--image 'oci:L': the layout holds 4 images: name one with oci:DIR:TAG"},
      {{"oci:L:empty"}, "the image has no entrypoint and no cmd, and no command was given"},
      {{"oci:L:t", "--user", "nobody"},
       "unable to find user nobody: no matching entries in the image's passwd file"},
      {{"registry.example/x"},
       "--image 'registry.example/x': expected oci:DIR[:TAG] (an OCI image layout) or "
       "docker-archive:FILE"},
  };
  for (const auto& [args, message] : cases) {
    SCOPED_TRACE(args[0]);
    std::vector<std::string> rest(args.begin() + 1, args.end());
    rest.insert(rest.end(), {"--caps", "none"});
    const CapminRun r = verify_image(args[0], rest);
    EXPECT_EQ(r.status, 125) << r.err;
    EXPECT_EQ(r.err.rfind("capmin: error: " + message, 0), 0u) << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  }
  // An entrypoint the image does not have: 127, as docker run.
  const CapminRun noent = verify_image("oci:L:noent", {"--caps", "none"});
  EXPECT_EQ(noent.status, 127) << noent.err;
  EXPECT_NE(noent.err.find("capmin: error: cannot run '/bin/nothere' in the container: not found"),
            std::string::npos)
      << noent.err;
}

// Every "exe" anywhere in a report: the programs whose refusals it holds.
void collect_exes(const nlohmann::json& j, std::set<std::string>& exes) {
  if (j.is_object()) {
    for (const auto& [key, value] : j.items()) {
      if (key == "exe" && value.is_string()) {
        exes.insert(value.get<std::string>());
      } else {
        collect_exes(value, exes);
      }
    }
  } else if (j.is_array()) {
    for (const auto& e : j) {
      collect_exes(e, exes);
    }
  }
}

CapminRun profile_image(const std::string& ref, const std::vector<std::string>& args,
                        const char* setup = kBusyboxImage) {
  std::vector<std::string> all = {"profile", "--image", ref};
  all.insert(all.end(), args.begin(), args.end());
  return run_capmin(all, {},
                    {.setup = setup,
                     .after = "find L img.tar -type f 2>/dev/null | sort | xargs -r sha256sum | "
                              "cmp -s - sums && echo UNCHANGED"});
}

TEST(ImageProfile, TheImagesUserNeedsExactlyChownProvenInEitherForm) {
  REQUIRE_IMAGE_TOOLS();
  for (const char* ref : {"oci:L:t", "docker-archive:img.tar"}) {
    SCOPED_TRACE(ref);
    const CapminRun r = profile_image(ref, {});
    const DescribeOnFailure described(r);
    EXPECT_EQ(r.status, 0);
    EXPECT_EQ(r.caps(), (std::set<std::string>{"CAP_CHOWN"}));
    EXPECT_EQ(r.confidence("CAP_CHOWN"), "confirmed");
    EXPECT_EQ(r.report["image"], ref);
    EXPECT_EQ(r.report["user"]["uid"], 1000);
    EXPECT_EQ(r.report["user"]["gid"], 1000);
    EXPECT_EQ(r.report["minimal"]["proven"], true);
    EXPECT_TRUE(r.printed("uid=1000(app) gid=1000(app) groups=50(staff)"));
    EXPECT_TRUE(r.printed("HOME=/home/app"));
    std::set<std::string> exes;
    collect_exes(r.report, exes);
    EXPECT_EQ(exes, (std::set<std::string>{"/bin/busybox"}));  // nothing of runc's
    EXPECT_EQ(r.after, "UNCHANGED\n") << "the image on disk changed";
    // The lines to paste are the image's: its name where the archive has
    // one, its user, and the setcap line naming the executable inside it.
    const std::string name = std::string(ref) == "oci:L:t" ? "IMAGE" : "docker.io/capmin/test:t";
    EXPECT_TRUE(r.printed("  docker run --cap-drop=ALL --cap-add=CHOWN " + name)) << r.out;
    EXPECT_TRUE(r.printed("  podman run --cap-drop=ALL --cap-add=CHOWN " + name));
    EXPECT_TRUE(r.printed("  LABEL io.containers.capabilities=CHOWN"));
    EXPECT_TRUE(r.printed("  image: " + name));
    EXPECT_TRUE(r.printed("    runAsUser: 1000"));
    EXPECT_TRUE(r.printed("    runAsGroup: 1000"));
    EXPECT_TRUE(r.printed("    allowPrivilegeEscalation: true"));
    EXPECT_TRUE(r.printed("  RUN setcap cap_chown+ep /bin/busybox"));
  }
  // Deny mode: the container's sets are empty, exactly --cap-drop=ALL.
  const CapminRun deny = profile_image("oci:L:t", {"--mode", "deny", "--no-minimal"});
  const DescribeOnFailure described(deny);
  EXPECT_EQ(deny.status, 1);
  EXPECT_EQ(deny.caps(), (std::set<std::string>{"CAP_CHOWN"}));
  EXPECT_EQ(deny.confidence("CAP_CHOWN"), "inferred");
  EXPECT_NE(deny.err.find("chown: /etc/passwd: Operation not permitted"), std::string::npos);
}

TEST(ImageProfile, AServerImageIsProfiledFromItsOwnProcessesOnlyUntilTheCheckPasses) {
  REQUIRE_IMAGE_TOOLS();
  // --no-seccomp: every call of runc's stops too; none may be recorded.
  for (const char* tracing : {"--stats", "--no-seccomp"}) {
    SCOPED_TRACE(tracing);
    const CapminRun r = profile_image("oci:H:web",
                                      {tracing, "--platform", "host", "--timeout", "20", "--check",
                                       "/bin/busybox wget -q -O /dev/null http://127.0.0.1/"},
                                      kWebImage);
    const DescribeOnFailure described(r);
    EXPECT_EQ(r.caps(), (std::set<std::string>{"CAP_NET_BIND_SERVICE"}));
    EXPECT_EQ(r.report["exit"]["stopped_by"], "check");
    EXPECT_EQ(r.report["minimal"]["proven"], true);
    EXPECT_EQ(r.report.value("/verification/runtime"_json_pointer, ""), "runc");
    std::set<std::string> exes;
    collect_exes(r.report, exes);
    EXPECT_EQ(exes, (std::set<std::string>{"/bin/busybox"}));
    EXPECT_TRUE(r.printed("  ended: by capmin, once the --check passed"));
  }
}

// Each platform's network namespace as its engine leaves it: Docker opens
// the ports below 1024 to every uid (ip_unprivileged_port_start=0), Podman,
// CRI-O and a plain namespace do not; Kubernetes assumes nothing.
TEST(ImageProfile, PortEightyNeedsNetBindServiceOnlyWhereThePlatformKeepsThePortLimit) {
  REQUIRE_IMAGE_TOOLS();
  const std::pair<const char*, std::set<std::string>> cases[] = {
      {"host", {"CAP_NET_BIND_SERVICE"}},
      {"docker", {}},
      {"podman", {"CAP_NET_BIND_SERVICE"}},
      {"kubernetes", {"CAP_NET_BIND_SERVICE"}},
  };
  for (const auto& [platform, caps] : cases) {
    SCOPED_TRACE(platform);
    const CapminRun r =
        profile_image("oci:H:web",
                      {"--platform", platform, "--no-minimal", "--timeout", "20", "--check",
                       "/bin/busybox wget -q -O /dev/null http://127.0.0.1/"},
                      kWebImage);
    const DescribeOnFailure described(r);
    EXPECT_EQ(r.report["exit"]["stopped_by"], "check");  // it served, with or without
    EXPECT_EQ(r.caps(), caps);
    EXPECT_EQ(r.report["platform"], platform);
    EXPECT_NE(r.out.find(std::string("\n  platform: ") + platform + " ("), std::string::npos);
    if (std::string(platform) == "docker") {
      EXPECT_EQ(r.report["network_sysctls"]["net.ipv4.ip_unprivileged_port_start"], "0");
      EXPECT_NE(r.out.find("net.ipv4.ip_unprivileged_port_start=0, net.ipv4.ping_group_range=0 "
                           "2147483647, as Docker sets them: binding a port below 1024 needs "
                           "no CAP_NET_BIND_SERVICE there"),
                std::string::npos);
    } else {
      EXPECT_FALSE(r.report["network_sysctls"].contains("net.ipv4.ip_unprivileged_port_start"));
    }
    if (std::string(platform) == "kubernetes") {
      // Root breaks restricted; its capabilities fit it with NET_BIND_SERVICE,
      // or with the pod's safe sysctl instead.
      EXPECT_EQ(r.report["pod_security"]["baseline"], true);
      EXPECT_EQ(r.report["pod_security"]["restricted"], false);
      EXPECT_TRUE(r.printed("Pod Security Standards: baseline fits, restricted does not fit"));
      EXPECT_TRUE(
          r.printed("  - it runs as uid 0: restricted needs runAsNonRoot: true (a "
                    "non-root USER in the image, or runAsUser)"));
      EXPECT_TRUE(r.printed(
          "  note: NET_BIND_SERVICE: the one capability restricted lets a container add"));
      EXPECT_NE(r.out.find("  note: instead of NET_BIND_SERVICE, the pod can set "
                           "net.ipv4.ip_unprivileged_port_start to \"0\" in its "
                           "securityContext.sysctls"),
                std::string::npos);
    } else {
      EXPECT_FALSE(r.report.contains("pod_security"));
    }
  }
}

// A Debian program in an image of its own, with the shared libraries ldd
// names copied in (without the file capability Debian gives it: cp drops
// it): iputils' ping, which opens an ICMP datagram socket, and a raw one
// when that is refused. The datagram socket is allowed by group, through
// ping_group_range: Docker opens it to every group, Podman to group 0, a
// plain namespace to none (Kubernetes assumes none).
const char* kPingImage =
    "umoci init --layout P && umoci new --image P:ping && umoci unpack --image P:ping B && "
    "for f in /usr/bin/ping $(ldd /usr/bin/ping | grep -o '/[^ ]*'); do "
    "mkdir -p B/rootfs$(dirname $f) && cp -L $f B/rootfs$f; done && "
    "umoci repack --image P:ping B && rm -rf B && "
    "umoci config --image P:ping --config.entrypoint /usr/bin/ping --config.cmd -c1 "
    "--config.cmd -W1 --config.cmd 127.0.0.1";

TEST(ImageProfile, PingNeedsNetRawOnlyWhereThePlatformClosesPingSockets) {
  REQUIRE_IMAGE_TOOLS();
  REQUIRE_PROGRAM("/usr/bin/ping");
  const std::pair<const char*, std::set<std::string>> cases[] = {
      {"host", {"CAP_NET_RAW"}},
      {"docker", {}},
      {"podman", {}},
      {"kubernetes", {"CAP_NET_RAW"}},
  };
  for (const auto& [platform, caps] : cases) {
    SCOPED_TRACE(platform);
    const CapminRun r = profile_image("oci:P:ping", {"--platform", platform}, kPingImage);
    const DescribeOnFailure described(r);
    EXPECT_EQ(r.status, 0);
    EXPECT_NE(r.out.find("1 packets transmitted, 1 received, 0% packet loss"), std::string::npos);
    EXPECT_EQ(r.caps(), caps);
    EXPECT_EQ(r.report["minimal"]["proven"], true);
    if (caps.empty()) {
      // The raw socket was refused and confirmed, but ping did its job without it.
      EXPECT_TRUE(r.printed("  CAP_NET_RAW  refused, not needed: the program works without it"));
    }
  }
}

// unshare(CLONE_NEWUSER) needs no capability from the kernel, but Docker's
// default seccomp profile lets unshare through only with SYS_ADMIN in the
// bounding set; Podman's lets it through; Kubernetes applies no profile
// unless the pod asks for one.
TEST(ImageProfile, ACallDockersSeccompProfileGatesIsAnnotatedWhereItIsMade) {
  REQUIRE_IMAGE_TOOLS();
  for (const char* platform : {"docker", "podman", "kubernetes"}) {
    SCOPED_TRACE(platform);
    const CapminRun r = profile_image("oci:L:us", {"--platform", platform, "--no-minimal"});
    const DescribeOnFailure described(r);
    // Where the host forbids user namespaces (capmin in a chroot: the kernel
    // refuses CLONE_NEWUSER to a chrooted caller) the call fails; the
    // profile's verdict on it is the same.
    EXPECT_EQ(r.printed("unshared"), r.status == 0);
    EXPECT_EQ(r.caps(), std::set<std::string>{});  // the kernel asked for nothing
    if (std::string(platform) == "docker") {
      ASSERT_TRUE(r.report.contains("seccomp_gated_calls"));
      const auto& gated = r.report["seccomp_gated_calls"];
      ASSERT_EQ(gated.size(), 1u);
      EXPECT_EQ(gated[0]["syscall"], "unshare");
      EXPECT_EQ(gated[0]["args"], "flags=CLONE_NEWUSER");
      EXPECT_EQ(gated[0]["exe"], "/bin/busybox");
      EXPECT_EQ(gated[0]["passes_with"], nlohmann::json::array({"CAP_SYS_ADMIN"}));
      EXPECT_EQ(gated[0]["held"], false);
      EXPECT_TRUE(r.printed("Docker's default seccomp profile and the calls it gates: 1"));
      EXPECT_TRUE(r.printed(
          "        passes the profile only with SYS_ADMIN in the bounding set, which the kernel "
          "did not ask for here: add it under Docker, or run with a profile that allows the "
          "call"));
    } else {
      EXPECT_FALSE(r.report.contains("seccomp_gated_calls"));
    }
  }
}

TEST(ImageProfile, AnEntrypointTheImageLacksIs127) {
  REQUIRE_IMAGE_TOOLS();
  const CapminRun r = profile_image("oci:L:noent", {"--no-minimal"});
  EXPECT_EQ(r.status, 127) << r.err;
  // runc says why first, on the stderr it shares with the container; then
  // capmin, in one line.
  const std::string last = "capmin: error: cannot run '/bin/nothere' in the container: not found\n";
  ASSERT_GE(r.err.size(), last.size()) << r.err;
  EXPECT_EQ(r.err.substr(r.err.size() - last.size()), last) << r.err;
}

}  // namespace
}  // namespace capmin::e2e
