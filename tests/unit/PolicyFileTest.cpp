// SPDX-License-Identifier: MIT
#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "analyzer/PolicyFile.h"
#include "events/Errors.h"

namespace capmin::analyzer {
namespace {

// A temporary directory, removed with everything in it.
class TempDir {
 public:
  TempDir() {
    char tmpl[] = "/tmp/capmin-policyfile.XXXXXX";
    if (mkdtemp(tmpl) != nullptr) {
      path_ = tmpl;
    }
  }
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  std::string operator/(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

std::string error_of(const std::string& path) {
  try {
    read_policy_file(path, "rule file");
  } catch (const UserError& e) {
    return e.what();
  }
  return "(no error)";
}

TEST(PolicyFile, ReadsTheWholeFile) {
  const TempDir dir;
  const std::string text = "rules: []\n" + std::string(200 * 1024, '#') + "\n";
  std::ofstream(dir / "rules.yaml") << text;
  EXPECT_EQ(read_policy_file(dir / "rules.yaml", "rule file"), text);
}

TEST(PolicyFile, SaysWhyAFileCannotBeRead) {
  const TempDir dir;
  EXPECT_EQ(error_of(dir / "missing.yaml"),
            "cannot read rule file '" + (dir / "missing.yaml") + "': No such file or directory");
}

TEST(PolicyFile, SaysADirectoryIsADirectory) {
  const TempDir dir;
  std::filesystem::create_directory(dir / "sub");
  EXPECT_EQ(error_of(dir / "sub"), "cannot read rule file '" + (dir / "sub") + "': Is a directory");
}

TEST(PolicyFile, StopsReadingAFileThatNeverEnds) {
  EXPECT_EQ(error_of("/dev/zero"), "rule file '/dev/zero' is larger than 16 MiB: not a rule file");
}

TEST(PolicyFile, ReadsAFifoWithoutAWriterAsEmptyInsteadOfWaiting) {
  const TempDir dir;
  ASSERT_EQ(mkfifo((dir / "fifo").c_str(), 0600), 0);
  EXPECT_EQ(read_policy_file(dir / "fifo", "rule file"), "");
}

}  // namespace
}  // namespace capmin::analyzer
