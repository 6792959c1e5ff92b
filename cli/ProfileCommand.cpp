// SPDX-License-Identifier: MIT
#include <unistd.h>

#include <boost/program_options.hpp>
#include <chrono>
#include <cstring>
#include <iostream>
#include <memory>
#include <sstream>

#include "analyzer/Analyzer.h"
#include "analyzer/emit/Emitter.h"
#include "cli/ArgSplit.h"
#include "cli/Commands.h"
#include "cli/OutputFile.h"
#include "cli/Policy.h"
#include "cli/UserSpec.h"
#include "events/Errors.h"
#include "tracer/Tracer.h"

namespace po = boost::program_options;

namespace capmin::cli {

namespace {

// Feeds the tracer's refusals straight into the analyzer.
class AnalyzerSink final : public tracer::EventSink {
 public:
  explicit AnalyzerSink(analyzer::Analyzer& a) : analyzer_(a) {}
  void on_refusal(events::SyscallEvent&& event) override { analyzer_.add(event); }

 private:
  analyzer::Analyzer& analyzer_;
};

struct Options {
  std::string mode = "auto";
  std::string user;
  std::string report;
  std::string format = "text";
  std::string output = "-";
  std::vector<std::string> policies;
  bool stats = false;
};

po::options_description describe(Options& o) {
  po::options_description d(
      "usage: capmin profile [OPTIONS] -- COMMAND [ARG...]\n\n"
      "Runs COMMAND as docker run --cap-drop=ALL would (uid 0, every capability set\n"
      "empty, the bounding set included), records each system call the kernel\n"
      "refuses, and prints the least set of capabilities that explains them.\n\n"
      "options");
  d.add_options()("help,h", "this help")(
      "mode", po::value(&o.mode)->default_value(o.mode),
      "auto or deny: deny runs with every capability dropped and infers each needed "
      "capability from the rule table (auto: the best mode available)")(
      "user", po::value(&o.user), "run as UID[:GID] or NAME[:GROUP] (supplementary groups cleared)")(
      "report,o", po::value(&o.report), "write the JSON report to this file")(
      "format,f", po::value(&o.format)->default_value(o.format),
      "text, json, docker, compose, k8s, systemd or oci")(
      "output,O", po::value(&o.output)->default_value(o.output),
      "write the -f output to this file instead of standard output")(
      "policy", po::value(&o.policies)->composing(),
      "a rule file layered over the built-in rules (repeatable)")(
      "stats", po::bool_switch(&o.stats), "print tracing statistics to standard error");
  return d;
}

}  // namespace

int profile_command(const std::vector<std::string>& args) {
  Options o;
  const po::options_description desc = describe(o);
  const SplitArgs split =
      split_command(args, {"--mode", "--user", "-o", "--report", "-f", "--format", "-O",
                           "--output", "--policy"});
  po::variables_map vm;
  po::store(po::command_line_parser(split.options).options(desc).run(), vm);
  if (vm.count("help") != 0) {
    std::cout << desc << '\n';
    return 0;
  }
  po::notify(vm);
  if (split.command.empty()) {
    throw UserError("no command to profile (capmin profile [OPTIONS] -- COMMAND [ARG...])");
  }
  if (o.mode != "auto" && o.mode != "deny") {
    throw UserError("--mode '" + o.mode + "': expected auto or deny");
  }
  if (geteuid() != 0) {
    throw UserError("capmin profile must run as root: it drops the bounding set and changes "
                    "user the way a container runtime does");
  }

  // Everything that can be refused is refused before the command starts.
  Policy policy = load_policy(o.policies);
  auto emitter = analyzer::make_emitter(o.format, policy.catalog);
  std::unique_ptr<OutputFile> report = o.report.empty() ? nullptr
                                                        : std::make_unique<OutputFile>(o.report);
  OutputFile output(o.output);

  tracer::LaunchSpec spec;
  spec.argv = split.command;
  analyzer::RunInfo run;
  run.command = split.command;
  run.capmin_version = CAPMIN_VERSION;
  run.mode = "deny";
  run.mode_reason = o.mode == "deny" ? "asked for with --mode deny"
                                     : "the only mode this build of capmin has";
  run.tracing = "ptrace, every system call";
  if (!o.user.empty()) {
    const UserSpec u = parse_user(o.user);
    spec.uid = u.uid;
    spec.gid = u.gid;
    run.uid = u.uid;
    run.gid = u.gid.value_or(0);
    run.user_given = true;
  }

  tracer::RefusalFilter filter;
  for (const auto& [nr, err] : policy.rules.watched()) {
    filter.add(nr, err);
  }
  analyzer::Analyzer analyzer(policy.rules);
  AnalyzerSink sink(analyzer);
  tracer::Tracer tracer(spec, filter, sink);
  const auto start = std::chrono::steady_clock::now();
  const tracer::RunResult result = tracer.run();
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

  if (result.launch_failure) {
    const auto& f = *result.launch_failure;
    std::ostringstream msg;
    if (f.stage == tracer::LaunchFailure::Stage::Exec) {
      msg << "cannot run '" << split.command[0] << "': " << strerror(f.err);
    } else {
      msg << "could not start '" << split.command[0] << "' with no capabilities: " << f.what
          << ": " << strerror(f.err);
    }
    throw UserError(msg.str(), result.status());
  }

  run.exit_code = result.exit_code;
  run.signal = result.signal;
  const analyzer::Profile profile = analyzer.profile(run);
  if (report) {
    std::ostringstream json;
    analyzer::make_emitter("json", policy.catalog)->emit(profile, json);
    report->write(json.str());
  }
  std::ostringstream text;
  emitter->emit(profile, text);
  output.write(text.str());
  if (o.stats) {
    std::cerr << "capmin: stats: " << result.stats.stops << " ptrace stops, "
              << result.stats.syscall_stops << " syscall stops, " << result.stats.refusals
              << " refusals (" << analyzer.events() << " events), " << result.stats.tasks
              << " tasks, " << seconds << " s\n";
  }
  return result.status();
}

}  // namespace capmin::cli
