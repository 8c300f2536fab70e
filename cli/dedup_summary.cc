// neardup dedup: the summary (dedup_summary.h).
#include "dedup_summary.h"

#include <sys/resource.h>

#include <cstdio>
#include <string>

#include "absl/strings/str_cat.h"
#include "commands.h"

namespace neardup::cli {
namespace {

// "1 document", "2 documents".
std::string Count(size_t n, const char* noun) {
  return absl::StrCat(n, " ", noun, n == 1 ? "" : "s");
}

}  // namespace

void PrintDedupSummary(const std::string& format, bool quiet,
                       const DedupStats& stats, const InputStats& input,
                       double seconds) {
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
                      {"bands", static_cast<size_t>(stats.bands)},
                      {"rows", static_cast<size_t>(stats.rows)},
                      {"shingle_file_bytes", stats.shingle_file_bytes}};
    summary.input = input;
    summary.seconds = seconds;
    summary.measures = {{"docs_per_second", docs_per_second},
                        {"mb_per_second", mb_per_second},
                        {"peak_memory_mb", peak_mb}};
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
  }
  PrintInputSummary(input, quiet);
}

}  // namespace neardup::cli
