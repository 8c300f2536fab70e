#include "record_batches.h"

#include <utility>

namespace neardup::cli {

void ReadBatch(InputReader* reader, RecordBatch* batch) {
  batch->count = 0;
  batch->warnings.clear();
  size_t bytes = 0;
  while (batch->count < kBatchRecords && bytes < kBatchBytes) {
    InputRecord& record = batch->records[batch->count];
    std::string& line = batch->lines[batch->count];
    absl::StatusOr<bool> next =
        reader->Next(&record, batch->keep_lines ? &line : nullptr);
    for (InputWarning& warning : reader->TakeWarnings()) {
      batch->warnings.push_back(std::move(warning));
    }
    if (!next.ok() || !*next) {
      batch->status = next.status();
      batch->end = true;
      return;
    }
    bytes += record.text.size() + line.size();
    ++batch->count;
  }
}

void TrimBatch(RecordBatch* batch) {
  for (size_t i = 0; i < batch->count; ++i) {
    std::string().swap(batch->records[i].text);
    std::string().swap(batch->lines[i]);
  }
}

}  // namespace neardup::cli
