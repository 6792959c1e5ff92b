// SPDX-License-Identifier: MIT
// A failure of capmin's own while it traces (a bug, or a step that throws)
// loses nothing: the report of what was seen is written and says so, the
// traced tree is ended, and capmin exits 125. The failure is injected with
// CAPMIN_TEST_FAULT (tracer/engine/TestFault.h).
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "Harness.h"

namespace capmin::e2e {
namespace {

struct FaultRun {
  int status = -1;
  std::string output;
  nlohmann::json report;
};

// Profiles four_privileged_ops behind a shell that leaves a sleeper behind,
// with a fault at the `nth` pass through `stage`.
FaultRun run_with_fault(const std::string& mode, const std::string& stage, int nth) {
  const std::string script =
      "CAPMIN_TEST_FAULT=" + stage + ":" + std::to_string(nth) +
      " \"$CAPMIN_BIN\" profile --mode " + mode +
      " -o report.json -- sh -c 'sleep 30 & echo $! >sleeper.pid; " +
      fixture("four_privileged_ops") +
      "'; echo \"status=$?\"; if kill -0 \"$(cat sleeper.pid)\" 2>/dev/null; then echo "
      "sleeper=alive; else echo sleeper=gone; fi; echo ==report; cat report.json";
  FaultRun r;
  run_script_in_namespaces(script, r.output);
  const auto at = r.output.find("status=");
  if (at != std::string::npos) {
    r.status = std::stoi(r.output.substr(at + 7));
  }
  const auto json = r.output.find("==report\n");
  if (json != std::string::npos) {
    r.report = nlohmann::json::parse(r.output.substr(json + 9), nullptr, false);
  }
  return r;
}

TEST(InternalError, AFailureWhileTracingKeepsTheReportAndEndsTheTree) {
  CAPMIN_REQUIRE_ROOT_AND_NAMESPACES();
  // Deny mode meets one refusal (the program stops at it), probe mode four.
  for (const auto& [mode, nth] : {std::pair{"deny", 1}, std::pair{"probe", 2}}) {
    const FaultRun r = run_with_fault(mode, "sink", nth);
    SCOPED_TRACE(r.output);
    EXPECT_EQ(r.status, 125) << mode;
    EXPECT_NE(r.output.find("capmin: internal error while tracing"), std::string::npos) << mode;
    // What the sleeper would have kept alive is gone with the rest.
    EXPECT_NE(r.output.find("sleeper=gone"), std::string::npos) << mode;
    ASSERT_TRUE(r.report.is_object()) << mode;
    EXPECT_NE(r.report.value("error", "").find("test fault injected at sink"), std::string::npos);
    // The program did not end on its own: capmin killed it.
    EXPECT_EQ(r.report["exit"]["signal"], "SIGKILL") << mode;
    EXPECT_EQ(r.report["exit"]["stopped_by"], "error") << mode;
    if (std::string(mode) == "probe") {
      // The first refusal reached the report before the second failed.
      EXPECT_EQ(r.report["capabilities"], nlohmann::json::array({"CAP_NET_BIND_SERVICE"}));
    }
  }
}

TEST(InternalError, AFailureWhileDecodingIsReportedTheSameWay) {
  CAPMIN_REQUIRE_ROOT_AND_NAMESPACES();
  const FaultRun r = run_with_fault("probe", "decode", 2);
  SCOPED_TRACE(r.output);
  EXPECT_EQ(r.status, 125);
  EXPECT_NE(r.output.find("sleeper=gone"), std::string::npos);
  ASSERT_TRUE(r.report.is_object());
  EXPECT_NE(r.report.value("error", "").find("test fault injected at decode"), std::string::npos);
  EXPECT_EQ(r.report["capabilities"], nlohmann::json::array({"CAP_NET_BIND_SERVICE"}));
}

}  // namespace
}  // namespace capmin::e2e
