// SPDX-License-Identifier: MIT
#include <gtest/gtest.h>
#include <linux/capability.h>

#include "analyzer/CapabilityCatalog.h"
#include "events/Errors.h"

namespace capmin::analyzer {
namespace {

const char* kCatalogue = R"(capabilities:
  - name: CAP_CHOWN
    number: 0
    allows: change file owners
    attacker: take any file
  - name: net_raw
    number: 13
    allows: raw sockets
    attacker: spoof packets
  - name: CAP_SYS_ADMIN
    number: 21
    allows: almost everything
    attacker: root
)";

std::string load_error(const std::string& yaml) {
  CapabilityCatalog c;
  try {
    c.load_string(yaml, "caps.yaml");
  } catch (const UserError& e) {
    return e.what();
  }
  return "loaded";
}

TEST(CapabilityCatalog, LoadsEntriesByNumber) {
  CapabilityCatalog c;
  c.load_string(kCatalogue, "caps.yaml");
  ASSERT_EQ(c.entries().size(), 3u);
  const auto* chown = c.find(CAP_CHOWN);
  ASSERT_NE(chown, nullptr);
  EXPECT_EQ(chown->name, "CAP_CHOWN");
  EXPECT_EQ(chown->allows, "change file owners");
  EXPECT_EQ(chown->attacker, "take any file");
  // Names are kept in libcap's spelling whatever the file wrote.
  ASSERT_NE(c.find(CAP_NET_RAW), nullptr);
  EXPECT_EQ(c.find(CAP_NET_RAW)->name, "CAP_NET_RAW");
  EXPECT_EQ(c.find(CAP_KILL), nullptr);
}

TEST(CapabilityCatalog, WithholdsTheListedOnesFirstThenTheRestByNumber) {
  CapabilityCatalog c;
  c.load_string(std::string(kCatalogue) + "withhold_order: [CAP_SYS_ADMIN, NET_RAW]\n",
                "caps.yaml");
  EXPECT_EQ(c.withhold_order(), (std::vector<int>{CAP_SYS_ADMIN, CAP_NET_RAW, CAP_CHOWN}));
  EXPECT_EQ(load_error(std::string(kCatalogue) + "withhold_order: [CAP_BOGUS]\n"),
            "caps.yaml:14:18: withhold_order: not a capability name");
  EXPECT_EQ(load_error(std::string(kCatalogue) + "withhold_order: [CAP_CHOWN, chown]\n"),
            "caps.yaml:14:29: withhold_order: chown is listed twice");
}

TEST(CapabilityCatalog, TheShippedCatalogueWithholdsSysAdminFirstAndListsEveryCapability) {
  CapabilityCatalog c;
  c.load_file(CAPMIN_SOURCE_DIR "/policies/capabilities.yaml");
  const std::vector<int> order = c.withhold_order();
  ASSERT_EQ(order.size(), 41u);
  EXPECT_EQ(order.front(), CAP_SYS_ADMIN);
  auto at = [&order](int cap) {
    return std::find(order.begin(), order.end(), cap) - order.begin();
  };
  EXPECT_LT(at(CAP_DAC_OVERRIDE), at(CAP_DAC_READ_SEARCH));
  EXPECT_LT(at(CAP_SYS_ADMIN), at(CAP_BPF));
  EXPECT_LT(at(CAP_SYS_ADMIN), at(CAP_PERFMON));
}

TEST(CapabilityCatalog, RejectsANameAndNumberThatDisagree) {
  EXPECT_EQ(load_error("capabilities:\n"
                       "  - name: CAP_CHOWN\n"
                       "    number: 1\n"
                       "    allows: a\n"
                       "    attacker: b\n"),
            "caps.yaml:2:5: capability 'CAP_CHOWN' does not have number 1");
}

TEST(CapabilityCatalog, RejectsAnEntryMissingAField) {
  EXPECT_EQ(load_error("capabilities:\n"
                       "  - name: CAP_CHOWN\n"
                       "    number: 0\n"
                       "    attacker: b\n"),
            "caps.yaml:2:5: each capability needs name, number, allows, attacker");
}

TEST(CapabilityCatalog, RejectsAFileWithoutACapabilitiesList) {
  EXPECT_EQ(load_error("caps: []\n"), "caps.yaml:1:1: expected a 'capabilities:' list");
  EXPECT_EQ(load_error(""), "caps.yaml: expected a 'capabilities:' list");
  EXPECT_EQ(load_error("just a string\n"), "caps.yaml:1:1: expected a 'capabilities:' list");
  EXPECT_EQ(load_error("- a\n- b\n"), "caps.yaml:1:1: expected a 'capabilities:' list");
}

TEST(CapabilityCatalog, PointsAtBadYamlSyntax) {
  const std::string msg = load_error("capabilities: [\n");
  EXPECT_EQ(msg.rfind("caps.yaml:", 0), 0u) << msg;
  EXPECT_NE(msg.find(':', 10), std::string::npos) << msg;
}

TEST(CapabilityCatalog, LoadsTheShippedCatalogue) {
  CapabilityCatalog c;
  ASSERT_NO_THROW(c.load_file(CAPMIN_SOURCE_DIR "/policies/capabilities.yaml"));
  EXPECT_NE(c.find(CAP_NET_BIND_SERVICE), nullptr);
}

TEST(CapabilityCatalog, ReportsAFileItCannotRead) {
  CapabilityCatalog c;
  EXPECT_THROW(c.load_file("/nonexistent/capabilities.yaml"), UserError);
}

}  // namespace
}  // namespace capmin::analyzer
