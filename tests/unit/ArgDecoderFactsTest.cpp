// SPDX-License-Identifier: MIT
// ArgDecoder with a ProcessInspector: the facts it looks up about the caller,
// the file a call names and the task a signal targets.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>

#include <cstring>
#include <map>

#include "events/SyscallNames.h"
#include "tracer/decode/ArgDecoder.h"

namespace capmin::tracer {
namespace {

class FakeMemory : public MemoryReader {
 public:
  std::uint64_t put_string(std::uint64_t addr, const std::string& s) {
    strings_[addr] = s;
    return addr;
  }
  bool read(std::uint64_t addr, void* buf, std::size_t len) const override {
    // Whole pages are mapped, as in a real process.
    for (const auto& [start, s] : strings_) {
      const std::uint64_t page = start & ~std::uint64_t{4095};
      if (addr >= page && addr + len <= page + 4096) {
        std::vector<char> bytes(4096);
        std::memcpy(bytes.data() + (start - page), s.c_str(), s.size() + 1);
        std::memcpy(buf, bytes.data() + (addr - page), len);
        return true;
      }
    }
    return len == 0;
  }

 private:
  std::map<std::uint64_t, std::string> strings_;
};

class FakeInspector : public ProcessInspector {
 public:
  std::map<pid_t, Creds> creds_;
  std::map<std::string, FileInfo> files_;  // as the tracee names them
  std::map<std::string, std::string> caps_;
  mutable std::vector<std::pair<int, std::string>> looked_up_;

  std::optional<Creds> creds(pid_t tid) const override {
    auto it = creds_.find(tid);
    return it == creds_.end() ? std::nullopt : std::optional<Creds>(it->second);
  }
  std::optional<pid_t> tgid(pid_t tid) const override { return tid; }
  std::optional<std::vector<gid_t>> groups(pid_t) const override { return std::vector<gid_t>{}; }
  std::optional<std::uint64_t> ambient_caps(pid_t) const override { return 0; }
  std::optional<std::string> exe(pid_t) const override { return "/bin/app"; }
  std::optional<std::string> argv0(pid_t) const override { return "app"; }
  std::optional<FileInfo> stat_path(pid_t, int dirfd, const std::string& path,
                                    bool) const override {
    looked_up_.emplace_back(dirfd, path);
    auto it = files_.find(path);
    return it == files_.end() ? std::nullopt : std::optional<FileInfo>(it->second);
  }
  std::optional<std::string> file_caps(pid_t, int, const std::string& path) const override {
    auto it = caps_.find(path);
    return it == caps_.end() ? std::nullopt : std::optional<std::string>(it->second);
  }
};

constexpr pid_t kCaller = 50;

ProcessInspector::Creds creds_of(uid_t uid) { return {uid, uid, uid, uid, uid, uid, uid, uid}; }

class ArgDecoderFactsTest : public ::testing::Test {
 protected:
  ArgDecoderFactsTest() { inspector_.creds_[kCaller] = creds_of(1000); }

  std::map<std::string, std::string> decode(const char* syscall,
                                            std::array<std::uint64_t, 6> regs) {
    std::map<std::string, std::string> out;
    const int nr = events::syscall_number(syscall).value();
    for (auto& a : ArgDecoder(mem_, &inspector_, kCaller).decode(nr, regs)) {
      out[a.name] = a.text;
    }
    return out;
  }

  FakeMemory mem_;
  FakeInspector inspector_;
};

TEST_F(ArgDecoderFactsTest, AddsTheCallersIds) {
  auto d = decode("setuid", {0, 0, 0, 0, 0, 0});
  EXPECT_EQ(d["caller.uid"], "1000");
  EXPECT_EQ(d["caller.euid"], "1000");
  EXPECT_EQ(d["caller.fsuid"], "1000");
  EXPECT_EQ(d["caller.fsgid"], "1000");
}

TEST_F(ArgDecoderFactsTest, DescribesTheFileAndItsDirectory) {
  inspector_.files_["/srv/data/db"] = {0, 0, S_IFREG | 0600};
  inspector_.files_["/srv/data"] = {0, 42, S_IFDIR | 01777};
  auto d = decode("openat", {static_cast<std::uint64_t>(AT_FDCWD),
                             mem_.put_string(0x1000, "/srv/data/db"), O_RDONLY, 0, 0, 0});
  EXPECT_EQ(d["file.exists"], "yes");
  EXPECT_EQ(d["file.uid"], "0");
  EXPECT_EQ(d["file.mode"], "0600");
  EXPECT_EQ(d["file.type"], "file");
  EXPECT_EQ(d["parent.gid"], "42");
  EXPECT_EQ(d["parent.mode"], "01777");
  EXPECT_EQ(d["parent.type"], "dir");
}

TEST_F(ArgDecoderFactsTest, LooksARelativePathUpFromItsDirectoryFd) {
  decode("mkdirat", {9, mem_.put_string(0x1000, "sub"), 0755, 0, 0, 0});
  ASSERT_FALSE(inspector_.looked_up_.empty());
  EXPECT_EQ(inspector_.looked_up_.front(), (std::pair<int, std::string>{9, "sub"}));
  EXPECT_EQ(inspector_.looked_up_.back(), (std::pair<int, std::string>{9, "."}));
}

TEST_F(ArgDecoderFactsTest, SaysAMissingFileDoesNotExist) {
  inspector_.files_["/"] = {0, 0, S_IFDIR | 0755};
  auto d = decode("mkdir", {mem_.put_string(0x1000, "/newdir"), 0755, 0, 0, 0, 0});
  EXPECT_EQ(d["file.exists"], "no");
  EXPECT_EQ(d.count("file.uid"), 0u);
  EXPECT_EQ(d["parent.exists"], "yes");
  EXPECT_EQ(d["parent.uid"], "0");
}

TEST_F(ArgDecoderFactsTest, LooksNothingUpForAnUnreadablePath) {
  auto d = decode("unlink", {0xdead0000, 0, 0, 0, 0, 0});
  EXPECT_EQ(d["path"], "<unreadable>");
  EXPECT_EQ(d.count("file.exists"), 0u);
  EXPECT_TRUE(inspector_.looked_up_.empty());
}

TEST_F(ArgDecoderFactsTest, AddsTheFileCapabilitiesOfAnExecutedFile) {
  inspector_.files_["/usr/bin/ping"] = {0, 0, S_IFREG | 0755};
  inspector_.caps_["/usr/bin/ping"] = "cap_net_raw=ep";
  auto d = decode("execve", {mem_.put_string(0x1000, "/usr/bin/ping"), 0, 0, 0, 0, 0});
  EXPECT_EQ(d["file.caps"], "cap_net_raw=ep");
  // Only execve asks: an open of the same file does not.
  d = decode("open", {0x1000, O_RDONLY, 0, 0, 0, 0});
  EXPECT_EQ(d.count("file.caps"), 0u);
}

TEST_F(ArgDecoderFactsTest, ComparesTheSignalTargetsUidAsTheKernelDoes) {
  inspector_.creds_[77] = creds_of(1000);
  inspector_.creds_[78] = creds_of(0);
  auto d = decode("kill", {77, SIGTERM, 0, 0, 0, 0});
  EXPECT_EQ(d["target.uid"], "1000");
  EXPECT_EQ(d["target.same_uid"], "yes");
  d = decode("kill", {78, SIGTERM, 0, 0, 0, 0});
  EXPECT_EQ(d["target.uid"], "0");
  EXPECT_EQ(d["target.same_uid"], "no");
  // A saved uid that matches is enough (kill_ok_by_cred).
  auto setuid_child = creds_of(0);
  setuid_child.suid = 1000;
  inspector_.creds_[79] = setuid_child;
  EXPECT_EQ(decode("kill", {79, SIGTERM, 0, 0, 0, 0})["target.same_uid"], "yes");
}

TEST_F(ArgDecoderFactsTest, HasNoTargetForAGroupOrEverybody) {
  EXPECT_EQ(
      decode("kill", {static_cast<std::uint64_t>(-1), SIGKILL, 0, 0, 0, 0}).count("target.uid"),
      0u);
  EXPECT_EQ(decode("kill", {0, SIGKILL, 0, 0, 0, 0}).count("target.uid"), 0u);
  // A task that is gone has no facts either.
  EXPECT_EQ(decode("kill", {4242, SIGKILL, 0, 0, 0, 0}).count("target.uid"), 0u);
}

TEST_F(ArgDecoderFactsTest, KeepsLookedUpFactsOutOfTheSummary) {
  inspector_.files_["/f"] = {0, 0, S_IFREG | 0644};
  events::SyscallEvent e;
  e.args = ArgDecoder(mem_, &inspector_, kCaller)
               .decode(events::syscall_number("chmod").value(),
                       {mem_.put_string(0x1000, "/f"), 0600, 0, 0, 0, 0});
  EXPECT_EQ(e.args_summary(), "path=/f, mode=0600");
}

}  // namespace
}  // namespace capmin::tracer
