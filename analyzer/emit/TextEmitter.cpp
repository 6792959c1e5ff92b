// SPDX-License-Identifier: MIT
#include <linux/capability.h>
#include <string.h>

#include <algorithm>
#include <cctype>
#include <cstring>
#include <sstream>

#include "analyzer/PodSecurity.h"
#include "analyzer/SeccompNotes.h"
#include "analyzer/emit/Formats.h"
#include "events/ByteEscape.h"
#include "events/CapabilityNames.h"
#include "events/ShellWords.h"

namespace capmin::analyzer {

namespace {

constexpr std::size_t kEvidenceShown = 5;

void evidence_line(std::ostream& out, const Evidence& e) {
  out << "      " << (e.abi.empty() ? "" : e.abi + " ") << e.syscall << '(' << e.args << ')';
  if (e.err.empty()) {
    out << " = 0";
  } else {
    out << " = -" << e.err;
  }
  if (e.count > 1) {
    out << "  x" << e.count;
  }
  out << "  in " << e.exe << " (pid " << e.pid << ")\n";
  if (!e.note.empty()) {
    out << "        (" << e.note << ")\n";
  }
  for (std::size_t i = 0; i < e.stack.size() && i < 3; ++i) {
    out << "        at " << e.stack[i] << '\n';
  }
}

void indented(std::ostream& out, const std::string& text) {
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    out << "  " << line << '\n';
  }
}

std::string exit_text(int exit_code, const std::optional<int>& signal) {
  if (!signal) {
    return "exit " + std::to_string(exit_code);
  }
  const char* abbrev = sigabbrev_np(*signal);
  return "killed by " + (abbrev != nullptr ? "SIG" + std::string(abbrev) : std::to_string(*signal));
}

void rounds_text(std::ostream& out, const std::vector<Round>& rounds) {
  out << "\nRounds (deny --iterate): " << rounds.size() << " runs, each granted what the "
      << "rounds before found\n";
  for (std::size_t i = 0; i < rounds.size(); ++i) {
    const Round& r = rounds[i];
    out << "  " << i + 1 << ". granted " << events::cap_names_text(r.granted) << ": "
        << (r.found.empty() ? "nothing new" : "found " + events::cap_names_text(r.found)) << " ("
        << exit_text(r.exit_code, r.signal) << ")\n";
    if (!r.refused_again.empty()) {
      out << "     refused again although granted: " << events::cap_names_text(r.refused_again)
          << '\n';
    }
  }
}

void verification_text(std::ostream& out, const Verification& v) {
  out << "\nVerification (" << v.runtime << "): " << (v.passed ? "" : "FAILED: ") << v.summary
      << "\n  runtime:  " << v.details << "\n  success:  " << v.criterion << '\n';
  for (const VerificationRun& r : v.runs) {
    out << "  " << (r.without ? "without " + events::cap_name(*r.without) : "with the profile")
        << ": " << (r.passed ? "passed" : "failed") << " (" << r.outcome << ")";
    if (r.without) {
      out << (r.passed ? " -> not needed" : " -> needed");
      if (!r.passed && r.why.rfind("the program says ", 0) == 0) {
        out << ": " << r.why;
      }
    } else if (!r.passed) {
      out << ": " << r.why;
    }
    out << '\n';
  }
}

void minimal_text(std::ostream& out, const MinimalProof& m) {
  out << "\nMinimal set: " << m.summary << "\n  success:  " << m.criterion << '\n';
  for (std::size_t i = 0; i < m.runs.size(); ++i) {
    const ProofRun& r = m.runs[i];
    out << "  run " << i + 2 << ", " << events::cap_name(r.capability)
        << " withheld: " << (r.passed ? "did its job" : "failed") << " (" << r.outcome << ")";
    if (r.passed) {
      out << " -> not needed; its refusals asked for "
          << events::cap_names_text(r.found, "nothing more");
    } else {
      out << " -> needed" << (r.why.empty() ? "" : ": " + r.why);
    }
    out << '\n';
  }
}

void not_needed_text(std::ostream& out, const std::vector<NotNeeded>& list) {
  out << "\nRefused, not needed: " << list.size() << '\n';
  for (const NotNeeded& n : list) {
    out << "  " << events::cap_name(n.finding.capability)
        << "  refused, not needed: the program works without it\n"
        << "    shown: " << n.shown_by << "\n    seen:\n";
    for (std::size_t i = 0; i < n.finding.evidence.size() && i < kEvidenceShown; ++i) {
      evidence_line(out, n.finding.evidence[i]);
    }
  }
}

// What the platform is, and what it let the program do without a
// capability: the network sysctls it sets, written into an image's
// container.
void platform_line(std::ostream& out, const Profile& p) {
  if (p.platform.name.empty()) {
    return;
  }
  out << "  platform: " << p.platform.name << " (" << p.platform.description << ")\n";
  if (p.run.image.empty()) {
    return;  // a command on this machine: its network is the host's
  }
  if (p.platform.network_sysctls.empty()) {
    out << "    network: a namespace of its own with the kernel's defaults, as " << p.platform.label
        << " leaves them (net.ipv4.ip_unprivileged_port_start 1024)\n";
    return;
  }
  out << "    network: a namespace of its own with";
  for (std::size_t i = 0; i < p.platform.network_sysctls.size(); ++i) {
    const Platform::Sysctl& s = p.platform.network_sysctls[i];
    out << (i ? "," : "") << ' ' << s.name << '=' << s.value;
  }
  out << ", as " << p.platform.label << " sets them";
  if (const Platform::Sysctl* ports = p.platform.sysctl("net.ipv4.ip_unprivileged_port_start");
      ports != nullptr && ports->value == "0") {
    out << ": binding a port below 1024 needs no CAP_NET_BIND_SERVICE there";
  }
  out << '\n';
}

// A command on this machine that bound a low port: whether the platform's
// own network namespaces (Docker's) let it do that without the capability.
void platform_ports_note(std::ostream& out, const Profile& p) {
  const Platform::Sysctl* ports = p.platform.sysctl("net.ipv4.ip_unprivileged_port_start");
  if (!p.run.image.empty() || ports == nullptr || ports->value != "0" || !only_binds(p)) {
    return;
  }
  out << "    note:  " << p.platform.label
      << " sets net.ipv4.ip_unprivileged_port_start=0 in a container's own network: there it "
         "needs none, only with the host's (--network=host)\n";
}

// What the platform's default seccomp profile would do with the gated
// calls the program made: it decides before the kernel, so a call the
// kernel allowed without any capability may still need one there.
void seccomp_text(std::ostream& out, const Profile& p) {
  const std::vector<SeccompNote> notes = seccomp_notes(p);
  if (notes.empty()) {
    return;
  }
  out << "\n"
      << p.platform.label << "'s default seccomp profile and the calls it gates: " << notes.size()
      << '\n';
  for (const SeccompNote& n : notes) {
    evidence_line(out, n.call);
    if (n.capabilities.empty()) {
      out << "        refused by the profile whatever the capabilities: the program must do "
             "without it there, or run with another profile\n";
      continue;
    }
    std::string caps;
    for (int cap : n.capabilities) {
      caps += (caps.empty() ? "" : " or ") + events::cap_short_name(cap);
    }
    if (n.held) {
      out << "        passes the profile with " << caps << ", which the set holds\n";
    } else {
      out << "        passes the profile only with " << caps
          << " in the bounding set, which the kernel did not ask for here: add it under "
          << p.platform.label << ", or run with a profile that allows the call\n";
    }
  }
}

// Whether the container fits the Pod Security Standards, and what breaks them.
void pod_security_text(std::ostream& out, const PodSecurity& s) {
  out << "\nPod Security Standards: baseline " << (s.baseline ? "fits" : "does not fit")
      << ", restricted " << (s.restricted ? "fits" : "does not fit") << '\n';
  for (const std::string& b : s.breaks) {
    out << "  - " << b << '\n';
  }
  for (const std::string& n : s.notes) {
    out << "  note: " << n << '\n';
  }
  out << "  (restricted also needs seccompProfile RuntimeDefault or Localhost; capmin ran "
         "the program without the engine's profile)\n";
}

// A non-root user holds capabilities after execve only through file
// capabilities (or an ambient set, which Kubernetes never sets): one
// setcap line per executable the evidence names.
void setcap_recipe(std::ostream& out, const Profile& p) {
  const bool image = !p.run.image.empty();
  out << "\nNote: uid " << p.run.uid
      << " keeps capabilities across execve only through file capabilities\n"
         "(docker run --cap-add puts them in the bounding set only): give them to the\n"
         "executable that made each call"
      << (image ? ", in the image (Dockerfile):\n" : ":\n");
  for (const auto& [exe, caps] : capability_executables(p)) {
    out << (image ? "  RUN setcap " : "  setcap ") << setcap_text(caps) << ' '
        << command_line({exe}) << '\n';
  }
  out << "  (no_new_privs makes execve ignore file capabilities: keep\n"
         "  allowPrivilegeEscalation: true, and no --security-opt no-new-privileges)\n";
}

// profile --unit: which unit, how it ran, and what it can grant.
void unit_header(std::ostream& out, const Profile& p) {
  const UnitInfo& u = *p.run.unit;
  out << "  unit:  " << u.name << " (" << u.file;
  for (const std::string& d : u.drop_ins) {
    out << ", " << d;
  }
  out << ")\n    ran as systemd runs it: ";
  if (u.dynamic_user) {
    out << "DynamicUser=yes (uid " << p.run.uid << (u.user.empty() ? "" : ", User=" + u.user)
        << ")";
  } else {
    out << (u.user.empty() ? "no User= (root)" : "User=" + u.user);
  }
  if (!u.group.empty()) {
    out << ", Group=" << u.group;
  }
  out << ", in " << u.working_directory << '\n';
  out << "    can grant: ";
  if (u.bound_by.empty()) {
    out << "every capability (no CapabilityBoundingSet=)\n";
  } else {
    out << events::cap_names_text(u.upper_bound, "none", " ") << " (" << u.bound_by << ")\n";
  }
  if (!u.not_emulated.empty()) {
    out << "    not emulated (the profile is of ExecStart= without them):";
    for (const std::string& n : u.not_emulated) {
      out << ' ' << n;
    }
    out << '\n';
  }
}

// profile --unit: the unit's corrected lines, and how they differ from
// what it grants as written.
void unit_text(std::ostream& out, const Profile& p) {
  const UnitInfo& u = *p.run.unit;
  const std::vector<int> granted = unit_grants(p);
  std::vector<int> excess;
  std::vector<int> missing;
  for (int c : granted) {
    if (std::find(p.capabilities.begin(), p.capabilities.end(), c) == p.capabilities.end()) {
      excess.push_back(c);
    }
  }
  for (int c : p.capabilities) {
    if (std::find(granted.begin(), granted.end(), c) == granted.end()) {
      missing.push_back(c);
    }
  }
  out << "\nsystemd (" << u.name << "):\n";
  std::ostringstream lines;
  SystemdEmitter().emit(p, lines);
  indented(out, lines.str());
  out << "  As written it grants " << granted.size()
      << (granted.size() == 1 ? " capability" : " capabilities");
  if (excess.empty()) {
    out << ", none it does not need";
  } else if (excess.size() > 8) {
    out << ", " << excess.size() << " it does not need";
  } else {
    out << "; it does not need " << events::cap_names_text(excess, "", " ");
  }
  if (!missing.empty()) {
    out << "; it lacks " << events::cap_names_text(missing, "", " ");
  }
  out << ".\n";
}

}  // namespace

void TextEmitter::emit(const Profile& p, std::ostream& out) const {
  out << "capmin profile: " << command_line(p.run.command) << '\n';
  if (!p.run.image.empty()) {
    out << "  image: " << p.run.image << " (a container of it, in runc)\n";
  }
  platform_line(out, p);
  out << "  mode:  " << p.run.mode;
  if (!p.run.mode_reason.empty()) {
    out << " (" << p.run.mode_reason << ')';
  }
  out << "\n  user:  uid " << p.run.uid << ", gid " << p.run.gid << '\n';
  if (!p.run.contained_by.empty()) {
    out << "  kept apart by:";
    for (std::size_t i = 0; i < p.run.contained_by.size(); ++i) {
      out << (i ? "; " : " ") << p.run.contained_by[i];
    }
    out << '\n';
  }
  if (p.run.unit) {
    unit_header(out, p);
  }
  out << "  exit:  ";
  if (p.run.signal) {
    const char* abbrev = sigabbrev_np(*p.run.signal);
    out << "killed by "
        << (abbrev != nullptr ? std::string("SIG") + abbrev : std::to_string(*p.run.signal))
        << " (status " << 128 + *p.run.signal << ")\n";
  } else {
    out << p.run.exit_code << '\n';
  }
  if (p.run.stopped_by == "check") {
    out << "  ended: by capmin, once the --check passed\n";
  } else if (p.run.stopped_by == "timeout") {
    out << "  ended: by capmin, at the --timeout";
    if (!p.run.check.empty()) {
      out << "; the --check never passed, so what the program does after that point was "
             "not seen";
    }
    out << '\n';
  }
  if (!p.run.internal_error.empty()) {
    out << "  error: capmin failed while tracing and stopped the program; this profile holds "
           "only what was seen before: "
        << p.run.internal_error << '\n';
  }

  out << "\nCapabilities needed" << (p.minimal && p.minimal->proven ? " (proven minimal)" : "")
      << ": ";
  if (p.capabilities.empty()) {
    out << "none\n";
  } else {
    out << p.capabilities.size() << '\n';
  }
  for (const Finding& f : p.findings) {
    out << "  " << events::cap_name(f.capability) << "  [" << confidence_name(f.confidence)
        << "]\n";
    out << "    why:   " << f.reason << '\n';
    if (!f.note.empty()) {
      out << "    note:  " << f.note << '\n';
    }
    if (f.capability == CAP_NET_BIND_SERVICE) {
      platform_ports_note(out, p);
    }
    if (const auto* entry = catalog_.find(f.capability)) {
      // The catalogue is not the profile's: a layered one may hold any byte.
      out << "    risk:  " << events::escape_bytes(entry->attacker) << '\n';
    }
    out << "    seen:\n";
    for (std::size_t i = 0; i < f.evidence.size() && i < kEvidenceShown; ++i) {
      evidence_line(out, f.evidence[i]);
    }
    if (f.evidence.size() > kEvidenceShown) {
      out << "      ... and " << f.evidence.size() - kEvidenceShown << " more (see -f json)\n";
    }
  }

  if (!p.not_needed.empty()) {
    not_needed_text(out, p.not_needed);
  }

  if (!p.unresolved.empty()) {
    out << "\nRefusals no capability explains: " << p.unresolved.size() << '\n';
    for (std::size_t i = 0; i < p.unresolved.size() && i < 2 * kEvidenceShown; ++i) {
      const Unresolved& u = p.unresolved[i];
      out << "  " << u.reason << '\n';
      evidence_line(out, u.evidence);
    }
    if (p.unresolved.size() > 2 * kEvidenceShown) {
      out << "  ... and " << p.unresolved.size() - 2 * kEvidenceShown << " more (see -f json)\n";
    }
  }

  if (!p.tolerated.empty()) {
    out << "\nRefusals the program worked around (no capability drawn from them): "
        << p.tolerated.size() << '\n';
    for (std::size_t i = 0; i < p.tolerated.size() && i < kEvidenceShown; ++i) {
      out << "  " << p.tolerated[i].reason << '\n';
      evidence_line(out, p.tolerated[i].evidence);
    }
  }

  if (!p.rounds.empty()) {
    rounds_text(out, p.rounds);
  }
  if (p.minimal) {
    minimal_text(out, *p.minimal);
  }
  if (p.verification) {
    verification_text(out, *p.verification);
  }

  seccomp_text(out, p);

  std::ostringstream docker;
  DockerEmitter().emit(p, docker);
  out << "\nDocker:\n  docker run " << docker.str();
  if (!p.run.image.empty() && p.run.image_name.empty()) {
    out << "  (IMAGE: the name " << p.run.image << " goes by where it is pushed)\n";
  }
  if (!p.run.image.empty()) {
    out << "\nPodman:\n  podman run " << docker.str();
    if (!p.capabilities.empty()) {
      out << "  or in the image (Containerfile), for Podman to run it with just these when "
             "they are among its defaults:\n  LABEL io.containers.capabilities=";
      const std::vector<std::string> names = short_names(p.capabilities);
      for (std::size_t i = 0; i < names.size(); ++i) {
        out << (i ? "," : "") << names[i];
      }
      out << '\n';
    }
  }
  out << "\nKubernetes (container):\n";
  std::ostringstream k8s;
  K8sEmitter().emit(p, k8s);
  indented(out, k8s.str());
  if (const auto pss = pod_security(p)) {
    pod_security_text(out, *pss);
  }
  if (p.run.unit) {
    unit_text(out, p);
  } else if (non_root(p) && !p.capabilities.empty()) {
    setcap_recipe(out, p);
  }

  const std::vector<int>& defaults = p.platform.default_capabilities;
  if (defaults.empty()) {
    return;  // no engine: nothing granted by default to drop
  }
  std::vector<std::string> unneeded;
  for (int cap : defaults) {
    if (std::find(p.capabilities.begin(), p.capabilities.end(), cap) == p.capabilities.end()) {
      unneeded.push_back(events::cap_short_name(cap));
    }
  }
  out << '\n'
      << p.platform.label << " default capabilities it does not need (" << unneeded.size() << " of "
      << defaults.size() << "):\n ";
  for (const std::string& n : unneeded) {
    out << ' ' << n;
  }
  out << '\n';
}

}  // namespace capmin::analyzer
