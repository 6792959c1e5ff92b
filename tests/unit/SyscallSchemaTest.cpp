// SPDX-License-Identifier: MIT
// The one system-call schema: what the decoder puts in an event is what the
// schema says a rule may name, call by call, and the filter's register
// fields are the schema's.
#include <gtest/gtest.h>
#include <linux/netlink.h>
#include <netinet/in.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include <algorithm>
#include <cstring>
#include <set>

#include "events/SyscallNames.h"
#include "events/SyscallSchema.h"
#include "tracer/decode/ArgDecoder.h"
#include "tracer/filter/RegisterFields.h"

namespace capmin::tracer {
namespace {

// Every address is readable: pages of an even number start with a short
// string (a path), odd ones with `fill` and a zero byte (a socket family),
// so that pointers decode to something.
class PatternMemory : public MemoryReader {
 public:
  explicit PatternMemory(std::uint8_t fill) : fill_(fill) {}
  bool read(std::uint64_t addr, void* buf, std::size_t len) const override {
    auto* out = static_cast<std::uint8_t*>(buf);
    for (std::size_t i = 0; i < len; ++i) {
      const std::uint64_t at = (addr + i) % 4096;
      if (((addr + i) / 4096) % 2 == 0) {
        out[i] = at < 7 ? static_cast<std::uint8_t>("/a/b/c\0"[at]) : 'x';
      } else {
        out[i] = at == 0 ? fill_ : at == 1 ? 0 : 'x';
      }
    }
    return true;
  }

 private:
  std::uint8_t fill_;
};

// Knows every file and every task.
class AllKnowingInspector : public ProcessInspector {
 public:
  std::optional<Creds> creds(pid_t) const override { return Creds{1, 2, 3, 4, 5, 6, 7, 8}; }
  std::optional<pid_t> tgid(pid_t tid) const override { return tid; }
  std::optional<std::vector<gid_t>> groups(pid_t) const override { return std::vector<gid_t>{}; }
  std::optional<std::uint64_t> ambient_caps(pid_t) const override { return 0; }
  std::optional<std::string> exe(pid_t) const override { return "/bin/app"; }
  std::optional<std::string> argv0(pid_t) const override { return "app"; }
  std::optional<FileInfo> stat_path(pid_t, int, const std::string&, bool) const override {
    return FileInfo{0, 0, S_IFREG | 0644};
  }
  std::optional<std::string> file_caps(pid_t, int, const std::string&) const override {
    return "cap_net_raw=ep";
  }
};

std::set<std::string> decoded_names(const char* syscall, const std::array<std::uint64_t, 6>& regs,
                                    std::uint8_t fill) {
  PatternMemory mem(fill);
  AllKnowingInspector inspector;
  std::set<std::string> out;
  const int nr = *events::syscall_number(syscall);
  for (const events::Arg& a : ArgDecoder(mem, &inspector, 42).decode(nr, regs)) {
    out.insert(a.name);
  }
  return out;
}

TEST(SyscallSchema, TheDecoderPutsInAnEventOnlyFieldsTheSchemaNames) {
  // Registers and memory varied so that every branch of every kind runs:
  // each socket family, each prctl option that names a capability, each
  // bpf command that has a type, an optlen of 4.
  const std::vector<std::array<std::uint64_t, 6>> regs = {
      {0x1000, 0x2000, 0x3000, 0x4000, 0x5000, 0x6000},
      {0, 0, 0, 0, 0, 0},
      {AF_NETLINK, 3, 4, 0x4000, 0x5000, 0x6000},
      {PR_CAPBSET_DROP, 12, 0, 0, 0, 0},
      {PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, 13, 0, 0, 0},
      {5 /* BPF_PROG_LOAD */, 0x2000, 4, 0, 0, 0},
      {3, SOL_SOCKET, 36, 0x2000, 4, 0},
      {3, 0x1000, 0x3000, 0x1000, 0x1000, 16},
  };
  const std::uint8_t families[] = {AF_INET, AF_INET6, AF_UNIX, AF_NETLINK, 0};
  for (const events::CallSchema& call : events::call_schemas()) {
    if (!events::syscall_number(call.syscall)) {
      continue;  // a call of another architecture
    }
    const std::vector<std::string> allowed = events::event_fields(call.syscall);
    for (const auto& r : regs) {
      for (const std::uint8_t fill : families) {
        for (const std::string& name : decoded_names(call.syscall, r, fill)) {
          EXPECT_NE(std::find(allowed.begin(), allowed.end(), name), allowed.end())
              << call.syscall << " decodes '" << name << "', which its schema does not name";
        }
      }
    }
  }
}

TEST(SyscallSchema, ACallOnADescriptorHasTheFactsOfTheFileItNames) {
  for (const char* call : {"fchmod", "fchown", "fsetxattr", "ftruncate", "fchdir", "ioctl"}) {
    const auto names = decoded_names(call, {3, 0, 0, 0, 0, 0}, 0);
    EXPECT_EQ(names.count("file.uid"), 1u) << call;
    EXPECT_EQ(names.count("file.mode"), 1u) << call;
    const auto fields = events::event_fields(call);
    EXPECT_NE(std::find(fields.begin(), fields.end(), "file.uid"), fields.end()) << call;
  }
}

TEST(SyscallSchema, ACallItDoesNotDescribeHasItsRawRegisters) {
  EXPECT_EQ(events::call_schema("getpid"), nullptr);
  const auto fields = events::event_fields("getpid");
  EXPECT_EQ(fields, (std::vector<std::string>{"arg0", "arg1", "arg2", "arg3", "arg4", "arg5"}));
}

TEST(SyscallSchema, TheFiltersRegisterFieldsAreTheSchemasArguments) {
  // The register of a field is its place in the schema's argument list.
  EXPECT_EQ(register_field("socket", "protocol")->arg, 2);
  EXPECT_EQ(register_field("setsockopt", "option")->arg, 2);
  EXPECT_EQ(register_field("linkat", "flags")->arg, 4);
  EXPECT_EQ(register_field("fchmodat", "mode")->arg, 2);
  EXPECT_EQ(register_field("fchmod", "mode")->arg, 1);
  // Memory, facts and unknown fields have none.
  EXPECT_FALSE(register_field("openat", "path"));
  EXPECT_FALSE(register_field("openat", "file.uid"));
  EXPECT_FALSE(register_field("openat2", "flags"));  // inside struct open_how
  EXPECT_FALSE(register_field("socket", "nonesuch"));
  EXPECT_FALSE(register_field("getpid", "arg0"));
}

}  // namespace
}  // namespace capmin::tracer
