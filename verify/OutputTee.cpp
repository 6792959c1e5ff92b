// SPDX-License-Identifier: MIT
#include "verify/OutputTee.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdio>
#include <iostream>

#include "events/UniqueFd.h"
#include "verify/SyslogSocket.h"

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

OutputTee::OutputTee(bool quiet, bool receive_syslog) : quiet_(quiet) {
  if (receive_syslog && SyslogSocket::usable()) {
    syslog_ = std::make_unique<SyslogSocket>();
  }
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

std::optional<tracer::DevLog> OutputTee::dev_log() const {
  if (!syslog_) {
    return std::nullopt;
  }
  return tracer::DevLog{syslog_->socket_path(), syslog_->dev_scratch()};
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
  // What the program sent last, after the pipes went quiet.
  receive_syslog();
  for (int i = 0; i < 2; ++i) {
    read_[i].reset();
    saved_[i].reset();
  }
  syslog_.reset();
  return std::move(kept_);
}

void OutputTee::keep(int stream, const char* data, std::size_t size) {
  if (!quiet_ && saved_[stream]) {
    write_all(saved_[stream].get(), data, size);
  }
  if (kept_.size() < kMaxKept) {
    kept_.append(data, std::min(size, kMaxKept - kept_.size()));
  }
}

// Every datagram waiting, as lines of standard error.
void OutputTee::receive_syslog() {
  if (!syslog_) {
    return;
  }
  std::string datagram(65536, '\0');
  for (;;) {
    const ssize_t n = recv(syslog_->fd(), datagram.data(), datagram.size(), MSG_DONTWAIT);
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n < 0) {
      return;
    }
    const std::string lines =
        syslog_lines(std::string_view(datagram.data(), static_cast<std::size_t>(n)));
    keep(1, lines.data(), lines.size());
  }
}

void OutputTee::pump() {
  sigset_t all;
  sigfillset(&all);
  pthread_sigmask(SIG_BLOCK, &all, nullptr);
  pollfd fds[3] = {{read_[0].get(), POLLIN, 0},
                   {read_[1].get(), POLLIN, 0},
                   {syslog_ ? syslog_->fd() : -1, POLLIN, 0}};
  int open_pipes = 2;
  char buf[16384];
  while (open_pipes > 0) {
    const int ready = poll(fds, 3, kQuietMs);
    if (ready < 0 && errno == EINTR) {
      continue;
    }
    if (ready <= 0) {
      if (stopping_) {
        return;  // quiet, and the run is over
      }
      continue;
    }
    if (fds[2].revents != 0) {
      receive_syslog();
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
      keep(i, buf, static_cast<std::size_t>(n));
    }
  }
}

}  // namespace capmin::verify
