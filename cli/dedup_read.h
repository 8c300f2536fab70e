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
