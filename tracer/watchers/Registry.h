// SPDX-License-Identifier: MIT
#pragma once

#include <memory>
#include <vector>

#include "tracer/filter/RefusalFilter.h"
#include "tracer/watchers/Watcher.h"

namespace capmin::tracer {

// Every watcher of a run, in the order their hooks are called: facts are
// added to an event in this order, and a result goes to them in this order.
std::vector<std::unique_ptr<Watcher>> make_watchers(EngineServices& engine, RuleWatch rules);

}  // namespace capmin::tracer
