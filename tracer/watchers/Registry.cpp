// SPDX-License-Identifier: MIT
#include "tracer/watchers/Registry.h"

#include "tracer/launch/LaunchSpec.h"
#include "tracer/watchers/AccessRewrite.h"
#include "tracer/watchers/CredentialChanges.h"
#include "tracer/watchers/EffectiveSetClearing.h"
#include "tracer/watchers/GatedCalls.h"
#include "tracer/watchers/HiddenKernelAddresses.h"
#include "tracer/watchers/LinkatFixup.h"
#include "tracer/watchers/NetlinkSockets.h"
#include "tracer/watchers/PathSearchWatch.h"
#include "tracer/watchers/Reachability.h"
#include "tracer/watchers/RuleRefusals.h"
#include "tracer/watchers/SelfRaise.h"
#include "tracer/watchers/SetidChmod.h"
#include "tracer/watchers/SetidDrops.h"
#include "tracer/watchers/WriteTimeFiles.h"

namespace capmin::tracer {

std::vector<std::unique_ptr<Watcher>> make_watchers(EngineServices& engine, RuleWatch rules) {
  std::vector<std::unique_ptr<Watcher>> w;
  const bool probe = engine.probing();
  w.push_back(std::make_unique<RuleRefusals>(engine, std::move(rules)));
  w.push_back(std::make_unique<CredentialChanges>(engine));
  if (probe) {
    w.push_back(std::make_unique<EffectiveSetClearing>(engine));
    w.push_back(std::make_unique<AccessRewrite>(engine));
  }
  // After the access rewrite has named the call, before anything that
  // reports a capset: it must know what the program raised itself.
  w.push_back(std::make_unique<Reachability>(engine));
  if (probe) {
    w.push_back(std::make_unique<SelfRaise>(engine));
    w.push_back(std::make_unique<LinkatFixup>(engine));
  }
  w.push_back(std::make_unique<NetlinkSockets>(engine));
  w.push_back(std::make_unique<SetidChmod>(engine));
  w.push_back(std::make_unique<SetidDrops>(engine));
  w.push_back(std::make_unique<HiddenKernelAddresses>(engine));
  w.push_back(std::make_unique<PathSearchWatch>(engine));
  w.push_back(std::make_unique<WriteTimeFiles>(engine));
  if (!engine.spec().gated_calls.empty()) {
    w.push_back(std::make_unique<GatedCalls>(engine));
  }
  return w;
}

}  // namespace capmin::tracer
