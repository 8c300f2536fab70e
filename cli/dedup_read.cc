// neardup dedup: reading the input (dedup_read.h).
#include "dedup_read.h"

#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "commands.h"
#include "interrupt.h"
#include "record_batches.h"

namespace neardup::cli {

int ReadDedupInput(InputReader* reader, Deduplicator* deduplicator,
                   IndexCheck* index, Spool* spool, bool quiet,
                   ProgressLine* progress, ReadResult* result,
                   RecordBatch* first) {
  size_t documents = 0;
  std::vector<std::string_view> texts;
  // The batch's output lines, and those made for text documents.
  std::vector<std::string_view> lines;
  std::vector<std::string> made;
  RecordBatch batches[2];
  if (first != nullptr) {
    batches[0] = std::move(*first);
  } else {
    ReadBatch(reader, &batches[0]);
  }
  for (int current = 0;; current ^= 1) {
    RecordBatch& batch = batches[current];
    PrintWarnings(batch.warnings, quiet, progress);
    if (!batch.status.ok()) return Fail(batch.status);
    std::thread read_ahead;
    if (!batch.end) {
      read_ahead = std::thread(ReadBatch, reader, &batches[current ^ 1]);
    }
    absl::Status status;
    texts.clear();
    lines.clear();
    made.clear();
    made.reserve(batch.count);  // no reallocation: `lines` points into it
    for (size_t i = 0; i < batch.count; ++i) {
      const InputRecord& record = batch.records[i];
      result->ids.Add(record.id);
      result->origins.Add(record.origin);
      if (!batch.lines[i].empty()) {
        lines.push_back(batch.lines[i]);
      } else {
        std::string& line = made.emplace_back();
        AppendDocumentLine(record.id, record.text, &line);  // text repaired
        lines.push_back(line);
      }
      if (index == nullptr) texts.push_back(record.text);
    }
    if (index == nullptr) {
      // The lines go to the spool (a kernel copy into the page cache) on a
      // thread of their own while the batch is analysed: a third runnable
      // thread fills the cores when the analysis' workers or the reading
      // threads wait at a hand-off.
      absl::Status spooled;
      std::thread spooling(
          [&spooled, spool, &lines] { spooled = spool->AppendLines(lines); });
      status = deduplicator->Add(texts);
      spooling.join();
      if (!spooled.ok()) status = spooled;
    } else {
      status = spool->AppendLines(lines);
      if (status.ok()) {
        status = index->Check(batch.records, batch.count, documents, &texts);
      }
      if (status.ok()) status = deduplicator->Add(texts);
    }
    documents += batch.count;
    if (read_ahead.joinable()) read_ahead.join();
    if (!status.ok()) return Fail(status);
    TrimBatch(&batch);
    if (Interrupted()) return InterruptedExit();
    progress->Reading(documents, reader->stats());
    if (batch.end) return -1;
  }
}

}  // namespace neardup::cli
