/* SPDX-License-Identifier: MIT */
/* io-heavy N: N rounds of write(1 byte) + read(1 byte) through a pipe: 2N
 * system calls that no capability rule is about. Under a seccomp-filtered
 * tracer none of them should stop the program. */
#include "common.h"

int main(int argc, char** argv) {
  long n = size_arg(argc, argv, 400000);
  int p[2];
  if (pipe(p) != 0) {
    die("pipe");
  }
  char c = 'x';
  for (long i = 0; i < n; ++i) {
    if (write(p[1], &c, 1) != 1) {
      die("write");
    }
    if (read(p[0], &c, 1) != 1) {
      die("read");
    }
  }
  close(p[0]);
  close(p[1]);
  return 0;
}
