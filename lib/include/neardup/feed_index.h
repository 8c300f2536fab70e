// neardup feed index: a persistent, crash-safe store of documents already
// seen, so that each new batch of a feed is checked against all of history
// without re-reading it.
//
// The index is a directory holding one LMDB environment (data.mdb,
// lock.mdb) and writer.lock. It stores, per document: its id, its batch, its
// token count, its LSH band keys (under which it is found), a 128-byte
// signature (the low byte of each MinHash value), and, unless the index was
// created without texts, its text compressed with zstd. Per batch (one input
// added): its name, when it was added, a hash of its content and its
// documents. The parameters the index was built with are stored and fixed.
//
// Adding a batch is one LMDB transaction: after a crash (kill -9, power
// loss) a batch is either wholly there or absent. Adding a batch whose
// content hash is already in the index does nothing; a document whose id is
// already in the index is not added again.
//
// Concurrency: any number of readers (queries, stats), in this and other
// processes, run while one writer adds or prunes; they see the index as of
// the last commit before their call. A second writer (another FeedIndex
// opened writable, in any process) is refused (Unavailable) or waits, as
// FeedIndexOptions::wait_for_writer says. LMDB forbids opening one index
// twice in the same process: open it once and share the FeedIndex.
#ifndef NEARDUP_FEED_INDEX_H_
#define NEARDUP_FEED_INDEX_H_

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "neardup/neardup.h"

namespace neardup {

// Format version written by this library; an index with a higher version is
// refused. Version 2 keeps band keys in sorted runs; version 3 adds a block
// of ids per batch (read by queries without touching the docs tree). Older
// indexes are read, and become version 3 when opened writable (what they
// hold stays; later adds write runs and id blocks).
inline constexpr uint32_t kFeedIndexFormatVersion = 3;

// What the index is built with, fixed when it is created.
struct FeedIndexParams {
  AnalyzeOptions analyze;
  // Shingle length in words. REQUIRES: 1..64. Default: 5 (as dedup).
  int shingle = 5;
  // MinHash values per document. REQUIRES: 16..1024. Default: 128.
  int num_hashes = 128;
  // Jaccard similarity the LSH bands and rows are tuned for, as
  // DedupOptions::lsh_threshold (0.8 and 128 hashes: 17 bands of 7 rows).
  double lsh_threshold = 0.8;
  uint64_t seed = 0x6e656172647570ULL;
  // Whether texts are stored (zstd). Without them, similarities are
  // estimated from the signature and passages cannot be shown.
  bool store_texts = true;
  // Derived from lsh_threshold and num_hashes; filled in by Open().
  int bands = 0;
  int rows = 0;
  // Whether each document's passage keys are stored (winnowed shingle
  // hashes, kPassageWindow wide, under which FeedQueryOptions::
  // all_candidates finds documents sharing a passage but not a
  // near-duplicate band): set by Open() for new indexes with texts; false
  // for indexes made before they existed.
  bool passage_keys = false;
};

// Winnowing window, in shingles, of the passage keys: any run of
// kPassageWindow * 2 + shingle - 1 equal tokens (20 for 8 and 5) shares at
// least two keys.
inline constexpr int kPassageWindow = 8;

struct FeedIndexOptions {
  // Used only when the index is created (create_if_missing).
  FeedIndexParams params;
  bool create_if_missing = false;
  // Open for AddBatch() and Prune(); at most one writer at a time.
  bool writable = false;
  // A writable open while another writer holds the index: wait for it
  // (true) or fail with Unavailable (false).
  bool wait_for_writer = false;
  // Worker threads (0: one per core). Results do not depend on it.
  int threads = 0;
  // Band keys are kept in sorted runs, one per add, the newest two merged
  // while the older is at most twice the newer (passage keys: at most as
  // large) or smaller than this many entries (17 per document, more with
  // passage keys). Results do not depend on it. Default: 2^18.
  size_t small_run_entries = size_t{1} << 18;
  // Largest size the index may grow to. Default: 256 GiB (address space
  // only; the file grows as data is added).
  size_t map_bytes = size_t{256} << 30;
};

struct FeedBatchInfo {
  uint32_t number = 0;
  std::string name;
  int64_t added_unix_seconds = 0;
  // XXH3-128 of the batch's ids and texts, as 32 hex digits.
  std::string content_hash;
  // Documents stored from this batch, and the range of document numbers
  // they were given.
  uint64_t documents = 0;
  uint32_t first_document = 0;
  uint32_t end_document = 0;
};

struct FeedAddResult {
  // True when a batch with the same content hash was already in the index:
  // nothing was changed.
  bool already_added = false;
  FeedBatchInfo batch;
  size_t added = 0;
  // Documents not added because their id is already in the index (or
  // earlier in the same batch).
  size_t existing_ids = 0;
};

// One indexed document a query document near-duplicates.
struct FeedMatch {
  uint32_t document = 0;  // number in the index
  std::string id;
  std::string batch;
  // Jaccard similarity of the two shingle sets: exact when the index stores
  // texts (the stored text is analysed again), otherwise estimated from the
  // signatures (exact == false).
  double similarity = 0;
  bool exact = false;
  // The stored text, when FeedQueryOptions::want_texts and stored.
  std::string text;
};

struct FeedQueryOptions {
  // Matches with similarity below this are not returned. REQUIRES:
  // 0 < threshold <= 1. Default: 0.8.
  double threshold = 0.8;
  // Only documents sharing an LSH band key are compared; a band key shared
  // by more than this many indexed documents contributes only its first
  // ones (counted in FeedQueryStats::capped_buckets). Default: 256.
  size_t max_bucket = 256;
  // Return every candidate sharing a band key whatever its similarity (for
  // passage alignment), with its similarity; with passage keys in the index,
  // also every document sharing two passage keys (a passage key held by more
  // than max_bucket documents, a stock phrase, finds none: counted in
  // FeedQueryStats::capped_passage_keys).
  bool all_candidates = false;
  bool want_texts = false;
  const std::atomic<bool>* cancel = nullptr;
};

struct FeedQueryStats {
  size_t documents = 0;
  size_t candidates = 0;  // (query, indexed) pairs sharing a band key
  size_t matches = 0;
  size_t capped_buckets = 0;
  size_t capped_passage_keys = 0;
};

struct FeedIndexStats {
  uint32_t format_version = 0;
  FeedIndexParams params;
  uint64_t documents = 0;
  std::vector<FeedBatchInfo> batches;
  // LMDB's view: size of the data file, pages in use and free (reusable).
  uint64_t file_bytes = 0;
  uint64_t page_bytes = 0;
  uint64_t used_pages = 0;
  uint64_t free_pages = 0;
  uint64_t text_bytes = 0;  // compressed texts, in their records
  // Pages (in bytes) of each database: "bands", "docs", "texts", "ids",
  // "batches", "meta".
  std::vector<std::pair<std::string, uint64_t>> database_bytes;
};

class FeedIndex {
 public:
  // Opens (or, with create_if_missing, creates) the index in directory
  // `path`. Errors: NotFound (no index there), FailedPrecondition (not an
  // index, a newer format version), Unavailable (another writer), Internal
  // (LMDB). The message names the path.
  static absl::StatusOr<std::unique_ptr<FeedIndex>> Open(
      const std::string& path, const FeedIndexOptions& options);

  FeedIndex(const FeedIndex&) = delete;
  FeedIndex& operator=(const FeedIndex&) = delete;
  ~FeedIndex();

  // The parameters the index was built with.
  const FeedIndexParams& params() const;

  // Adds one batch named `name` in one transaction. Documents whose id is
  // already in the index are left out; a batch whose content was already
  // added changes nothing (already_added). A name already used by a batch
  // with other content is InvalidArgument. REQUIRES: writable.
  absl::StatusOr<FeedAddResult> AddBatch(
      std::string_view name, absl::Span<const DocumentView> documents);

  // The next part of a batch (valid until the next call), an empty span
  // after the last part, or an error.
  using DocumentSource =
      std::function<absl::StatusOr<absl::Span<const DocumentView>>()>;
  // As above, for a batch given a part at a time, so that its texts need
  // not all be in memory: each part is sketched (and compressed) as it
  // comes, and the batch is written in one transaction after the last. An
  // error from `next` adds nothing and is returned.
  absl::StatusOr<FeedAddResult> AddBatch(std::string_view name,
                                         const DocumentSource& next);

  // For each text, the indexed documents it near-duplicates, most similar
  // first (ties: lower document number first). Read-only.
  absl::StatusOr<std::vector<std::vector<FeedMatch>>> Query(
      absl::Span<const std::string_view> texts,
      const FeedQueryOptions& options = {}, FeedQueryStats* stats = nullptr);

  absl::StatusOr<FeedIndexStats> Stats();

  // Removes the batches added before `unix_seconds` (older_than) or named
  // `name`, with their documents, in one transaction; their space is reused
  // by later adds. Returns the batches removed. REQUIRES: writable.
  absl::StatusOr<std::vector<FeedBatchInfo>> PruneOlderThan(
      int64_t unix_seconds);
  absl::StatusOr<std::vector<FeedBatchInfo>> PruneBatch(std::string_view name);

 private:
  struct Rep;
  explicit FeedIndex(std::unique_ptr<Rep> rep);
  std::unique_ptr<Rep> rep_;
};

// Compares the parameters a caller asks for with those an index was built
// with; `given` lists which fields the caller set ("shingle", "num_hashes",
// "lsh_threshold", "seed", "fold_case", "strip_marks", "fold_arabic",
// "fold_digits", "match_variants", "store_texts"). InvalidArgument naming
// every field that differs and both values.
absl::Status CheckFeedIndexParams(const FeedIndexParams& stored,
                                  const FeedIndexParams& wanted,
                                  absl::Span<const std::string> given);

}  // namespace neardup

#endif  // NEARDUP_FEED_INDEX_H_
