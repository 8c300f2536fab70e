// A one-line progress display on stderr, redrawn in place: what stage a long
// run is in, how far, how fast, and when it should end.
#ifndef NEARDUP_CLI_PROGRESS_H_
#define NEARDUP_CLI_PROGRESS_H_

#include <chrono>
#include <cstddef>
#include <cstdio>
#include <string>
#include <string_view>

#include "neardup/input.h"

namespace neardup::cli {

// "12 s", "3:05", "1:02:03".
std::string FormatDuration(double seconds);

// "1,234,567".
std::string FormatCount(size_t n);

class ProgressLine {
 public:
  // Shown only when `enabled`: callers pass ProgressLine::Wanted(quiet).
  ProgressLine(FILE* stream, bool enabled);
  ~ProgressLine();
  ProgressLine(const ProgressLine&) = delete;
  ProgressLine& operator=(const ProgressLine&) = delete;

  // True when stderr is a terminal and the user did not ask for --quiet.
  static bool Wanted(bool quiet);

  bool enabled() const { return enabled_; }

  // Reading: documents and bytes (decompressed) so far, the rate, and an
  // ETA when the reader knows its input's total size.
  void Reading(size_t documents, const InputStats& stats);

  // A stage of `total` units ("documents", "candidate pairs"), `done` of
  // which are done: percentage, rate and ETA. A new `stage` restarts the
  // clock.
  void Stage(std::string_view stage, size_t done, size_t total,
             std::string_view unit);

  // Erases the line.
  void Clear();

 private:
  using Clock = std::chrono::steady_clock;
  // Seconds since `stage` began; a stage other than the current one begins
  // now.
  double Enter(std::string_view stage);
  void Draw(const std::string& text, bool force);

  FILE* stream_;
  bool enabled_;
  bool drawn_ = false;
  std::string stage_;
  Clock::time_point stage_start_;
  Clock::time_point last_draw_;
  size_t width_ = 0;
};

}  // namespace neardup::cli

#endif  // NEARDUP_CLI_PROGRESS_H_
