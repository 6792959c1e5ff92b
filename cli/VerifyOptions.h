// SPDX-License-Identifier: MIT
#pragma once

#include <boost/program_options.hpp>
#include <chrono>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "analyzer/Platform.h"
#include "verify/Expectation.h"
#include "verify/RuncRuntime.h"
#include "verify/Runtime.h"

namespace capmin::cli {

// The options `capmin verify` and `capmin profile --verify` share: what
// success looks like, when to stop a program that runs on, and how the runc
// container is set up.
struct VerifyOptions {
  std::optional<int> expect_exit;
  std::string expect_output;
  double timeout = 0;  // seconds; 0: none (kCheckTimeout with a check)
  std::string check;
  std::vector<std::string> binds;
  std::string network = "host";
  std::string runc = "runc";
  bool write_through = false;  // no overlay over the working directory
  // auto: contain each run as far as this machine allows, saying once what
  // it does not; require: refuse to run what cannot be contained.
  std::string contain = "auto";
  // Whose facts apply (policies/platforms.yaml); "": docker, or systemd for
  // a --unit (platform_name()).
  std::string platform;
};

// Whether runs get uts and ipc namespaces of their own: where this machine
// allows it (tracer::containment()); the first call says once on standard
// error when it does not. Throws UserError when it does not and `o` says
// --contain=require.
bool contain_uts_ipc(const VerifyOptions& o);

// The platform `o` names, or the default: systemd for a unit's service,
// else docker.
std::string platform_name(const VerifyOptions& o, bool unit = false);

// Adds --expect-exit, --expect-output, --timeout, --bind, --network and
// --runc; `timeout_help` says what --timeout applies to.
void add_verify_options(boost::program_options::options_description& d, VerifyOptions& o,
                        const char* timeout_help);
// Those of them that take a value (for split_command).
std::set<std::string> verify_value_options();

// Throws UserError for a pattern that does not compile.
verify::Expectation make_expectation(const VerifyOptions& o);
// The program to run, as COMMAND, --user and these options say; each
// native run overlays the working directory with a tmpfs on `scratch`
// (ScratchDir; "" for none).
verify::Target make_target(const std::vector<std::string>& command, const std::string& user,
                           const VerifyOptions& o, const verify::Expectation& expected,
                           const std::string& scratch);
// Throws UserError for a negative or absurd timeout.
std::optional<std::chrono::milliseconds> timeout_of(const VerifyOptions& o);
// "native" or "runc"; throws UserError for another name, for runc options
// given to the native runtime, and when runc is missing (status 125). With
// `image`, runc runs that image's container (native cannot).
// The runc options these options say, for `image` or this machine.
// An image's container gets the network sysctls of `platform` (o.platform's).
verify::RuncOptions runc_options(const VerifyOptions& o,
                                 std::optional<verify::ContainerImage> image = std::nullopt,
                                 const analyzer::Platform* platform = nullptr);
std::unique_ptr<verify::Runtime> make_runtime(
    const std::string& name, const VerifyOptions& o, verify::Target target,
    std::optional<verify::ContainerImage> image = std::nullopt,
    const analyzer::Platform* platform = nullptr);

}  // namespace capmin::cli
