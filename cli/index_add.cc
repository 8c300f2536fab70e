// neardup index add --index DIR PATH...: each PATH is one batch, committed
// alone; adding the same content again changes nothing.
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "index_command.h"
#include "interrupt.h"
#include "neardup/feed_index.h"
#include "text_escape.h"

namespace neardup::cli {
namespace {

// What became of `path`, on stderr: added as batch `name`, or already there.
void PrintAdded(const std::string& path, const std::string& name,
                const FeedAddResult& result) {
  if (result.already_added) {
    std::fprintf(stderr,
                 "neardup: %s: already in the index (batch %s, same "
                 "content); nothing added\n",
                 DisplayText(path).c_str(),
                 DisplayText(result.batch.name).c_str());
  } else {
    std::fprintf(stderr, "neardup: %s: %zu documents added as batch %s%s\n",
                 DisplayText(path).c_str(), result.added,
                 DisplayText(name).c_str(),
                 result.existing_ids == 0
                     ? ""
                     : absl::StrCat(" (", result.existing_ids,
                                    " left out: their id is already "
                                    "indexed)")
                           .c_str());
  }
}

}  // namespace

int RunIndexAdd(const IndexFlags& flags) {
  const auto start = std::chrono::steady_clock::now();
  if (!flags.batch.empty() && flags.paths.size() != 1) {
    return Fail("--batch names one input; give one PATH with it");
  }
  for (const std::string& path : flags.paths) {
    if (path == "-" && flags.batch.empty()) {
      return Fail("standard input needs a batch name: pass --batch NAME");
    }
  }
  auto index = OpenIndex(flags, /*writable=*/true, /*create=*/true);
  if (!index.ok()) return Fail(index.status());
  RunSummary summary;
  summary.command = "index add";
  size_t added = 0, existing = 0, already = 0, inputs = 0;
  InputStats total;
  for (const std::string& path : flags.paths) {
    InputStats stats;
    auto documents = ReadDocuments({path}, ReadFlags(flags), nullptr, &stats);
    if (!documents.ok()) {
      return Fail(absl::StrCat(documents.status().message(), " (nothing of ",
                               path, " was added)"));
    }
    total.files += stats.files;
    total.records += stats.records;
    total.bytes += stats.bytes;
    total.skipped_bad += stats.skipped_bad;
    total.skipped_files += stats.skipped_files;
    total.repeated_ids += stats.repeated_ids;
    total.invalid_utf8 += stats.invalid_utf8;
    PrintInputSummary(stats, flags.quiet);
    std::vector<DocumentView> views;
    views.reserve(documents->size());
    for (const Document& d : *documents) views.push_back({d.id, d.text});
    const std::string name = flags.batch.empty() ? path : flags.batch;
    if (Interrupted()) return InterruptedExit();
    auto result = (*index)->AddBatch(name, views);
    if (!result.ok()) return Fail(result.status());
    ++inputs;
    summary.documents += documents->size();
    added += result->added;
    existing += result->existing_ids;
    already += result->already_added ? 1 : 0;
    if (!flags.quiet) PrintAdded(path, name, *result);
  }
  const double seconds = SecondsSince(start);
  if (flags.format == "jsonl") {
    summary.counts = {{"inputs", inputs},
                      {"added", added},
                      {"existing_ids", existing},
                      {"inputs_already_added", already}};
    summary.input = total;
    summary.seconds = seconds;
    summary.measures = {
        {"docs_per_second",
         seconds > 0 ? static_cast<double>(summary.documents) / seconds : 0},
        {"cpu_seconds", CpuSeconds()}};
    const std::string line = SummaryJson(summary);
    std::fwrite(line.data(), 1, line.size(), stdout);
  }
  if (std::fflush(stdout) != 0) return Fail("cannot write the summary");
  return kExitFound;
}

}  // namespace neardup::cli
