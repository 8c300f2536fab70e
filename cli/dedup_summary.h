// neardup dedup: the run's summary, as a record on stdout (--format jsonl)
// or lines on stderr.
#ifndef NEARDUP_CLI_DEDUP_SUMMARY_H_
#define NEARDUP_CLI_DEDUP_SUMMARY_H_

#include <string>

#include "dedup_index.h"
#include "neardup/dedup.h"
#include "neardup/input.h"

namespace neardup::cli {

// `format` is "jsonl" or "text"; `quiet` silences stderr (not the record).
// Then the reader's summary (skipped files and lines, repaired texts).
// `stats` covers every document (with --index: those dropped for an
// indexed document included); `index` is what --index did, or null.
void PrintDedupSummary(const std::string& format, bool quiet,
                       const DedupStats& stats, const IndexCounts* index,
                       const InputStats& input, double seconds);

}  // namespace neardup::cli

#endif  // NEARDUP_CLI_DEDUP_SUMMARY_H_
