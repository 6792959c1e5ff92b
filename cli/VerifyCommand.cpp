// SPDX-License-Identifier: MIT
#include <unistd.h>

#include <boost/program_options.hpp>
#include <iostream>

#include "cli/CapList.h"
#include "cli/CommandArgs.h"
#include "cli/Commands.h"
#include "cli/ImageProcess.h"
#include "cli/Policy.h"
#include "cli/ScratchDir.h"
#include "cli/UserSpec.h"
#include "cli/VerifyOptions.h"
#include "events/CapabilityNames.h"
#include "events/Errors.h"
#include "image/ImageRef.h"
#include "image/UnpackedImage.h"
#include "tracer/ptrace/CapSets.h"
#include "verify/VerificationText.h"
#include "verify/Verifier.h"

namespace po = boost::program_options;

namespace capmin::cli {

namespace {

// Exit statuses of capmin verify besides 0 and capmin's own 125/126/127.
constexpr int kDoesNotWork = 1;
constexpr int kNotMinimal = 2;

struct Options {
  std::string caps;
  std::string user;
  std::string image;
  std::string runtime;  // "": native, or runc with --image
  bool minimal = false;
  VerifyOptions verify;
};

po::options_description describe(Options& o) {
  po::options_description d(
      "usage: capmin verify --caps CAP[,CAP...] [OPTIONS] -- COMMAND [ARG...]\n"
      "       capmin verify --caps CAP[,CAP...] --image REF [OPTIONS] [-- CMD [ARG...]]\n\n"
      "Runs COMMAND, untraced, with exactly the capabilities given (bounding, permitted and\n"
      "effective sets; inheritable and ambient too for a non-root --user), and tells whether\n"
      "it succeeds. With --minimal, then runs it once without each capability in turn:\n"
      "one it succeeds without is not needed.\n\n"
      "exit status: 0 when the set works (with --minimal: and each capability is needed),\n"
      "1 when it does not, 2 when a capability is not needed; 125/126/127 as for profile.\n\n"
      "options");
  d.add_options()("help,h", "this help")(
      "caps", po::value(&o.caps)->required(),
      "the capabilities, separated by commas: CAP_NET_RAW, NET_RAW or net_raw; none for none")(
      "user", po::value(&o.user),
      "run as UID[:GID] or NAME[:GROUP] (supplementary groups cleared; with --image, "
      "looked up in the image)")(
      "image", po::value(&o.image),
      "run a container of this image in runc, as docker run would: oci:DIR[:TAG] (an OCI "
      "image layout) or docker-archive:FILE (docker save); a command after -- replaces its "
      "Cmd")(
      "runtime", po::value(&o.runtime),
      "native (the default): on this machine as it is; runc (the default with --image): in a "
      "runc container whose root is this machine's / read-only, or the image's")(
      "minimal", po::bool_switch(&o.minimal), "also run without each capability in turn");
  add_verify_options(
      d, o.verify,
      "stop the program (SIGTERM, then SIGKILL 2 s later) if it still runs after "
      "SECONDS; a program stopped so has not failed, and only --expect-output or --check "
      "judges it (for servers)");
  return d;
}

}  // namespace

int verify_command(const std::vector<std::string>& args) {
  Options o;
  const po::options_description desc = describe(o);
  std::set<std::string> with_value = verify_value_options();
  with_value.insert({"--caps", "--user", "--runtime", "--image"});
  const auto command = parse_command_args(
      args, desc, with_value,
      "no command to verify (capmin verify --caps CAP[,CAP...] -- COMMAND [ARG...])");
  if (!command) {
    return 0;
  }
  const std::vector<int> caps = parse_cap_list(o.caps);
  const verify::Expectation expected = make_expectation(o.verify);
  if (geteuid() != 0) {
    throw UserError(
        "capmin verify must run as root: it sets the capability sets and user the way a "
        "container runtime does");
  }

  // A capability capmin does not hold cannot be granted: say so, rather
  // than fail in the child's capset.
  std::vector<int> lacking;
  const auto own = tracer::capget_of(0);
  for (int cap : caps) {
    if (!own || (own->permitted & (std::uint64_t{1} << cap)) == 0) {
      lacking.push_back(cap);
    }
  }
  if (!lacking.empty()) {
    throw UserError(events::cap_names_text(lacking) +
                    " cannot be tested here: capmin does not hold " +
                    (lacking.size() > 1 ? "them" : "it") + " (not in its permitted set)");
  }
  std::unique_ptr<image::UnpackedImage> unpacked;
  std::unique_ptr<ScratchDir> scratch;  // outlives the runs
  std::unique_ptr<verify::Runtime> runtime;
  std::vector<std::string> shown = *command;
  if (!o.image.empty()) {
    unpacked = std::make_unique<image::UnpackedImage>(image::parse_image_ref(o.image));
    ImageProcess p = image_process(*unpacked, *command, o.user);
    verify::Target target = make_target(p.argv, "", o.verify, expected, "");
    target.uid = p.uid;
    target.gid = p.gid;
    shown = p.argv;
    const Policy policy = load_policy({});
    runtime = make_runtime(o.runtime.empty() ? "runc" : o.runtime, o.verify, std::move(target),
                           std::move(p.container), &policy.platform(platform_name(o.verify)));
  } else {
    if (o.runtime.empty()) {
      o.runtime = "native";
    }
    scratch = std::make_unique<ScratchDir>(o.verify.write_through || o.runtime != "native");
    runtime = make_runtime(o.runtime, o.verify,
                           make_target(*command, o.user, o.verify, expected, scratch->path()));
  }

  const verify::Verification v = verify::verify(*runtime, caps, expected, o.minimal);
  verify::write_text(v, shown, std::cout);
  std::cout.flush();
  if (v.passed()) {
    return 0;
  }
  std::cerr << "capmin: verify failed: " << v.summary() << '\n';
  return v.works() ? kNotMinimal : kDoesNotWork;
}

}  // namespace capmin::cli
