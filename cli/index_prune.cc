// neardup index prune --index DIR --older-than AGE | --batch NAME.
#include <cstdint>
#include <cstdio>
#include <ctime>
#include <string>
#include <string_view>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "index_command.h"
#include "neardup/feed_index.h"
#include "text_escape.h"

namespace neardup::cli {

namespace {

// "365d", "12h", "30m", "90s" -> seconds; false if malformed. The unit is
// required: a bare "0" could mean anything, and prunes every batch.
bool ParseAge(std::string_view text, int64_t* seconds) {
  if (text.empty()) return false;
  const char last = text.back();
  if (last != 'd' && last != 'h' && last != 'm' && last != 's') return false;
  const int64_t unit = last == 'd'   ? 86400
                       : last == 'h' ? 3600
                       : last == 'm' ? 60
                                     : 1;
  text.remove_suffix(1);
  int64_t n = 0;
  if (!absl::SimpleAtoi(std::string(text), &n) || n < 0 ||
      n > (int64_t{1} << 40) / unit) {
    return false;
  }
  *seconds = n * unit;
  return true;
}

}  // namespace

int RunIndexPrune(const IndexFlags& flags) {
  if (flags.older_than.empty() == flags.batch.empty()) {
    return Fail(
        "index prune needs exactly one of --older-than AGE and "
        "--batch NAME");
  }
  int64_t age = 0;
  if (!flags.older_than.empty() && !ParseAge(flags.older_than, &age)) {
    return Fail("--older-than " + flags.older_than +
                ": not an age such as 365d, 12h, 30m or 90s");
  }
  auto index = OpenIndex(flags, /*writable=*/true, /*create=*/false);
  if (!index.ok()) return Fail(index.status());
  auto removed = flags.batch.empty()
                     ? (*index)->PruneOlderThan(
                           static_cast<int64_t>(std::time(nullptr)) - age)
                     : (*index)->PruneBatch(flags.batch);
  if (!removed.ok()) return Fail(removed.status());
  if (!flags.batch.empty() && removed->empty()) {
    return Fail(absl::StrCat(flags.index, ": no batch named ", flags.batch));
  }
  size_t documents = 0;
  for (const FeedBatchInfo& b : *removed) documents += b.documents;
  if (!flags.quiet) {
    for (const FeedBatchInfo& b : *removed) {
      std::fprintf(stderr, "neardup: removed batch %s (%s, %llu documents)\n",
                   DisplayText(b.name).c_str(),
                   TimeText(b.added_unix_seconds).c_str(),
                   static_cast<unsigned long long>(b.documents));
    }
    std::fprintf(stderr, "neardup: %zu batches, %zu documents removed\n",
                 removed->size(), documents);
  }
  return kExitFound;
}

}  // namespace neardup::cli
