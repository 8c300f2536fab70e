// neardup contamination: the report, as JSON Lines (one record per item and
// a summary) or as a table of the most contaminated items.
#ifndef NEARDUP_CLI_CONTAMINATION_REPORT_H_
#define NEARDUP_CLI_CONTAMINATION_REPORT_H_

#include <cstddef>
#include <cstdio>
#include <string>
#include <vector>

#include "neardup/contamination.h"
#include "neardup/input.h"

namespace neardup::cli {

// What the summary record says besides the index's totals.
struct ContaminationRun {
  const std::vector<std::string>* fields = nullptr;  // --benchmark-field
  size_t skipped_benchmark_files = 0;
  size_t skipped_benchmark_lines = 0;
  InputStats input;  // the corpus reader's counts
  double seconds = 0;
};

// Writes one {"type":"item",...} line per item, in benchmark order, then
// the {"type":"summary",...} line.
void WriteContaminationJsonl(const std::vector<ItemReport>& reports,
                             const ContaminationStats& stats,
                             const ContaminationRun& run, FILE* out);

// A count of the items by status, then the `top` items with the largest
// contaminated fraction (benchmark order among equals), each with its best
// match shown from both sides.
std::string ContaminationTable(const ContaminationIndex& index,
                               const std::vector<ItemReport>& reports,
                               const ContaminationStats& stats, size_t top);

// The report in `format`: "jsonl" (WriteContaminationJsonl) or "text"
// (ContaminationTable).
void WriteContaminationReport(const std::string& format,
                              const ContaminationIndex& index,
                              const std::vector<ItemReport>& reports,
                              const ContaminationStats& stats,
                              const ContaminationRun& run, size_t top,
                              FILE* out);

// The summary on stderr: items by status, documents, bytes and speed, and
// the benchmark's skipped files and lines.
void PrintContaminationSummary(const ContaminationStats& stats,
                               const ContaminationRun& run);

}  // namespace neardup::cli

#endif  // NEARDUP_CLI_CONTAMINATION_REPORT_H_
