// SPDX-License-Identifier: MIT
#include <fcntl.h>
#include <gtest/gtest.h>
#include <linux/capability.h>
#include <linux/openat2.h>
#include <sched.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include <cstring>
#include <map>
#include <random>

#include "events/SyscallNames.h"
#include "tracer/decode/ArgDecoder.h"

namespace capmin::tracer {
namespace {

constexpr std::uint64_t kPage = 4096;

// Tracee memory as a few mapped pages; every other address is unmapped, as a
// garbage pointer from a traced program would be.
class FakeMemory : public MemoryReader {
 public:
  void put(std::uint64_t addr, const void* bytes, std::size_t len) {
    const auto* p = static_cast<const std::uint8_t*>(bytes);
    for (std::size_t i = 0; i < len; ++i) {
      auto& page = pages_[(addr + i) / kPage];
      page.resize(kPage);
      page[(addr + i) % kPage] = p[i];
    }
  }
  // Puts `s` with its NUL at `addr`; returns `addr` for use as a register.
  std::uint64_t put_string(std::uint64_t addr, const std::string& s) {
    put(addr, s.c_str(), s.size() + 1);
    return addr;
  }
  template <typename T>
  std::uint64_t put_value(std::uint64_t addr, const T& v) {
    put(addr, &v, sizeof v);
    return addr;
  }

  bool read(std::uint64_t addr, void* buf, std::size_t len) const override {
    if (len > UINT64_MAX - addr) {
      return false;
    }
    auto* out = static_cast<std::uint8_t*>(buf);
    for (std::size_t i = 0; i < len; ++i) {
      auto page = pages_.find((addr + i) / kPage);
      if (page == pages_.end()) {
        return false;
      }
      out[i] = page->second[(addr + i) % kPage];
    }
    return true;
  }

 private:
  std::map<std::uint64_t, std::vector<std::uint8_t>> pages_;
};

constexpr std::uint64_t kA = 0x10000;  // where tests put their first object
constexpr std::uint64_t kB = 0x20000;  // ... and their second
constexpr std::uint64_t kUnmapped = 0xdead0000;

std::uint64_t reg(std::int64_t v) { return static_cast<std::uint64_t>(v); }

// The decoded arguments of one call, looked up by name.
struct Decoded {
  std::vector<events::Arg> args;

  const events::Arg* find(std::string_view name) const {
    for (const auto& a : args) {
      if (a.name == name) {
        return &a;
      }
    }
    return nullptr;
  }
  std::string operator[](std::string_view name) const {
    const events::Arg* a = find(name);
    return a != nullptr ? a->text : "<missing " + std::string(name) + ">";
  }
  std::optional<std::int64_t> value(std::string_view name) const {
    const events::Arg* a = find(name);
    return a != nullptr ? a->value : std::nullopt;
  }
  std::vector<std::string> names() const {
    std::vector<std::string> out;
    for (const auto& a : args) {
      out.push_back(a.name);
    }
    return out;
  }
};

class ArgDecoderTest : public ::testing::Test {
 protected:
  Decoded decode(const char* syscall, std::array<std::uint64_t, 6> regs) {
    const int nr = events::syscall_number(syscall).value();
    return Decoded{ArgDecoder(mem_, nullptr, 42).decode(nr, regs)};
  }
  FakeMemory mem_;
};

TEST_F(ArgDecoderTest, DecodesOpenatPathFlagsAndMode) {
  const auto d = decode("openat", {reg(AT_FDCWD), mem_.put_string(kA, "/var/log/app.log"),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0644, 0, 0});
  EXPECT_EQ(d.names(), (std::vector<std::string>{"dirfd", "path", "flags", "mode"}));
  EXPECT_EQ(d["dirfd"], "AT_FDCWD");
  EXPECT_EQ(d.value("dirfd"), AT_FDCWD);
  EXPECT_EQ(d["path"], "/var/log/app.log");
  EXPECT_EQ(d["flags"], "O_WRONLY|O_CREAT|O_TRUNC");
  EXPECT_EQ(d.value("flags"), O_WRONLY | O_CREAT | O_TRUNC);
  EXPECT_EQ(d["mode"], "0644");
  EXPECT_EQ(d.value("mode"), 0644);
}

TEST_F(ArgDecoderTest, PutsTheAccessModeFirstEvenWhenItIsZero) {
  const std::uint64_t path = mem_.put_string(kA, "/etc/shadow");
  EXPECT_EQ(decode("openat", {3, path, O_RDONLY, 0, 0, 0})["flags"], "O_RDONLY");
  EXPECT_EQ(decode("openat", {3, path, O_RDWR | O_CLOEXEC | O_DIRECTORY, 0, 0, 0})["flags"],
            "O_RDWR|O_DIRECTORY|O_CLOEXEC");
  EXPECT_EQ(decode("openat", {3, path, O_RDONLY | O_TMPFILE, 0, 0, 0})["flags"],
            "O_RDONLY|O_TMPFILE");
  EXPECT_EQ(decode("openat", {3, path, O_RDONLY | 0x4000000, 0, 0, 0})["flags"],
            "O_RDONLY|0x4000000");
  EXPECT_EQ(decode("openat", {3, path, O_RDONLY, 0, 0, 0})["dirfd"], "3");
}

TEST_F(ArgDecoderTest, NamesTheSharedAtFlagBitAsTheCallMeansIt) {
  // 0x200 is AT_EACCESS to faccessat2 and AT_REMOVEDIR to unlinkat.
  const std::uint64_t path = mem_.put_string(kA, "/srv/x");
  EXPECT_EQ(decode("faccessat2", {reg(AT_FDCWD), path, W_OK, AT_EACCESS, 0, 0})["flags"],
            "AT_EACCESS");
  EXPECT_EQ(decode("unlinkat", {reg(AT_FDCWD), path, AT_REMOVEDIR, 0, 0, 0})["flags"],
            "AT_REMOVEDIR");
}

TEST_F(ArgDecoderTest, ShowsAnUnreadablePathAsSuchInsteadOfFailing) {
  const auto d = decode("openat", {reg(AT_FDCWD), kUnmapped, O_RDONLY, 0, 0, 0});
  EXPECT_EQ(d["path"], "<unreadable>");
  EXPECT_EQ(d["flags"], "O_RDONLY");
  EXPECT_EQ(decode("chdir", {~0ull, 0, 0, 0, 0, 0})["path"], "<unreadable>");
}

TEST_F(ArgDecoderTest, ShowsANullPathAsNull) {
  EXPECT_EQ(decode("open", {0, O_RDONLY, 0, 0, 0, 0})["path"], "NULL");
}

TEST_F(ArgDecoderTest, TruncatesAStringThatRunsIntoAnUnmappedPage) {
  // "/tmp/abc" fills the last 8 bytes of a page; no NUL before the next, unmapped page.
  const std::string tail = "/tmp/abc";
  mem_.put(kA + kPage - tail.size(), tail.data(), tail.size());
  EXPECT_EQ(decode("unlink", {kA + kPage - tail.size(), 0, 0, 0, 0, 0})["path"], "/tmp/abc");
}

TEST_F(ArgDecoderTest, BoundsAPathWithoutANul) {
  const std::vector<char> many(3 * kPage, 'x');
  mem_.put(kA, many.data(), many.size());
  EXPECT_EQ(decode("unlink", {kA, 0, 0, 0, 0, 0})["path"], std::string(4096, 'x'));
}

TEST_F(ArgDecoderTest, GivesCreatTheFlagsItImplies) {
  const auto d = decode("creat", {mem_.put_string(kA, "/f"), 0600, 0, 0, 0, 0});
  EXPECT_EQ(d["flags"], "O_WRONLY|O_CREAT|O_TRUNC");
  EXPECT_EQ(d["mode"], "0600");
}

TEST_F(ArgDecoderTest, ReadsOpenat2FlagsFromOpenHow) {
  open_how how{};
  how.flags = O_RDWR | O_CREAT;
  how.mode = 0640;
  const auto d = decode("openat2", {reg(AT_FDCWD), mem_.put_string(kA, "/srv/db"),
                                    mem_.put_value(kB, how), sizeof how, 0, 0});
  EXPECT_EQ(d["path"], "/srv/db");
  EXPECT_EQ(d["flags"], "O_RDWR|O_CREAT");
  EXPECT_EQ(d["mode"], "0640");
  EXPECT_EQ(decode("openat2", {reg(AT_FDCWD), kA, kUnmapped, 24, 0, 0})["how"], "<unreadable>");
}

TEST_F(ArgDecoderTest, DecodesMknodModeTypeAndDevice) {
  const std::uint64_t path = mem_.put_string(kA, "/dev/null2");
  auto d = decode("mknod", {path, S_IFCHR | 0666, makedev(1, 3), 0, 0, 0});
  EXPECT_EQ(d["mode"], "S_IFCHR|0666");
  EXPECT_EQ(d["type"], "S_IFCHR");
  EXPECT_EQ(d.value("type"), S_IFCHR);
  EXPECT_EQ(d["dev"], "1:3");
  d = decode("mknodat", {reg(AT_FDCWD), path, S_IFBLK | 0660, makedev(259, 1048575), 0, 0});
  EXPECT_EQ(d["mode"], "S_IFBLK|0660");
  EXPECT_EQ(d["type"], "S_IFBLK");
  EXPECT_EQ(d["dev"], "259:1048575");
  // A mode without a type makes a regular file.
  d = decode("mknod", {path, 0600, 0, 0, 0, 0});
  EXPECT_EQ(d["mode"], "0600");
  EXPECT_EQ(d["type"], "S_IFREG");
}

TEST_F(ArgDecoderTest, IgnoresTheUpperHalfOfTheDeviceRegister) {
  // mknod(2) takes an unsigned int: the kernel never sees the upper 32 bits.
  const auto d = decode("mknod", {mem_.put_string(kA, "/d"), S_IFCHR | 0600,
                                  0xffffffff00000000ull | makedev(1, 3), 0, 0, 0});
  EXPECT_EQ(d["dev"], "1:3");
}

TEST_F(ArgDecoderTest, ShowsAnUnchangedIdAsMinusOne) {
  auto d = decode("chown", {mem_.put_string(kA, "/f"), 0xffffffff, 1000, 0, 0, 0});
  EXPECT_EQ(d["uid"], "-1");
  EXPECT_EQ(d.value("uid"), -1);
  EXPECT_EQ(d["gid"], "1000");
  d = decode("setresuid", {reg(-1), 0, 0xffffffffffffffffull, 0, 0, 0});
  EXPECT_EQ(d["ruid"], "-1");
  EXPECT_EQ(d["euid"], "0");
  EXPECT_EQ(d["suid"], "-1");
  EXPECT_EQ(decode("setuid", {4294967294u, 0, 0, 0, 0, 0})["uid"], "4294967294");
}

TEST_F(ArgDecoderTest, ListsSetgroupsMembers) {
  const std::uint32_t groups[] = {4, 27, 1000};
  const auto d = decode("setgroups", {3, mem_.put_value(kA, groups), 0, 0, 0, 0});
  EXPECT_EQ(d["groups"], "[4,27,1000]");
  EXPECT_EQ(d.value("groups"), 3);
  EXPECT_EQ(decode("setgroups", {2, kUnmapped, 0, 0, 0, 0})["groups"],
            "[<unreadable>,<unreadable>]");
  EXPECT_EQ(decode("setgroups", {0, 0, 0, 0, 0, 0})["groups"], "[]");
}

TEST_F(ArgDecoderTest, NamesSignals) {
  auto d = decode("kill", {1234, SIGKILL, 0, 0, 0, 0});
  EXPECT_EQ(d["pid"], "1234");
  EXPECT_EQ(d["sig"], "SIGKILL");
  EXPECT_EQ(d.value("sig"), SIGKILL);
  d = decode("kill", {reg(-1), 0, 0, 0, 0, 0});
  EXPECT_EQ(d["pid"], "-1");
  EXPECT_EQ(d["sig"], "0");
  EXPECT_EQ(decode("kill", {1, reg(SIGRTMIN + 2), 0, 0, 0, 0})["sig"], "SIGRTMIN+2");
  EXPECT_EQ(decode("tgkill", {10, 11, SIGTERM, 0, 0, 0})["sig"], "SIGTERM");
  EXPECT_EQ(decode("kill", {1, 200, 0, 0, 0, 0})["sig"], "200");
}

TEST_F(ArgDecoderTest, RemovesTheExitSignalFromCloneFlags) {
  const auto d = decode("clone", {CLONE_NEWNET | CLONE_NEWPID | SIGCHLD, 0, 0, 0, 0, 0});
  EXPECT_EQ(d["flags"], "CLONE_NEWPID|CLONE_NEWNET");
  EXPECT_EQ(d.value("flags"), CLONE_NEWNET | CLONE_NEWPID);
  EXPECT_EQ(decode("clone", {SIGCHLD, 0, 0, 0, 0, 0})["flags"], "0");
}

TEST_F(ArgDecoderTest, KeepsTheLowByteOfUnshareAndSetnsFlags) {
  // Only clone(2) keeps an exit signal there; for unshare(2) and setns(2)
  // 0x80 is CLONE_NEWTIME.
  EXPECT_EQ(decode("unshare", {CLONE_NEWNS | CLONE_NEWTIME, 0, 0, 0, 0, 0})["flags"],
            "CLONE_NEWNS|CLONE_NEWTIME");
  EXPECT_EQ(decode("setns", {5, CLONE_NEWTIME, 0, 0, 0, 0})["nstype"], "CLONE_NEWTIME");
  EXPECT_EQ(decode("setns", {5, 0, 0, 0, 0, 0})["nstype"], "0");
}

TEST_F(ArgDecoderTest, ReadsClone3FlagsFromCloneArgs) {
  std::uint64_t args[11] = {CLONE_NEWUSER | CLONE_NEWNS};
  args[9] = 1;  // set_tid_size
  const auto d = decode("clone3", {mem_.put_value(kA, args), sizeof args, 0, 0, 0, 0});
  EXPECT_EQ(d["flags"], "CLONE_NEWNS|CLONE_NEWUSER");
  EXPECT_EQ(d["set_tid_size"], "1");
}

TEST_F(ArgDecoderTest, NamesMountFlags) {
  const std::uint64_t src = mem_.put_string(kA, "none");
  const std::uint64_t target = mem_.put_string(kA + 64, "/mnt");
  const std::uint64_t fstype = mem_.put_string(kA + 128, "tmpfs");
  auto d = decode("mount", {src, target, fstype, MS_NOSUID | MS_NODEV, 0, 0});
  EXPECT_EQ(d["source"], "none");
  EXPECT_EQ(d["target"], "/mnt");
  EXPECT_EQ(d["fstype"], "tmpfs");
  EXPECT_EQ(d["flags"], "MS_NOSUID|MS_NODEV");
  d = decode("mount", {src, target, 0, MS_BIND | MS_REC, 0, 0});
  EXPECT_EQ(d["fstype"], "NULL");
  EXPECT_EQ(d["flags"], "MS_BIND|MS_REC");
  // The old magic in the upper half is one name, not six flags the kernel ignores.
  EXPECT_EQ(decode("mount", {src, target, fstype, MS_MGC_VAL | MS_RDONLY, 0, 0})["flags"],
            "MS_MGC_VAL|MS_RDONLY");
  d = decode("mount", {src, target, fstype, MS_MGC_VAL, 0, 0});
  EXPECT_EQ(d["flags"], "MS_MGC_VAL");
  EXPECT_EQ(d.value("flags"), 0);
  // Another bit in the upper half: no magic, and all of it flags (as the kernel reads it).
  d = decode("mount", {src, target, fstype, MS_MGC_VAL | MS_SHARED, 0, 0});
  EXPECT_EQ(d["flags"].find("MS_MGC_VAL"), std::string::npos) << d["flags"];
  EXPECT_NE(d["flags"].find("MS_SHARED"), std::string::npos) << d["flags"];
}

TEST_F(ArgDecoderTest, NamesTheCapabilitiesCapsetAsksFor) {
  __user_cap_header_struct hdr{_LINUX_CAPABILITY_VERSION_3, 0};
  __user_cap_data_struct data[2]{};
  data[0].effective = 1u << CAP_NET_BIND_SERVICE;
  data[0].permitted = (1u << CAP_NET_BIND_SERVICE) | (1u << CAP_NET_RAW);
  data[1].permitted = 1u << (CAP_CHECKPOINT_RESTORE - 32);
  const auto d = decode("capset", {mem_.put_value(kA, hdr), mem_.put_value(kB, data), 0, 0, 0, 0});
  EXPECT_EQ(d["pid"], "0");
  EXPECT_EQ(d["effective"], "CAP_NET_BIND_SERVICE");
  EXPECT_EQ(d["permitted"], "CAP_NET_BIND_SERVICE|CAP_NET_RAW|CAP_CHECKPOINT_RESTORE");
  EXPECT_EQ(d.value("permitted"),
            (1ll << CAP_NET_BIND_SERVICE) | (1ll << CAP_NET_RAW) | (1ll << CAP_CHECKPOINT_RESTORE));
  EXPECT_EQ(d["inheritable"], "0");
  EXPECT_EQ(decode("capset", {kA, kUnmapped, 0, 0, 0, 0})["caps"], "<unreadable>");
  EXPECT_EQ(decode("capset", {kA, 0, 0, 0, 0, 0})["caps"], "<unreadable>");
}

TEST_F(ArgDecoderTest, NamesTheCapabilityOfPrctlBoundingAndAmbientCalls) {
  auto d = decode("prctl", {PR_CAPBSET_DROP, CAP_SYS_ADMIN, 0, 0, 0, 0});
  EXPECT_EQ(d["option"], "PR_CAPBSET_DROP");
  EXPECT_EQ(d["arg2"], "CAP_SYS_ADMIN");
  EXPECT_EQ(d["cap"], "CAP_SYS_ADMIN");
  EXPECT_EQ(d.value("cap"), CAP_SYS_ADMIN);
  d = decode("prctl", {PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, CAP_NET_RAW, 0, 0, 0});
  EXPECT_EQ(d["arg2"], "PR_CAP_AMBIENT_RAISE");
  EXPECT_EQ(d["cap"], "CAP_NET_RAW");
  d = decode("prctl", {PR_SET_KEEPCAPS, 1, 0, 0, 0, 0});
  EXPECT_EQ(d["option"], "PR_SET_KEEPCAPS");
  EXPECT_EQ(d["arg2"], "0x1");
  EXPECT_EQ(d.find("cap"), nullptr);
}

TEST_F(ArgDecoderTest, ReadsALengthDelimitedHostname) {
  const std::uint64_t name = mem_.put_string(kA, "myhost.example");
  EXPECT_EQ(decode("sethostname", {name, 6, 0, 0, 0, 0})["name"], "myhost");
  EXPECT_EQ(decode("sethostname", {name, 14, 0, 0, 0, 0})["name"], "myhost.example");
  EXPECT_EQ(decode("sethostname", {name, 0, 0, 0, 0, 0})["name"], "");
  EXPECT_EQ(decode("sethostname", {0, 2, 0, 0, 0, 0})["name"], "NULL");
  EXPECT_EQ(decode("sethostname", {kUnmapped, 3, 0, 0, 0, 0})["name"], "<unreadable>");
  EXPECT_EQ(decode("sethostname", {kUnmapped, ~0ull, 0, 0, 0, 0})["name"], "<unreadable>");
}

TEST_F(ArgDecoderTest, GivesACallItDoesNotKnowItsRawRegisters) {
  const auto d = decode("getpid", {1, 0xff, 0xdeadbeef, 0, ~0ull, 7});
  EXPECT_EQ(d.names(), (std::vector<std::string>{"arg0", "arg1", "arg2", "arg3", "arg4", "arg5"}));
  EXPECT_EQ(d["arg1"], "0xff");
  EXPECT_EQ(d["arg2"], "0xdeadbeef");
  EXPECT_EQ(d["arg4"], "0xffffffffffffffff");
  EXPECT_EQ(d.value("arg4"), -1);
  const auto none = ArgDecoder(mem_, nullptr, 1).decode(100000, {1, 2, 3, 4, 5, 6});
  ASSERT_EQ(none.size(), 6u);
  EXPECT_EQ(none[5].text, "0x6");
}

// Garbage registers and random memory, for every system call number: the
// decoder must answer, never crash or read outside what it was given.
TEST_F(ArgDecoderTest, SurvivesGarbageForEverySyscall) {
  std::mt19937_64 rng(20240601);
  std::vector<std::uint8_t> noise(3 * kPage);
  for (auto& b : noise) {
    b = static_cast<std::uint8_t>(rng());
  }
  mem_.put(kA, noise.data(), noise.size());
  mem_.put(kB + kPage - 100, noise.data(), 100);  // a region that ends at a page edge
  auto garbage = [&]() -> std::uint64_t {
    switch (rng() % 8) {
      case 0:
        return 0;
      case 1:
        return ~0ull;
      case 2:
        return rng() % 64;
      case 3:
        return kA + rng() % (3 * kPage);
      case 4:
        return kB + kPage - 1 - rng() % 100;
      case 5:
        return reg(-static_cast<std::int64_t>(rng() % 200));
      case 6:
        return static_cast<std::uint32_t>(rng());
      default:
        return rng();
    }
  };
  for (int nr = 0; nr <= 460; ++nr) {
    for (int round = 0; round < 40; ++round) {
      std::array<std::uint64_t, 6> regs{};
      for (auto& r : regs) {
        r = garbage();
      }
      const auto args = ArgDecoder(mem_, nullptr, 1).decode(nr, regs);
      for (const auto& a : args) {
        ASSERT_FALSE(a.name.empty()) << events::syscall_name(nr);
      }
    }
  }
}

}  // namespace
}  // namespace capmin::tracer
