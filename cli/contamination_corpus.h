// neardup contamination: streaming the corpus into the index.
#ifndef NEARDUP_CLI_CONTAMINATION_CORPUS_H_
#define NEARDUP_CLI_CONTAMINATION_CORPUS_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "neardup/contamination.h"
#include "neardup/input.h"
#include "progress.h"

namespace neardup::cli {

// Scans every record of `reader` into `index` on `threads` threads (at least
// one), batch by batch (record_batches.h): the next batch is read while the
// current one is scanned, so memory is the index plus two batches. Prints
// the reader's warnings (unless quiet) and progress. Errors: the reader's,
// a document the index refuses, absl::CancelledError after a Ctrl-C.
// If `ids` is not null, every record's id is appended to it, in order.
absl::Status ScanCorpus(InputReader* reader, const ContaminationIndex& index,
                        int threads, bool quiet, ProgressLine* progress,
                        std::vector<std::string>* ids = nullptr);

}  // namespace neardup::cli

#endif  // NEARDUP_CLI_CONTAMINATION_CORPUS_H_
