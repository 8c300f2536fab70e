// neardup dedup: the summary (dedup_summary.h).
#include "dedup_summary.h"

#include <sys/resource.h>

#include <cstdio>
#include <string>

#include "absl/strings/str_cat.h"
#include "commands.h"
#include "text_escape.h"

namespace neardup::cli {
namespace {

// "1 document", "2 documents".
std::string Count(size_t n, const char* noun) {
  return absl::StrCat(n, " ", noun, n == 1 ? "" : "s");
}

}  // namespace

namespace {

// The --index part: counts in the record, a line on stderr.
void AddIndexCounts(const IndexCounts& index, RunSummary* summary) {
  summary->counts.insert(
      summary->counts.end(),
      {{"indexed_duplicates", index.indexed_duplicates},
       {"index_candidates", index.candidates},
       {"index_capped_buckets", index.capped_buckets},
       {"added_to_index", index.added},
       {"existing_ids", index.existing_ids},
       {"batch_already_added", index.already_added ? size_t{1} : 0}});
}

void PrintIndexLine(const IndexCounts& index) {
  std::fprintf(stderr,
               "neardup: index: %zu dropped as near-duplicates of indexed "
               "documents (%zu compared); ",
               index.indexed_duplicates, index.candidates);
  if (index.already_added) {
    std::fprintf(stderr,
                 "the kept documents are in the index already (batch %s): "
                 "nothing added\n",
                 DisplayText(index.existing_batch).c_str());
  } else if (index.added == 0 && index.existing_ids == 0) {
    std::fprintf(stderr, "nothing kept, nothing added\n");
  } else {
    std::fprintf(stderr, "%zu kept document%s added as batch %s", index.added,
                 index.added == 1 ? "" : "s", DisplayText(index.batch).c_str());
    if (index.existing_ids > 0) {
      std::fprintf(stderr,
                   " (%zu left out: their id is already indexed or came "
                   "earlier in the input)",
                   index.existing_ids);
    }
    std::fputc('\n', stderr);
  }
}

// Said whatever the format: part of the index was not searched.
void WarnCappedBuckets(const IndexCounts& index) {
  if (index.capped_buckets > 0) {
    std::fprintf(stderr,
                 "neardup: warning: %zu LSH buckets of the index held more "
                 "documents than are compared (256); only their first were "
                 "compared\n",
                 index.capped_buckets);
  }
}

// Said whatever the format and -q, as scan says it: pairs the bucket cap
// left uncompared.
void WarnCappedPairs(const DedupStats& stats) {
  if (stats.capped_pairs == 0) return;
  std::fprintf(stderr,
               "neardup: warning: %s held more than %zu documents; each of "
               "their documents was compared only with the bucket's first, "
               "so %zu document pairs were not compared\n",
               Count(stats.oversized_buckets, "LSH bucket").c_str(),
               DedupOptions{}.max_bucket, stats.capped_pairs);
}

}  // namespace

void PrintDedupSummary(const std::string& format, bool quiet,
                       const DedupStats& stats, const IndexCounts* index,
                       const InputStats& input, double seconds) {
  rusage usage;
  getrusage(RUSAGE_SELF, &usage);
  const double peak_mb = static_cast<double>(usage.ru_maxrss) / 1024.0;
  const double docs_per_second =
      seconds > 0 ? static_cast<double>(stats.documents) / seconds : 0;
  const double mb_per_second =
      seconds > 0 ? static_cast<double>(input.bytes) / 1e6 / seconds : 0;
  if (format == "jsonl") {
    RunSummary summary;
    summary.command = "dedup";
    summary.documents = stats.documents;
    summary.counts = {{"kept", stats.kept},
                      {"dropped", stats.dropped},
                      {"clusters", stats.kept},
                      {"duplicate_clusters", stats.duplicate_clusters},
                      {"candidate_pairs", stats.candidate_pairs},
                      {"verified_pairs", stats.verified_pairs},
                      {"oversized_buckets", stats.oversized_buckets},
                      {"capped_pairs", stats.capped_pairs},
                      {"bands", static_cast<size_t>(stats.bands)},
                      {"rows", static_cast<size_t>(stats.rows)},
                      {"shingle_file_bytes", stats.shingle_file_bytes}};
    summary.input = input;
    summary.seconds = seconds;
    summary.measures = {{"docs_per_second", docs_per_second},
                        {"mb_per_second", mb_per_second},
                        {"peak_memory_mb", peak_mb}};
    if (index != nullptr) AddIndexCounts(*index, &summary);
    const std::string line = SummaryJson(summary);
    std::fwrite(line.data(), 1, line.size(), stdout);
  } else if (!quiet) {
    std::fprintf(
        stderr,
        "neardup: %s read, %zu kept, %zu dropped; %s (%zu with duplicates)\n"
        "neardup: LSH %d bands x %d rows, %s, %zu verified\n"
        "neardup: %.2f s, %.0f docs/s, %.1f MB/s, peak memory %.1f MB\n",
        Count(stats.documents, "document").c_str(), stats.kept, stats.dropped,
        Count(stats.kept, "cluster").c_str(), stats.duplicate_clusters,
        stats.bands, stats.rows,
        Count(stats.candidate_pairs, "candidate pair").c_str(),
        stats.verified_pairs, seconds, docs_per_second, mb_per_second, peak_mb);
    if (index != nullptr) PrintIndexLine(*index);
  }
  if (index != nullptr && !quiet) WarnCappedBuckets(*index);
  WarnCappedPairs(stats);
  PrintInputSummary(input, quiet);
}

}  // namespace neardup::cli
