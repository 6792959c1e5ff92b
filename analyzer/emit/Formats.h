// SPDX-License-Identifier: MIT
#pragma once

#include "analyzer/CapabilityCatalog.h"
#include "analyzer/emit/Emitter.h"

namespace capmin::analyzer {

// A person's summary: each capability with why and where, the flags to
// paste, and which of Docker's defaults the program does without.
class TextEmitter final : public Emitter {
 public:
  explicit TextEmitter(const CapabilityCatalog& catalog) : catalog_(catalog) {}
  void emit(const Profile& profile, std::ostream& out) const override;

 private:
  const CapabilityCatalog& catalog_;
};

// The schema-1 report of DESIGN.md. Always valid UTF-8: its strings are the
// profile's, escaped with events::escape_bytes ("\\", "\xHH"; README.md, "The
// JSON report"), which events::unescape_bytes turns back into the bytes.
class JsonEmitter final : public Emitter {
 public:
  void emit(const Profile& profile, std::ostream& out) const override;
};

// `docker run` flags on one line.
class DockerEmitter final : public Emitter {
 public:
  void emit(const Profile& profile, std::ostream& out) const override;
};

// A compose service fragment: cap_drop / cap_add.
class ComposeEmitter final : public Emitter {
 public:
  void emit(const Profile& profile, std::ostream& out) const override;
};

// A Kubernetes container securityContext.
class K8sEmitter final : public Emitter {
 public:
  void emit(const Profile& profile, std::ostream& out) const override;
};

// A systemd [Service] fragment.
class SystemdEmitter final : public Emitter {
 public:
  void emit(const Profile& profile, std::ostream& out) const override;
};

// The OCI runtime-spec process.capabilities block.
class OciEmitter final : public Emitter {
 public:
  void emit(const Profile& profile, std::ostream& out) const override;
};

}  // namespace capmin::analyzer
