#include "progress.h"

#include <unistd.h>

#include <cmath>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace neardup::cli {
namespace {

constexpr auto kRedrawInterval = std::chrono::milliseconds(100);

// "1.5 k/s", "230/s".
std::string FormatRate(double per_second) {
  if (per_second >= 1e6) return absl::StrFormat("%.1f M/s", per_second / 1e6);
  if (per_second >= 1e4) return absl::StrFormat("%.1f k/s", per_second / 1e3);
  return absl::StrFormat("%.0f/s", per_second);
}

}  // namespace

std::string FormatDuration(double seconds) {
  const long total = std::lround(seconds);
  if (total < 60) return absl::StrFormat("%d s", total);
  if (total < 3600) return absl::StrFormat("%d:%02d", total / 60, total % 60);
  return absl::StrFormat("%d:%02d:%02d", total / 3600, total / 60 % 60,
                         total % 60);
}

std::string FormatCount(size_t n) {
  std::string digits = absl::StrFormat("%d", n);
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

ProgressLine::ProgressLine(FILE* stream, bool enabled)
    : stream_(stream), enabled_(enabled), stage_start_(Clock::now()) {}

ProgressLine::~ProgressLine() { Clear(); }

bool ProgressLine::Wanted(bool quiet) {
  return !quiet && isatty(STDERR_FILENO) == 1;
}

void ProgressLine::Reading(size_t documents, const InputStats& stats) {
  if (!enabled_) return;
  const double elapsed = Enter("reading");
  const double mb = static_cast<double>(stats.bytes) / 1e6;
  std::string text = absl::StrFormat("reading: %s documents, %.1f MB",
                                     FormatCount(documents), mb);
  if (elapsed > 0.5) {
    absl::StrAppendFormat(&text, ", %.1f MB/s", mb / elapsed);
    const size_t done = stats.stored_bytes;
    const size_t total = stats.total_stored_bytes;
    if (total > done && done > 0) {
      const double left = static_cast<double>(total - done) /
                          static_cast<double>(done) * elapsed;
      absl::StrAppend(&text, ", ETA ", FormatDuration(left));
    }
  }
  Draw(text, false);
}

void ProgressLine::Stage(std::string_view stage, size_t done, size_t total,
                         std::string_view unit) {
  if (!enabled_) return;
  const bool new_stage = stage_ != stage;
  const double elapsed = Enter(stage);
  std::string text = absl::StrFormat("%s: %s/%s %s", stage, FormatCount(done),
                                     FormatCount(total), unit);
  if (total > 0) {
    absl::StrAppendFormat(&text, " (%d%%)",
                          static_cast<int>(100.0 * done / total));
  }
  if (elapsed > 0.5 && done > 0 && done < total) {
    const double rate = static_cast<double>(done) / elapsed;
    absl::StrAppend(&text, ", ", FormatRate(rate), ", ETA ",
                    FormatDuration(static_cast<double>(total - done) / rate));
  }
  Draw(text, new_stage);
}

double ProgressLine::Enter(std::string_view stage) {
  const Clock::time_point now = Clock::now();
  if (stage_ != stage) {
    stage_ = std::string(stage);
    stage_start_ = now;
  }
  return std::chrono::duration<double>(now - stage_start_).count();
}

void ProgressLine::Draw(const std::string& text, bool force) {
  const Clock::time_point now = Clock::now();
  if (!force && drawn_ && now - last_draw_ < kRedrawInterval) return;
  last_draw_ = now;
  drawn_ = true;
  std::string line = "\rneardup: " + text;
  // Pad over the rest of a longer previous line.
  const size_t width = line.size();
  if (width < width_) line.append(width_ - width, ' ');
  width_ = width;
  std::fputs(line.c_str(), stream_);
  std::fflush(stream_);
}

void ProgressLine::Clear() {
  if (!enabled_ || !drawn_) return;
  std::fprintf(stream_, "\r%*s\r", static_cast<int>(width_), "");
  std::fflush(stream_);
  drawn_ = false;
  width_ = 0;
}

}  // namespace neardup::cli
