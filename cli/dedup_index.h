// neardup dedup --index DIR: the batch is checked against a feed index
// (neardup/feed_index.h) as it is read, and its kept documents are added to
// the index once everything else has succeeded.
//
// The rule, per document in input order: if it near-duplicates an indexed
// document (exact Jaccard similarity >= --threshold, as `index query`
// measures it), it is dropped with duplicate_of naming the most similar one
// (ties: the one indexed first); the other documents are de-duplicated among
// themselves as by `dedup`. The kept documents are then added to the index
// as one batch, in one transaction.
//
// Documents of the index's batch with this run's batch name are not matched
// against: running the same `dedup --index` again gives the same outputs,
// and the add finds the batch already there and changes nothing.
#ifndef NEARDUP_CLI_DEDUP_INDEX_H_
#define NEARDUP_CLI_DEDUP_INDEX_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "atomic_file.h"
#include "dedup_flags.h"
#include "dedup_output.h"
#include "neardup/dedup.h"
#include "neardup/feed_index.h"
#include "neardup/input.h"
#include "spool.h"

namespace neardup::cli {

// What the index part of a run counts, for the summary.
struct IndexCounts {
  size_t candidates = 0;      // (document, indexed document) pairs compared
  size_t capped_buckets = 0;  // LSH buckets of which only the first compared
  size_t indexed_duplicates = 0;  // documents dropped for an indexed one
  size_t added = 0;               // kept documents added to the index
  size_t existing_ids = 0;        // kept, but their id was already indexed
  // The kept documents were in the index already, as batch existing_batch
  // (a rerun): nothing was added.
  bool already_added = false;
  std::string existing_batch;
  std::string batch;
};

// InvalidArgument if an output would be written inside the index directory
// (where it could replace the index's own files).
absl::Status CheckOutsideIndex(const std::vector<OutputPath>& outputs,
                               const std::string& index);

class IndexCheck {
 public:
  // Opens the index flags.index for writing (if there is none, it is
  // created only by AddKept, so that a failed run creates nothing), and sets
  // the analysis and shingle of *options to the index's, which flags given
  // on the command line must agree with. Errors name the index and which
  // parameter differs.
  static absl::StatusOr<std::unique_ptr<IndexCheck>> Open(
      const DedupFlags& flags, DedupOptions* options);

  // Checks the next `records` (input numbers from `first`) against the
  // index; appends to *texts the texts of those that are not near-duplicates
  // of an indexed document, which go on to the batch's own de-duplication.
  absl::Status Check(const std::vector<InputRecord>& records, size_t count,
                     size_t first, std::vector<std::string_view>* texts);

  // Decisions for every input document from those of the deduplicator
  // (which saw only the texts Check passed on), and the matches of the
  // others, for the outputs.
  std::vector<DedupDecision> Merge(
      const std::vector<DedupDecision>& batch_decisions) const;
  const std::vector<IndexedDuplicate>& duplicates() const {
    return duplicates_;
  }

  // Adds the kept documents (`decisions` from Merge, ids from `read`) to the
  // index as one batch.
  absl::Status AddKept(const std::vector<DedupDecision>& decisions,
                       const ReadResult& read);

  IndexCounts counts() const {
    IndexCounts counts = counts_;
    counts.indexed_duplicates = duplicates_.size();
    return counts;
  }

 private:
  IndexCheck() = default;

  // Null until the kept documents are added if there was no index yet;
  // path_ and open_ open (and then create) it.
  std::unique_ptr<FeedIndex> index_;
  std::string path_;
  FeedIndexOptions open_;
  FeedQueryOptions query_;
  // Input numbers of the documents passed on to the deduplicator, and their
  // texts (in a spool: they are needed again only for those kept).
  std::vector<uint32_t> passed_;
  Spool texts_;
  std::vector<IndexedDuplicate> duplicates_;  // in input order
  IndexCounts counts_;
};

}  // namespace neardup::cli

#endif  // NEARDUP_CLI_DEDUP_INDEX_H_
