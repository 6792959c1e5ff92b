// SPDX-License-Identifier: MIT
#include <linux/seccomp.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <boost/program_options.hpp>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <functional>
#include <iostream>
#include <memory>
#include <sstream>

#include "analyzer/Analyzer.h"
#include "analyzer/DisplaySafe.h"
#include "analyzer/emit/Emitter.h"
#include "cli/CommandArgs.h"
#include "cli/Commands.h"
#include "cli/ImageProcess.h"
#include "cli/LaterRunsInput.h"
#include "cli/OneLine.h"
#include "cli/OutputFile.h"
#include "cli/Policy.h"
#include "cli/ProvenSet.h"
#include "cli/ScratchDir.h"
#include "cli/TraceRun.h"
#include "cli/UnitProcess.h"
#include "cli/UserSpec.h"
#include "cli/VerificationRecord.h"
#include "cli/VerifyOptions.h"
#include "events/CapabilityNames.h"
#include "events/Errors.h"
#include "image/ImageRef.h"
#include "image/UnpackedImage.h"
#include "tracer/ptrace/CapSets.h"
#include "verify/OutputTee.h"
#include "verify/Verifier.h"

namespace po = boost::program_options;

namespace capmin::cli {

namespace {

// capmin's own peak resident set, in kB: VmHWM, which starts afresh at
// execve (getrusage's ru_maxrss keeps the peak of whatever ran capmin) and
// leaves the traced program out. 0 if unreadable.
long peak_rss_kb() {
  std::ifstream status("/proc/self/status");
  for (std::string line; std::getline(status, line);) {
    if (line.rfind("VmHWM:", 0) == 0) {
      return std::strtol(line.c_str() + 6, nullptr, 10);
    }
  }
  return 0;
}

// Whether the kernel can send system calls to a tracer from a seccomp
// filter (CONFIG_SECCOMP_FILTER, and no outer policy forbidding it).
bool seccomp_available() {
  std::uint32_t action = SECCOMP_RET_TRACE;
  return syscall(SYS_seccomp, SECCOMP_GET_ACTION_AVAIL, 0, &action) == 0;
}

// Whether capmin holds capabilities it could grant the program.
bool can_grant() {
  auto own = tracer::capget_of(0);
  return own && own->permitted != 0;
}

struct Options {
  std::string mode = "auto";
  std::string user;
  std::string image;
  std::string unit;
  std::string report;
  std::string format = "text";
  std::string output = "-";
  std::vector<std::string> policies;
  bool stats = false;
  bool no_seccomp = false;
  bool no_stacks = false;
  bool no_minimal = false;
  bool probe_unsafe = false;
  std::string verify;          // "": no verification; else the runtime
  std::optional<int> iterate;  // deny --iterate: at most this many runs
  VerifyOptions checks;
};

constexpr int kDefaultRounds = 8;
constexpr int kMaxRounds = 64;

po::options_description describe(Options& o) {
  po::options_description d(
      "usage: capmin profile [OPTIONS] -- COMMAND [ARG...]\n"
      "       capmin profile --image REF [OPTIONS] [-- CMD [ARG...]]\n"
      "       capmin profile --unit FILE.service [OPTIONS]\n\n"
      "Runs COMMAND as docker run --cap-drop=ALL would (uid 0, every capability set\n"
      "empty, the bounding set included), records each system call the kernel\n"
      "refuses, and prints the least set of capabilities that explains them.\n\n"
      "options");
  d.add_options()("help,h", "this help")(
      "mode", po::value(&o.mode)->default_value(o.mode),
      "probe: capabilities kept permitted but not effective; each refused call is retried "
      "with its candidate capabilities raised, and what the kernel then allows is confirmed. "
      "deny: every capability dropped; each needed capability is inferred from the rule "
      "table. auto: probe when capmin holds capabilities to grant, else deny")(
      "user", po::value(&o.user),
      "run as UID[:GID] or NAME[:GROUP] (supplementary groups cleared; with --image, "
      "looked up in the image)")(
      "image", po::value(&o.image),
      "profile a container of this image in runc, as docker run would run it: oci:DIR[:TAG] "
      "(an OCI image layout) or docker-archive:FILE (docker save); a command after -- "
      "replaces its Cmd. Only the container's processes are recorded, from runc's execve of "
      "the entrypoint on")(
      "unit", po::value(&o.unit),
      "profile the ExecStart= of this systemd service unit (and its FILE.d/*.conf drop-ins) as "
      "systemd would run it: User=, Group=, SupplementaryGroups=, WorkingDirectory=, "
      "Environment=, EnvironmentFile=, UMask=, Nice=, Limit...=, NoNewPrivileges=; its "
      "CapabilityBoundingSet= (and, for a user other than root, AmbientCapabilities=) bound "
      "what any run gets. Settings capmin does not emulate are named")(
      "report,o", po::value(&o.report), "write the JSON report to this file")(
      "format,f", po::value(&o.format)->default_value(o.format),
      "text, json, docker, compose, k8s, systemd or oci")(
      "output,O", po::value(&o.output)->default_value(o.output),
      "write the -f output to this file instead of standard output")(
      "policy", po::value(&o.policies)->composing(),
      "a rule file layered over the built-in rules (repeatable)")(
      "stats", po::bool_switch(&o.stats), "print tracing statistics to standard error")(
      "no-stacks", po::bool_switch(&o.no_stacks), "do not record the call stack of each refusal")(
      "no-seccomp", po::bool_switch(&o.no_seccomp),
      "stop the program at every system call instead of only those a rule can match "
      "(slower; also shows refusals of calls no rule covers)")(
      "iterate",
      po::value<int>()->implicit_value(kDefaultRounds)->notifier([&o](int n) { o.iterate = n; }),
      "deny mode, then again with the capabilities found so far really granted, until a run "
      "finds nothing new or N runs (default 8) are done: the manual loop, without injection")(
      "probe-unsafe", po::bool_switch(&o.probe_unsafe),
      "also retry, and grant in the proof's runs, calls that act on the whole machine once "
      "allowed, out of every namespace's reach: setting the clock, loading a kernel module, "
      "swap, process accounting, I/O ports, reboot, clearing the kernel log (by default they "
      "are inferred from the rule table and their capabilities left untested)")(
      "no-minimal", po::bool_switch(&o.no_minimal),
      "print what the first run found, without proving it minimal (by default each capability "
      "found is withheld in turn, most powerful first, and the program re-run: one it does "
      "its job without leaves the set, and a narrower one may take its place; then the set is "
      "run untraced exactly, and without each member)")(
      "verify", po::value(&o.verify)->implicit_value("native"),
      "where the untraced runs go: native or runc (with --no-minimal: run the program "
      "untraced with the profile's capabilities, and once without each, as capmin verify "
      "--minimal does); the outcome goes in the report");
  add_verify_options(d, o.checks,
                     "stop the program (SIGTERM, then SIGKILL 2 s later) if it still runs after "
                     "SECONDS, in the traced runs and the --verify runs alike; a --verify run "
                     "stopped so has not failed, and only --expect-output or --check judges it");
  return d;
}

}  // namespace

int profile_command(const std::vector<std::string>& args) {
  Options o;
  const po::options_description desc = describe(o);
  std::set<std::string> with_value = verify_value_options();
  with_value.insert({"--mode", "--user", "--image", "--unit", "-o", "--report", "-f", "--format",
                     "-O", "--output", "--policy"});
  const auto command =
      parse_command_args(args, desc, with_value,
                         "no command to profile (capmin profile [OPTIONS] -- COMMAND [ARG...])");
  if (!command) {
    return 0;
  }
  if (o.mode != "auto" && o.mode != "deny" && o.mode != "probe") {
    throw UserError("--mode '" + o.mode + "': expected auto, probe or deny");
  }
  if (o.iterate) {
    if (o.mode == "probe") {
      throw UserError("--iterate re-runs the program with real grants: it goes with --mode deny");
    }
    if (*o.iterate < 1 || *o.iterate > kMaxRounds) {
      throw UserError("--iterate=" + std::to_string(*o.iterate) + ": expected 1 to " +
                      std::to_string(kMaxRounds) + " runs");
    }
    o.mode = "deny";
  }
  verify::Expectation expected = make_expectation(o.checks);
  const bool minimal = !o.no_minimal;
  if (minimal && !expected.user_given()) {
    // Exit status 0 alone does not show a program did its job: a daemon
    // that cannot chown its socket says so and serves on without it.
    expected.expect_no_new_complaints();
  }
  const TraceSettings settings{.probe = false,
                               .stacks = !o.no_stacks,
                               .timeout = timeout_of(o.checks),
                               .check = o.checks.check,
                               .probe_unsafe = o.probe_unsafe};
  if (geteuid() != 0) {
    throw UserError(
        "capmin profile must run as root: it drops the bounding set and changes "
        "user the way a container runtime does");
  }

  // Everything that can be refused is refused before the command starts.
  Policy policy = load_policy(o.policies);
  const analyzer::Platform& platform = policy.platform(platform_name(o.checks, !o.unit.empty()));
  auto emitter = analyzer::make_emitter(o.format, policy.catalog);
  if (!o.report.empty() && o.report == o.output) {
    throw UserError("the report (-o) and the profile (-O) would both go to '" + o.report + "'");
  }
  std::unique_ptr<OutputFile> report =
      o.report.empty() ? nullptr : std::make_unique<OutputFile>(o.report);
  OutputFile output(o.output);

  // An image's container: its process, and runc to run it in.
  std::unique_ptr<image::UnpackedImage> unpacked;
  std::optional<ImageProcess> in_image;
  if (!o.image.empty()) {
    unpacked = std::make_unique<image::UnpackedImage>(image::parse_image_ref(o.image));
    in_image = image_process(*unpacked, *command, o.user);
    if (!o.verify.empty() && o.verify != "runc") {
      throw UserError("--image runs in runc: --verify=" + o.verify + " cannot run an image");
    }
  }
  // A systemd unit's service: its ExecStart= as systemd would run it.
  std::optional<UnitProcess> in_unit;
  if (!o.unit.empty()) {
    if (!o.image.empty() || !o.user.empty() || !command->empty()) {
      throw UserError(
          "--unit runs the unit's ExecStart= as its User=: it takes no --image, --user or "
          "command after --");
    }
    if (!o.verify.empty() && o.verify != "native") {
      throw UserError("--unit runs on this machine: --verify=" + o.verify + " cannot run a unit");
    }
    in_unit = unit_process(o.unit);
  }
  const std::vector<std::string>& argv = in_image  ? in_image->argv
                                         : in_unit ? in_unit->argv
                                                   : *command;
  // Every run sees the working directory through an overlay of its own (an
  // image's container has a writable layer of its own instead).
  const ScratchDir scratch(o.checks.write_through || in_image, in_unit ? in_unit->process.cwd : "");
  auto target_of = [&](const verify::Expectation& e) {
    if (in_unit) {
      verify::Target t = make_target(argv, "", o.checks, e, scratch.path());
      t.uid = in_unit->uid;
      t.gid = in_unit->gid;
      t.process = in_unit->process;
      return t;
    }
    if (!in_image) {
      return make_target(argv, o.user, o.checks, e, scratch.path());
    }
    verify::Target t = make_target(argv, "", o.checks, e, "");
    t.uid = in_image->uid;
    t.gid = in_image->gid;
    return t;
  };
  auto runtime_of = [&](verify::Target t) {
    if (in_image) {
      return make_runtime("runc", o.checks, std::move(t), in_image->container, &platform);
    }
    return make_runtime(o.verify.empty() ? "native" : o.verify, o.checks, std::move(t));
  };
  std::unique_ptr<verify::Runtime> runtime;
  if (!o.verify.empty() || minimal) {
    runtime = runtime_of(target_of(expected));
  }
  // Each traced run of an image is runc's, traced from its execve of the
  // container's process.
  std::unique_ptr<verify::RuncRuntime> traced_container;
  if (in_image) {
    traced_container = std::make_unique<verify::RuncRuntime>(
        target_of(expected), runc_options(o.checks, in_image->container, &platform));
  }

  tracer::LaunchSpec spec;
  spec.argv = argv;
  spec.scratch = scratch.path();
  analyzer::RunInfo run;
  // An image's container gets its namespaces from runc.
  spec.own_uts_ipc = !in_image && contain_uts_ipc(o.checks);
  if (spec.own_uts_ipc) {
    run.contained_by.emplace_back("uts and ipc namespaces of its own");
  }
  if (!spec.scratch.empty()) {
    run.contained_by.emplace_back("the working directory through an overlay of its own");
  }
  run.command = argv;
  run.image = o.image;
  if (in_image) {
    run.image_name = unpacked->name();
    run.image_command = *command;
  }
  run.capmin_version = CAPMIN_VERSION;
  const bool grant = can_grant();
  if (o.mode == "probe" && !grant) {
    throw UserError("--mode probe needs capabilities to grant, and capmin holds none");
  }
  if (o.iterate && !grant) {
    throw UserError("--iterate needs capabilities to grant, and capmin holds none");
  }
  const bool probe = o.mode == "probe" || (o.mode == "auto" && grant);
  run.mode = probe ? "probe" : "deny";
  run.mode_reason = o.mode != "auto" ? "asked for with --mode " + o.mode
                    : probe          ? "auto: capmin holds capabilities to grant, so each refusal "
                                       "is retried with its candidates and confirmed by the kernel"
                                     : "auto: capmin holds no capabilities to grant";
  if (o.iterate) {
    run.mode_reason =
        "--iterate: every capability dropped, then re-run with those found so far "
        "granted, until a run finds nothing new (at most " +
        std::to_string(*o.iterate) + " runs)";
  }
  spec.caps = probe ? tracer::LaunchSpec::Caps::PermittedOnly : tracer::LaunchSpec::Caps::DropAll;
  if (!o.no_seccomp && !seccomp_available()) {
    std::cerr << "capmin: warning: this kernel cannot send system calls to a tracer through "
                 "seccomp; tracing every system call (slower)\n";
    o.no_seccomp = true;
  }
  if (in_image) {
    run.uid = in_image->uid;
    run.gid = in_image->gid;
    run.user_given = !o.user.empty();
  } else if (in_unit) {
    spec.uid = in_unit->uid;
    spec.gid = in_unit->gid;
    spec.process = in_unit->process;
    // Nothing the unit cannot grant is granted in any run.
    spec.withhold = in_unit->withhold;
    run.uid = in_unit->uid;
    run.gid = in_unit->gid;
    run.user_given = !in_unit->info.user.empty() || in_unit->info.dynamic_user;
    run.unit = in_unit->info;
  } else if (!o.user.empty()) {
    const UserSpec u = parse_user(o.user);
    spec.uid = u.uid;
    spec.gid = u.gid;
    run.uid = u.uid;
    run.gid = u.gid.value_or(0);
    run.user_given = true;
  }

  if (!o.no_seccomp) {
    spec.seccomp.emplace();  // the tracer adds every call it needs to the filter
  }
  // What the platform's default seccomp profile would refuse, as made.
  spec.gated_calls = platform.watched_calls();
  analyzer::Analyzer analyzer(policy.rules);
  TraceSettings traced = settings;
  traced.probe = probe;
  traced.container = traced_container.get();
  if (in_image) {
    // libunwind reads a frame's module by the path the container sees,
    // which names another file here, or none: no stack rather than a false one.
    traced.stacks = false;
  }
  const long long first_stdin = stdin_offset();
  const auto start = std::chrono::steady_clock::now();
  tracer::RunResult result;
  std::vector<analyzer::Round> rounds;
  std::string first_output;
  {
    // The proven minimal set compares later runs' output with this one's.
    std::unique_ptr<verify::OutputTee> tee;
    if (minimal || expected.wants_output()) {
      // What the program sends to syslog counts as its output (unless it
      // may write through, without a mount namespace of its own).
      tee = std::make_unique<verify::OutputTee>(/*quiet=*/false,
                                                /*receive_syslog=*/!o.checks.write_through);
      spec.dev_log = tee->dev_log();
    }
    if (o.iterate) {
      Iteration it = iterate(spec, policy.rules, analyzer, traced, *o.iterate);
      result = it.last;
      run.stopped_by = it.last_stopped_by;
      rounds = std::move(it.rounds);
    } else {
      result = trace_once(spec, policy.rules, {&analyzer}, traced, &run.stopped_by);
    }
    if (tee) {
      first_output = tee->finish();
    }
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  run.tracing = o.no_seccomp ? "ptrace, every system call (--no-seccomp)"
                             : "seccomp filter + ptrace: the " +
                                   std::to_string(result.stats.filtered_calls) +
                                   " system calls rules and the tracer watch";

  std::string launch_error;
  if (result.launch_failure) {
    const auto& f = *result.launch_failure;
    if (f.stage == tracer::LaunchFailure::Stage::Setup) {
      throw UserError(
          "could not start '" + argv.front() + "' the way a container would: " + f.text(),
          result.status());
    }
    launch_error = "cannot run '" + argv.front() + "': " + strerror(f.err);
  }

  run.check = o.checks.check;
  run.internal_error = result.internal_error;
  if (!run.internal_error.empty()) {
    run.stopped_by = "error";  // capmin killed the program when it failed
  }
  run.exit_code = result.status();
  run.signal = result.signal;
  analyzer::Profile profile = analyzer.profile(run);
  profile.rounds = std::move(rounds);
  profile.platform = platform;
  if (minimal && launch_error.empty() && result.internal_error.empty()) {
    // Every later run gets the first run's limits; without any, a guard
    // long past the first run's own length, so that a program waiting for
    // something only the first run had (a Ctrl-C) cannot hang capmin.
    TraceSettings again = traced;
    verify::Target target = target_of(expected);
    target.capture_output = true;
    target.quiet = true;  // the user saw the program's output once, in the first run
    if (!again.timeout) {
      again.timeout = std::chrono::milliseconds(
          std::max<long long>(10000, static_cast<long long>(seconds * 4000)));
      target.timeout = again.timeout;
      expected.fail_at_timeout();
    }
    const auto proof_runtime = runtime_of(std::move(target));
    const FirstRun first{
        spec, again, traced_outcome(result, run.stopped_by, std::move(first_output)), first_stdin};
    prove_minimal(profile, first, {policy.rules, policy.catalog, expected, *proof_runtime, grant});
    if (!profile.minimal->proven && o.format != "text") {
      std::cerr << "capmin: note: " << profile.minimal->summary << '\n';
    }
  } else if (runtime && launch_error.empty() && result.internal_error.empty()) {
    // The profile is what this run found: a verification that cannot run
    // at all is recorded as such, and the report is still written.
    try {
      for (const analyzer::Finding& f : profile.findings) {
        if (!f.host_wide.empty() && !o.probe_unsafe) {
          throw UserError("granted " + events::cap_name(f.capability) +
                          ", the program would change " + f.host_wide +
                          " for the whole machine (--probe-unsafe runs it)");
        }
      }
      const verify::Verification v =
          verify::verify(*runtime, profile.capabilities, expected, /*minimal=*/true);
      profile.verification = verification_record(v);
      if (!v.passed()) {
        std::cerr << "capmin: verify failed: " << v.summary() << '\n';
      }
    } catch (const std::exception& e) {
      analyzer::Verification failed;
      failed.runtime = runtime->name();
      failed.details = runtime->describe();
      failed.criterion = expected.describe();
      failed.capabilities = profile.capabilities;
      failed.summary = std::string("could not run: ") + e.what();
      profile.verification = std::move(failed);
      std::cerr << "capmin: verify failed: could not run: " << e.what() << '\n';
    }
    // Like the rest of the profile, escaped for every output (a --check or a
    // path quoted in an error may hold any byte).
    profile.verification = analyzer::display_safe(std::move(*profile.verification));
  }
  // Both outputs are attempted, so that a report that cannot be written
  // (disk full) does not take the -f output with it; the first failure is
  // capmin's (125) once both have been tried.
  std::string write_error;
  auto attempt = [&write_error](const std::function<void()>& write) {
    try {
      write();
    } catch (const std::exception& e) {
      if (write_error.empty()) {
        write_error = e.what();
      }
    }
  };
  if (report) {
    attempt([&] {
      std::ostringstream json;
      analyzer::make_emitter("json", policy.catalog)->emit(profile, json);
      report->write(json.str());
    });
  }
  // A command that could not even start has a profile only if the kernel
  // refused its execve (a file-capability binary); "not found" has none.
  if (launch_error.empty() || analyzer.events() > 0) {
    attempt([&] {
      std::ostringstream text;
      emitter->emit(profile, text);
      output.write(text.str());
    });
  }
  if (!launch_error.empty()) {
    std::cerr << "capmin: error: " << one_line(launch_error) << '\n';
  }
  if (!result.internal_error.empty()) {
    std::cerr << "capmin: internal error while tracing (the program was stopped; the report "
                 "holds what was seen before): "
              << one_line(result.internal_error) << '\n';
  }
  if (o.stats) {
    std::cerr << "capmin: stats: " << result.stats.stops << " ptrace stops, "
              << result.stats.syscall_stops << " syscall stops, " << result.stats.refusals
              << " refusals (" << analyzer.events() << " events), " << result.stats.retries
              << " retries, " << result.stats.injections << " injected calls, "
              << result.stats.tasks << " tasks, " << seconds << " s, peak RSS " << peak_rss_kb()
              << " kB\n";
  }
  if (!write_error.empty()) {
    throw UserError(write_error);
  }
  return result.status();
}

}  // namespace capmin::cli
