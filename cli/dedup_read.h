// neardup dedup: reading the input into the spool and the deduplicator.
#ifndef NEARDUP_CLI_DEDUP_READ_H_
#define NEARDUP_CLI_DEDUP_READ_H_

#include "dedup_index.h"
#include "dedup_output.h"
#include "neardup/dedup.h"
#include "neardup/input.h"
#include "progress.h"
#include "record_batches.h"
#include "spool.h"

namespace neardup::cli {

// Sets glibc malloc up for the reading pass; call before any thread starts.
// The reader thread allocates every record's strings and the main thread
// frees them a batch later: with one arena per thread and the default
// thresholds, freed memory went back to the kernel (heap trimmed) and was
// faulted in again for the next batch. One arena and a 64 MiB trim
// threshold keep it for reuse: on SaudiNewsNet 22,000 -> 16,000 page
// faults and about a tenth less CPU (user + sys) on 2 threads, peak RSS
// 72-73 MB (on 1 thread 60 -> 72 MB: freed memory is kept). The first 60
// MiB of heap are then advised for transparent huge pages: a page fault
// costs ~8 us on the VM measured, and 2 MiB pages cut them from ~16,900 to
// ~2,600 (user + sys 1.49 -> 1.30 s, 2 threads, 4 runs each).
void TuneMallocForReading();

// Reads every record into the spool (its output line: the JSONL line, or
// {"id":...,"text":...} for a text file) and the deduplicator, and its id
// and origin into `result`. Reading (decompression, JSON parsing) of batch
// k + 1 overlaps the analysis of batch k. With `index` (dedup --index), only
// the documents that do not near-duplicate an indexed one go to the
// deduplicator. `first`, if not null, is the first batch, already read
// (ReadBatch) from `reader`. Returns the exit status to fail with (the
// message printed), or -1 to go on.
int ReadDedupInput(InputReader* reader, Deduplicator* deduplicator,
                   IndexCheck* index, Spool* spool, bool quiet,
                   ProgressLine* progress, ReadResult* result,
                   RecordBatch* first = nullptr);

}  // namespace neardup::cli

#endif  // NEARDUP_CLI_DEDUP_READ_H_
