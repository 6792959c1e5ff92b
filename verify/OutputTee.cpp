// SPDX-License-Identifier: MIT
#include "verify/OutputTee.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <unistd.h>

#include <cstdio>
#include <iostream>

#include "events/UniqueFd.h"

namespace capmin::verify {

namespace {

// How long the pipes must stay quiet, once the run is over, before
// finish() stops reading them.
constexpr int kQuietMs = 100;

void write_all(int fd, const char* data, std::size_t size) {
  while (size > 0) {
    const ssize_t n = write(fd, data, size);
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n <= 0) {
      return;  // the reader went away: the copy is still kept
    }
    data += n;
    size -= static_cast<std::size_t>(n);
  }
}

void flush_streams() {
  std::cout.flush();
  std::cerr.flush();
  std::fflush(stdout);
  std::fflush(stderr);
}

}  // namespace

OutputTee::OutputTee(bool quiet) : quiet_(quiet) {
  flush_streams();
  events::Pipe pipes[2] = {events::make_pipe(), events::make_pipe()};
  for (int i = 0; i < 2; ++i) {
    saved_[i].reset(fcntl(i + 1, F_DUPFD_CLOEXEC, 3));
    read_[i] = std::move(pipes[i].read);
    // dup2 leaves the new descriptor without close-on-exec: every program
    // started from now on writes into the pipe. The write end itself closes
    // at the end of this scope.
    dup2(pipes[i].write.get(), i + 1);
  }
  try {
    thread_ = std::thread([this] { pump(); });
  } catch (...) {
    restore();  // nobody would read the pipes
    throw;
  }
}

OutputTee::~OutputTee() {
  if (!finished_) {
    finish();
  }
}

void OutputTee::restore() {
  flush_streams();
  for (int i = 0; i < 2; ++i) {
    if (saved_[i]) {
      dup2(saved_[i].get(), i + 1);
    }
  }
}

std::string OutputTee::finish() {
  finished_ = true;
  restore();
  stopping_ = true;
  if (thread_.joinable()) {
    thread_.join();
  }
  for (int i = 0; i < 2; ++i) {
    read_[i].reset();
    saved_[i].reset();
  }
  return std::move(kept_);
}

void OutputTee::pump() {
  sigset_t all;
  sigfillset(&all);
  pthread_sigmask(SIG_BLOCK, &all, nullptr);
  pollfd fds[2] = {{read_[0].get(), POLLIN, 0}, {read_[1].get(), POLLIN, 0}};
  int open_pipes = 2;
  char buf[16384];
  while (open_pipes > 0) {
    const int ready = poll(fds, 2, kQuietMs);
    if (ready < 0 && errno == EINTR) {
      continue;
    }
    if (ready <= 0) {
      if (stopping_) {
        return;  // quiet, and the run is over
      }
      continue;
    }
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || fds[i].revents == 0) {
        continue;
      }
      const ssize_t n = read(fds[i].fd, buf, sizeof buf);
      if (n < 0 && errno == EINTR) {
        continue;
      }
      if (n <= 0) {
        fds[i].fd = -1;  // every writer is gone
        --open_pipes;
        continue;
      }
      if (!quiet_) {
        write_all(saved_[i].get(), buf, static_cast<std::size_t>(n));
      }
      if (kept_.size() < kMaxKept) {
        kept_.append(buf, std::min(static_cast<std::size_t>(n), kMaxKept - kept_.size()));
      }
    }
  }
}

}  // namespace capmin::verify
