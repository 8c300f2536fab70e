// neardup index: what its subcommands share (index_command.h).
#include <sys/resource.h>

#include <chrono>
#include <ctime>
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "index_command.h"
#include "neardup/feed_index.h"

namespace neardup::cli {

double SecondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
      .count();
}

double CpuSeconds() {
  rusage usage;
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
         static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) /
             1e6;
}

absl::StatusOr<std::unique_ptr<FeedIndex>> OpenIndex(const IndexFlags& flags,
                                                     bool writable,
                                                     bool create) {
  FeedIndexOptions options;
  options.params = flags.params;
  options.params.store_texts = !flags.no_text;
  options.writable = writable;
  options.create_if_missing = create;
  options.wait_for_writer = flags.wait;
  options.threads = flags.threads;
  auto index = FeedIndex::Open(flags.index, options);
  if (!index.ok()) return index.status();
  FeedIndexParams wanted = flags.params;
  wanted.store_texts = !flags.no_text;
  if (absl::Status s =
          CheckFeedIndexParams((*index)->params(), wanted, flags.given);
      !s.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat(flags.index, ": ", s.message()));
  }
  return index;
}

CommonFlags ReadFlags(const IndexFlags& flags) {
  CommonFlags common;
  common.input = flags.input;
  common.quiet = flags.quiet;
  return common;
}

std::string TimeText(int64_t unix_seconds) {
  const std::time_t t = static_cast<std::time_t>(unix_seconds);
  std::tm tm;
  gmtime_r(&t, &tm);
  char text[32];
  std::strftime(text, sizeof(text), "%Y-%m-%dT%H:%M:%SZ", &tm);
  return text;
}

}  // namespace neardup::cli
