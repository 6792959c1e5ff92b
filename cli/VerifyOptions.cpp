// SPDX-License-Identifier: MIT
#include "cli/VerifyOptions.h"

#include <iostream>

#include "cli/UserSpec.h"
#include "events/Errors.h"
#include "tracer/launch/Containment.h"
#include "verify/NativeRuntime.h"
#include "verify/RuncRuntime.h"

namespace po = boost::program_options;

namespace capmin::cli {

namespace {

constexpr double kMaxTimeout = 7 * 24 * 3600;
// How long a run with a --check and no --timeout may take to pass it.
constexpr double kCheckTimeout = 30;

}  // namespace

void add_verify_options(po::options_description& d, VerifyOptions& o, const char* timeout_help) {
  d.add_options()("expect-exit", po::value<int>()->notifier([&o](int v) { o.expect_exit = v; }),
                  "the exit status that means success (default 0)")(
      "expect-output", po::value(&o.expect_output),
      "success also needs a line of the program's output (standard output and error, still "
      "passed through) to match this regular expression (ECMAScript)")(
      "timeout", po::value(&o.timeout), timeout_help)(
      "check", po::value(&o.check),
      "success is this shell command exiting 0 while the program runs (tried every 250 ms, "
      "each try at most 5 s; e.g. 'curl -sf http://127.0.0.1/'); the program is then stopped. "
      "The timeout defaults to 30 s with it")(
      "bind", po::value(&o.binds)->composing(),
      "runc: make SRC[:DST] writable in the container (repeatable; the working directory "
      "always is)")("network", po::value(&o.network)->default_value(o.network),
                    "runc: host (the host's network, as docker run --network=host) or none (a "
                    "network namespace of its own with loopback only)")(
      "runc", po::value(&o.runc)->default_value(o.runc), "runc: the runc executable to use")(
      "platform", po::value(&o.platform),
      "docker (the default), podman, kubernetes, cri-o, containerd, systemd (the default "
      "with --unit) or host: whose defaults the output "
      "compares with, and, for an --image, the network sysctls its container gets as that "
      "platform sets them (Docker: net.ipv4.ip_unprivileged_port_start=0, so ports below "
      "1024 need no capability)")(
      "contain", po::value(&o.contain)->default_value(o.contain),
      "auto: keep each run from the rest of the machine as far as it allows (uts and ipc "
      "namespaces of the run's own), saying once what it does not; require: refuse to run "
      "when it cannot")(
      "write-through", po::bool_switch(&o.write_through),
      "let the program write to the working directory itself (by default every run sees it "
      "through an overlay of its own, in a mount namespace of its own, so that each starts "
      "from the directory as it is and what a run writes there is discarded)");
}

std::set<std::string> verify_value_options() {
  return {"--expect-exit", "--expect-output", "--timeout",  "--check",  "--bind",
          "--network",     "--runc",          "--platform", "--contain"};
}

bool contain_uts_ipc(const VerifyOptions& o) {
  if (o.contain != "auto" && o.contain != "require") {
    throw UserError("--contain '" + o.contain + "': expected auto or require");
  }
  const tracer::Containment& c = tracer::containment();
  if (!c.uts_ipc && o.contain == "require") {
    throw UserError(
        "--contain=require: capmin cannot give the program uts and ipc namespaces of its own "
        "here (" +
        c.uts_ipc_refused + ")");
  }
  static const bool warned = [&c] {
    if (!c.uts_ipc) {
      std::cerr << "capmin: warning: the program shares this machine's hostname and System V "
                   "IPC: capmin cannot give it namespaces of its own here ("
                << c.uts_ipc_refused << ")\n";
    }
    return true;
  }();
  (void)warned;
  return c.uts_ipc;
}

std::string platform_name(const VerifyOptions& o, bool unit) {
  if (!o.platform.empty()) {
    return o.platform;
  }
  return unit ? "systemd" : "docker";
}

verify::Expectation make_expectation(const VerifyOptions& o) {
  verify::Expectation e;
  if (o.expect_exit) {
    if (*o.expect_exit < 0 || *o.expect_exit > 255) {
      throw UserError("--expect-exit " + std::to_string(*o.expect_exit) +
                      ": an exit status is 0 to 255");
    }
    e.expect_exit(*o.expect_exit);
  }
  if (!o.expect_output.empty()) {
    e.expect_output(o.expect_output);
  }
  if (!o.check.empty()) {
    if (o.expect_exit) {
      throw UserError("--check and --expect-exit: with a check, capmin stops the program itself");
    }
    e.expect_check(o.check);
  }
  return e;
}

std::optional<std::chrono::milliseconds> timeout_of(const VerifyOptions& o) {
  if (!(o.timeout >= 0) || o.timeout > kMaxTimeout) {
    throw UserError("--timeout " + std::to_string(o.timeout) +
                    ": expected a number of seconds, at most a week");
  }
  if (o.timeout == 0) {
    if (!o.check.empty()) {
      return std::chrono::milliseconds(static_cast<long long>(kCheckTimeout * 1000));
    }
    return std::nullopt;
  }
  return std::chrono::milliseconds(static_cast<long long>(o.timeout * 1000));
}

verify::Target make_target(const std::vector<std::string>& command, const std::string& user,
                           const VerifyOptions& o, const verify::Expectation& expected,
                           const std::string& scratch) {
  verify::Target target;
  target.scratch = scratch;
  target.argv = command;
  if (!user.empty()) {
    const UserSpec u = parse_user(user);
    target.uid = u.uid;
    target.gid = u.gid;
  }
  target.timeout = timeout_of(o);
  target.capture_output = expected.wants_output();
  target.receive_syslog = !o.write_through;
  target.check = o.check;
  target.own_uts_ipc = contain_uts_ipc(o);
  return target;
}

verify::RuncOptions runc_options(const VerifyOptions& o,
                                 std::optional<verify::ContainerImage> image,
                                 const analyzer::Platform* platform) {
  verify::RuncOptions r;
  if (image && platform != nullptr) {
    for (const analyzer::Platform::Sysctl& s : platform->network_sysctls) {
      r.network_sysctls.emplace_back(s.name, s.value);
    }
  }
  r.runc = o.runc;
  r.host_network = o.network == "host";
  r.write_through = o.write_through;
  r.image = std::move(image);
  for (const std::string& b : o.binds) {
    r.binds.push_back(verify::parse_bind(b));
  }
  return r;
}

std::unique_ptr<verify::Runtime> make_runtime(const std::string& name, const VerifyOptions& o,
                                              verify::Target target,
                                              std::optional<verify::ContainerImage> image,
                                              const analyzer::Platform* platform) {
  if (o.network != "host" && o.network != "none") {
    throw UserError("--network '" + o.network + "': expected host or none");
  }
  if (name == "native") {
    if (image) {
      throw UserError("--image runs in runc: --runtime native cannot run an image");
    }
    if (!o.binds.empty() || o.network != "host") {
      throw UserError(
          "--bind and --network apply to --runtime runc; a native run sees this "
          "machine as it is");
    }
    return std::make_unique<verify::NativeRuntime>(std::move(target));
  }
  if (name == "runc") {
    return std::make_unique<verify::RuncRuntime>(std::move(target),
                                                 runc_options(o, std::move(image), platform));
  }
  throw UserError("runtime '" + name + "': expected native or runc");
}

}  // namespace capmin::cli
