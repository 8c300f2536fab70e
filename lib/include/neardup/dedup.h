// neardup dedup: clusters of near-duplicate documents, one kept per cluster.
//
// Pipeline, one document at a time, in input order:
//   analyse (normalise, tokenise, key) -> word n-gram shingles
//   -> MinHash sketch -> LSH band keys (kept in RAM, 8 bytes per band)
//   -> the shingle hashes (written to a temporary file, never kept in RAM;
//      Finish() sorts those of documents with candidates into sets).
// Finish() buckets the band keys into candidate pairs, verifies every pair
// it needs by the exact similarity of the two shingle sets (read back from
// the temporary file), and clusters.
//
// Clustering rule (greedy, deterministic). Documents are visited in
// "priority order": input order by default, or longest first (more tokens;
// ties in input order) with DedupKeep::kLongest. A document joins the first
// representative, in priority order, that comes before it, is one of its
// candidates (an LSH candidate, or the representative of an LSH candidate),
// and has exact similarity >= threshold to it. If there is none, it becomes a
// representative: kept, heading its own cluster. So every dropped document is
// itself >= threshold to the kept document of its cluster: a chain A ~ B ~ C
// with A and C far apart gives {A, B} and {C}, never {A, B, C}.
//
// Documents without any token (empty or blank texts, punctuation only) have
// an empty shingle set; two empty sets have similarity 1, so they form one
// cluster of their own, and are never similar to a document with tokens.
#ifndef NEARDUP_DEDUP_H_
#define NEARDUP_DEDUP_H_

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "neardup/neardup.h"

namespace neardup {

enum class DedupMode {
  // |A ∩ B| / |A ∪ B| of the two shingle sets.
  kJaccard,
  // |A ∩ B| / min(|A|, |B|): a short document contained in a long one is
  // its duplicate.
  kContainment,
};

enum class DedupKeep {
  // The first document of a cluster, in input order, is kept.
  kFirst,
  // The document with the most tokens is kept; ties go to the first.
  kLongest,
};

struct DedupOptions {
  AnalyzeOptions analyze;
  // Two documents are duplicates when their exact similarity (see mode)
  // reaches this. REQUIRES: 0 < threshold <= 1. Default: 0.8.
  double threshold = 0.8;
  DedupMode mode = DedupMode::kJaccard;
  DedupKeep keep = DedupKeep::kFirst;
  // Shingle length in words. REQUIRES: >= 1. Default: 5.
  int shingle = 5;
  // MinHash values per document. Default: 128.
  int num_hashes = 128;
  // Similarity (Jaccard of shingle sets) the LSH bands and rows are tuned
  // for; 0 means: the threshold in kJaccard mode, half the threshold in
  // kContainment mode (MinHash estimates Jaccard, and a document contained in
  // one twice its length has Jaccard 0.5). The bands and rows are
  // ChooseLshParams(lsh_threshold, num_hashes, 0.02, 0.98): a missed pair
  // costs far more than a candidate, which is only verified. At 0.8 and 128
  // hashes: 17 bands of 7 rows (136 bytes per document), P(candidate) = 0.98
  // at Jaccard 0.8, 0.999 at 0.85, 0.13 at 0.5, 0.004 at 0.3. At 0.4
  // (containment, threshold 0.8): 27 bands of 2 rows. Default: 0.
  double lsh_threshold = 0;
  // An LSH bucket with more documents than this (boilerplate, or many empty
  // texts) contributes only the pairs of its first document with the others.
  // Default: 64.
  size_t max_bucket = 64;
  // Seed of the hash functions. Same seed, same result.
  uint64_t seed = 0x6e656172647570ULL;
  // Worker threads, the calling thread included; 0 means one per core. At
  // most kMaxThreads (neardup/options.h). The result does not depend on it.
  int threads = 0;
  // Directory of the temporary shingle file; empty means $TMPDIR, else /tmp.
  // The file is unlinked as soon as it is created, so it disappears when the
  // Deduplicator does, even if the process dies.
  std::string temp_dir;
  // If set, Add() and Finish() check *cancel as they go, and once it is true
  // return absl::CancelledError. Set it from any thread or a signal handler.
  const std::atomic<bool>* cancel = nullptr;
};

// The outcome for one document.
struct DedupDecision {
  // Exact similarity to the representative; 1 for a kept document.
  double similarity = 1;
  // Index (in input order) of the representative of the document's cluster:
  // the document itself when it is kept.
  uint32_t representative = 0;
  // True for the representative of each cluster.
  bool kept = true;
};

struct DedupStats {
  size_t documents = 0;
  size_t kept = 0;
  size_t dropped = 0;
  // Clusters with at least two documents.
  size_t duplicate_clusters = 0;
  size_t tokens = 0;
  size_t candidate_pairs = 0;  // from LSH
  size_t verified_pairs = 0;   // exact similarities computed
  // LSH buckets holding more than DedupOptions::max_bucket documents: only
  // their first document was paired with each other one.
  size_t oversized_buckets = 0;
  // Pairs of documents that shared only oversized buckets and so were never
  // compared (counted exactly; Candidates::capped_pairs). A document that
  // near-duplicates such a partner but not the bucket's first can be kept.
  size_t capped_pairs = 0;
  size_t shingle_file_bytes = 0;
  // Bytes of RAM held per document (band keys and bookkeeping), ids not
  // included: they belong to the caller.
  size_t bytes_per_document = 0;
  int bands = 0;
  int rows = 0;
};

struct DedupResult {
  // One per document added, in input order.
  std::vector<DedupDecision> decisions;
  DedupStats stats;
};

// Streams documents in, then decides which to keep. Not thread-safe: use one
// Deduplicator from one thread at a time (Add and Finish use
// DedupOptions::threads threads inside). Distinct Deduplicators are
// independent.
class Deduplicator {
 public:
  // Checks the options (neardup/options.h: InvalidArgument naming the field)
  // and creates the temporary shingle file (Internal if it cannot).
  static absl::StatusOr<std::unique_ptr<Deduplicator>> Create(
      const DedupOptions& options = {});

  Deduplicator(const Deduplicator&) = delete;
  Deduplicator& operator=(const Deduplicator&) = delete;
  ~Deduplicator();

  // Adds documents, in input order, analysing them on all worker threads.
  // The texts are not kept: only their sketches and shingle sets. Pass
  // batches of a few thousand documents for the threads to share. On an
  // error none of the batch is added.
  // REQUIRES: every text is shorter than 4 GiB; fewer than 2^32 documents.
  absl::Status Add(absl::Span<const std::string_view> texts);

  // Number of documents added so far.
  size_t size() const;

  // Clusters the documents added. Call at most once; Add() afterwards is an
  // error.
  absl::StatusOr<DedupResult> Finish();

  // Called by Finish(decided) on its own thread with the decisions of the
  // first documents in input order, [0, prefix.size()), once they are
  // final: the result's decisions begin with them. The span is valid
  // during the call only.
  using DecidedFn = std::function<void(absl::Span<const DedupDecision> prefix)>;

  // Finish(), telling `decided` as decisions become final, so that a caller
  // can write out the kept documents while the rest are clustered. With
  // DedupKeep::kFirst every few hundred documents as the clustering goes
  // (the candidates' shingle sets are then sorted as the rule reaches them,
  // on this thread, instead of all first on the worker threads); with
  // kLongest once, with all of them.
  absl::StatusOr<DedupResult> Finish(const DecidedFn& decided);

 private:
  struct Rep;
  explicit Deduplicator(std::unique_ptr<Rep> rep);
  std::unique_ptr<Rep> rep_;
};

}  // namespace neardup

#endif  // NEARDUP_DEDUP_H_
