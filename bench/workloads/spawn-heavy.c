/* SPDX-License-Identifier: MIT */
/* spawn-heavy N: N times fork + execve("/bin/true") + waitpid. Every child is
 * a new task the tracer must attach to, and every exec a new image. */
#include <sys/wait.h>

#include "common.h"

int main(int argc, char** argv) {
  long n = size_arg(argc, argv, 300);
  for (long i = 0; i < n; ++i) {
    pid_t pid = fork();
    if (pid < 0) {
      die("fork");
    }
    if (pid == 0) {
      execl("/bin/true", "true", (char*)NULL);
      _exit(127);
    }
    int st;
    if (waitpid(pid, &st, 0) != pid) {
      die("waitpid");
    }
    if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
      fprintf(stderr, "workload: /bin/true failed (status %#x)\n", st);
      return 1;
    }
  }
  return 0;
}
