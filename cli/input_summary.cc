// The line that tells the user what the input reader left out.
#include <cstdio>
#include <string>
#include <string_view>

#include "absl/strings/str_cat.h"
#include "commands.h"

namespace neardup::cli {
namespace {

// "1 file", "2 files".
std::string Count(size_t n, const char* noun) {
  return absl::StrCat(n, " ", noun, n == 1 ? "" : "s");
}

}  // namespace

void PrintInputSummary(const InputStats& stats, bool quiet,
                       std::string_view repeated_ids_fate) {
  if (quiet) return;
  std::string skipped;
  if (stats.skipped_files > 0) {
    absl::StrAppend(&skipped, Count(stats.skipped_files, "file"),
                    " (see the warnings above)");
  }
  if (stats.skipped_bad > 0) {
    absl::StrAppend(&skipped, skipped.empty() ? "" : " and ",
                    Count(stats.skipped_bad, "bad line"));
  }
  if (!skipped.empty()) {
    std::fprintf(stderr, "neardup: skipped %s\n", skipped.c_str());
  }
  if (stats.repeated_files > 0) {
    std::fprintf(stderr, "neardup: read %s once though reached twice\n",
                 Count(stats.repeated_files, "file").c_str());
  }
  if (stats.repeated_ids > 0) {
    std::fprintf(stderr, "neardup: %s repeated an earlier record's id; %s\n",
                 Count(stats.repeated_ids, "record").c_str(),
                 std::string(repeated_ids_fate).c_str());
  }
  if (stats.invalid_utf8 > 0) {
    std::fprintf(stderr,
                 "neardup: %s held invalid UTF-8, read and written as U+FFFD "
                 "(--strict makes it an error)\n",
                 Count(stats.invalid_utf8, "document").c_str());
  }
}

}  // namespace neardup::cli
