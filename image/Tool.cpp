// SPDX-License-Identifier: MIT
#include "image/Tool.h"

#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include "events/Errors.h"
#include "events/UniqueFd.h"

extern char** environ;

namespace capmin::image {

ToolResult run_tool(const std::vector<std::string>& argv, const std::string& package) {
  std::vector<char*> args;
  for (const std::string& a : argv) {
    args.push_back(const_cast<char*>(a.c_str()));
  }
  args.push_back(nullptr);
  events::Pipe pipe = events::make_pipe();
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, pipe.write.get(), 1);
  posix_spawn_file_actions_adddup2(&actions, pipe.write.get(), 2);
  pid_t pid = -1;
  const int err = posix_spawnp(&pid, args[0], &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  pipe.write.reset();
  if (err == ENOENT) {
    throw UserError(argv[0] + " not found on $PATH: install it (Debian: apt-get install " +
                    package + ", which scripts/install-deps does)");
  }
  if (err != 0) {
    throw SystemError("posix_spawn(" + argv[0] + ")", err);
  }
  ToolResult r;
  char buf[8192];
  for (;;) {
    const ssize_t n = read(pipe.read.get(), buf, sizeof buf);
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n <= 0) {
      break;
    }
    if (r.output.size() < (1u << 20)) {
      r.output.append(buf, static_cast<std::size_t>(n));
    }
  }
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  r.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

std::string last_line(const std::string& output) {
  std::string line;
  std::size_t end = output.size();
  while (end > 0) {
    std::size_t start = output.rfind('\n', end - 1);
    start = start == std::string::npos ? 0 : start + 1;
    line = output.substr(start, end - start);
    if (line.find_first_not_of(" \t\r") != std::string::npos) {
      break;
    }
    end = start == 0 ? 0 : start - 1;
    line.clear();
  }
  // logrus's text formats: "FATA[0000] message" and
  // time="..." level=fatal msg="message" (its quotes escaped inside)
  if (line.size() > 11 && line[4] == '[' && line[9] == ']') {
    line = line.substr(11);
  }
  const std::size_t msg = line.find(" msg=\"");
  if (msg != std::string::npos && line.back() == '"') {
    std::string text;
    for (std::size_t i = msg + 6; i + 1 < line.size(); ++i) {
      if (line[i] == '\\' && i + 2 < line.size()) {
        ++i;
      }
      text += line[i];
    }
    line = text;
  }
  return line;
}

}  // namespace capmin::image
