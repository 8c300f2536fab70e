#include "contamination_corpus.h"

#include <algorithm>
#include <atomic>
#include <memory>
#include <thread>
#include <vector>

#include "commands.h"
#include "interrupt.h"
#include "record_batches.h"

namespace neardup::cli {
namespace {

// Scans batch.records on the threads of `scanners` (the calling thread as
// the first); documents are numbered from `first`.
absl::Status ScanBatch(
    const RecordBatch& batch, size_t first,
    const std::vector<std::unique_ptr<ContaminationIndex::Scanner>>& scanners) {
  std::atomic<size_t> next{0};
  std::vector<absl::Status> errors(scanners.size());
  const auto work = [&](size_t t) {
    for (size_t i; (i = next.fetch_add(1)) < batch.count;) {
      if (Interrupted()) return;
      const InputRecord& record = batch.records[i];
      absl::Status status =
          scanners[t]->Scan(first + i, record.id, record.text);
      if (!status.ok()) {
        errors[t] = status;
        return;
      }
    }
  };
  std::vector<std::thread> workers;
  for (size_t t = 1; t < scanners.size(); ++t) workers.emplace_back(work, t);
  work(0);
  for (std::thread& worker : workers) worker.join();
  for (const absl::Status& status : errors) {
    if (!status.ok()) return status;
  }
  if (Interrupted()) return absl::CancelledError("interrupted");
  return absl::OkStatus();
}

}  // namespace

absl::Status ScanCorpus(InputReader* reader, const ContaminationIndex& index,
                        int threads, bool quiet, ProgressLine* progress,
                        std::vector<std::string>* ids) {
  std::vector<std::unique_ptr<ContaminationIndex::Scanner>> scanners;
  for (int t = 0; t < std::max(1, threads); ++t) {
    scanners.push_back(index.NewScanner());
  }
  size_t documents = 0;
  RecordBatch batches[2];
  for (RecordBatch& batch : batches) batch.keep_lines = false;
  ReadBatch(reader, &batches[0]);
  for (int current = 0;; current ^= 1) {
    RecordBatch& batch = batches[current];
    PrintWarnings(batch.warnings, quiet, progress);
    if (!batch.status.ok()) return batch.status;
    std::thread read_ahead;
    if (!batch.end) {
      read_ahead = std::thread(ReadBatch, reader, &batches[current ^ 1]);
    }
    absl::Status status = ScanBatch(batch, documents, scanners);
    if (read_ahead.joinable()) read_ahead.join();
    if (!status.ok()) return status;
    for (size_t i = 0; ids != nullptr && i < batch.count; ++i) {
      ids->push_back(batch.records[i].id);
    }
    documents += batch.count;
    TrimBatch(&batch);
    progress->Reading(documents, reader->stats());
    if (batch.end) return absl::OkStatus();
  }
}

}  // namespace neardup::cli
