/* SPDX-License-Identifier: MIT */
/* seccomp-only COMMAND [ARG...]: runs COMMAND under a seccomp filter of one
 * instruction, SECCOMP_RET_ALLOW, and no tracer. The benchmark's floor for a
 * seccomp-filtered tracer: what a filter costs every system call, whatever
 * it says (the kernel takes its slower system call entry for a filtered
 * task). Needs no privilege: no_new_privs is set first. */
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stdio.h>
#include <sys/prctl.h>
#include <unistd.h>

int main(int argc, char** argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: seccomp-only COMMAND [ARG...]\n");
    return 2;
  }
  struct sock_filter allow[] = {BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW)};
  struct sock_fprog prog = {1, allow};
  if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 ||
      prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog) != 0) {
    perror("seccomp-only: seccomp");
    return 125;
  }
  execvp(argv[1], argv + 1);
  perror("seccomp-only: exec");
  return 127;
}
