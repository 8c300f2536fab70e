// Records read in batches, so that the next batch can be read (decompressed,
// parsed) on another thread while the current one is analysed.
#ifndef NEARDUP_CLI_RECORD_BATCHES_H_
#define NEARDUP_CLI_RECORD_BATCHES_H_

#include <cstddef>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "neardup/input.h"

namespace neardup::cli {

// A batch ends after this many records or this many bytes of text and
// lines, whichever comes first: long documents do not make the batch, and
// the memory it holds, grow. Two batches are alive at once (one analysed,
// one read), and every page they ever held was faulted in once: 4 MiB
// (about 600 SaudiNewsNet articles) rather than 8 took dedup from 16.9 k to
// 13.6 k page faults, with the prefetch below 2 chunks ahead instead of 4.
inline constexpr size_t kBatchRecords = 1024;
inline constexpr size_t kBatchBytes = size_t{4} << 20;

// Records read ahead, and how the reading ended.
struct RecordBatch {
  std::vector<InputRecord> records = std::vector<InputRecord>(kBatchRecords);
  // The JSON Lines line of each record (InputReader::Next), empty for a
  // text document, or always empty if !keep_lines (saves a copy of the
  // input for a command that needs only the texts).
  std::vector<std::string> lines = std::vector<std::string>(kBatchRecords);
  bool keep_lines = true;
  size_t count = 0;
  std::vector<InputWarning> warnings;
  absl::Status status;
  bool end = false;  // the input ended (or failed) in this batch
};

// Fills *batch from `reader`. Safe to run on another thread while nothing
// else uses the reader or the batch.
void ReadBatch(InputReader* reader, RecordBatch* batch);

// Frees the records' buffers once the batch is analysed. Reusing them would
// save two allocations per document, but each slot would keep the capacity
// of the longest document it ever held, and the batches' memory would creep
// up to a high quantile of document length times the slots.
void TrimBatch(RecordBatch* batch);

}  // namespace neardup::cli

#endif  // NEARDUP_CLI_RECORD_BATCHES_H_
