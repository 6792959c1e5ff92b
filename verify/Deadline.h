// SPDX-License-Identifier: MIT
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <optional>
#include <thread>

namespace capmin::verify {

// Ends a run that outlives its time, as `docker stop` does: when the time is
// up it calls stop(SIGTERM), and if the run is still going `grace` later,
// stop(SIGKILL). With a `check`, it also calls it every kCheckEvery and
// ends the run the same way, early, as soon as it returns true (a server
// that has answered). Works on a thread of its own that blocks every signal,
// so that signals sent to capmin still interrupt the main thread's waitpid.
// Without a duration it does nothing.
class Deadline {
 public:
  using Stop = std::function<void(int sig)>;
  using Check = std::function<bool()>;
  Deadline(std::optional<std::chrono::milliseconds> after, Stop stop, Check check = {},
           std::chrono::milliseconds grace = kGrace);
  // Cancels whatever has not happened yet.
  ~Deadline();
  Deadline(const Deadline&) = delete;
  Deadline& operator=(const Deadline&) = delete;

  // Whether the time ran out (stop(SIGTERM) was called for that).
  bool fired() const;
  // Whether the check passed (stop(SIGTERM) was called for that).
  bool check_passed() const;

  static constexpr std::chrono::milliseconds kGrace{2000};
  static constexpr std::chrono::milliseconds kCheckEvery{250};

 private:
  void wait_and_stop(std::chrono::milliseconds after, std::chrono::milliseconds grace);

  Stop stop_;
  Check check_;
  mutable std::mutex mutex_;
  std::condition_variable cancelled_cv_;
  bool cancelled_ = false;
  bool fired_ = false;
  bool check_passed_ = false;
  std::thread thread_;
};

}  // namespace capmin::verify
