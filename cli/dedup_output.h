// dedup's outputs: the kept records (copied from the spool) and
// clusters.jsonl, one line per document.
#ifndef NEARDUP_CLI_DEDUP_OUTPUT_H_
#define NEARDUP_CLI_DEDUP_OUTPUT_H_

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "absl/types/span.h"
#include "atomic_file.h"
#include "neardup/dedup.h"
#include "spool.h"

namespace neardup::cli {

// Strings end to end, for the ids and origins of millions of documents
// without a heap block each.
class StringList {
 public:
  void Add(std::string_view s) {
    bytes_ += s;
    ends_.push_back(bytes_.size());
  }
  std::string_view operator[](size_t i) const {
    const uint64_t begin = i == 0 ? 0 : ends_[i - 1];
    return std::string_view(bytes_).substr(begin, ends_[i] - begin);
  }

 private:
  std::string bytes_;
  std::vector<uint64_t> ends_;
};

// What the reading pass leaves for the writing one.
struct ReadResult {
  StringList ids;
  StringList origins;
};

// A document dropped by `dedup --index` (dedup_index.h) because it
// near-duplicates an indexed one.
struct IndexedDuplicate {
  uint32_t document = 0;  // input number
  std::string id;         // of the indexed document
  std::string batch;      // the batch it was indexed with
  double similarity = 0;
  // False when the index holds no texts (--no-text): the similarity is
  // estimated from the signatures.
  bool exact = true;
};

// Appends the clusters.jsonl line of one document: its id and source, and
// its cluster's (the representative's) id and source, and "in_index" if
// given (dedup --index); "exact":false after the similarity when it was
// estimated (an index without texts). (neardup-mpi writes the same lines from
// the representative's strings sent by another rank.)
void AppendClusterLine(std::string_view id, std::string_view source,
                       std::string_view cluster,
                       std::string_view cluster_source,
                       const DedupDecision& decision, std::string* line,
                       std::optional<bool> in_index = std::nullopt,
                       bool exact = true);

// Copies the kept documents' lines from the spool to KEPT while the
// deduplicator is still clustering (Deduplicator::Finish(decided) tells
// Decided() which documents are decided), on a thread of its own, so that
// the disk is writing KEPT during the clustering instead of after it.
class KeptStream {
 public:
  // REQUIRES: the spool holds every document's line; both outlive this.
  KeptStream(Spool* spool, AtomicFile* kept, size_t documents);
  KeptStream(const KeptStream&) = delete;
  KeptStream& operator=(const KeptStream&) = delete;
  // Stops the copy if it is still going (an error elsewhere) and waits.
  ~KeptStream();

  // Creates KEPT's temporary file and starts the copying thread.
  absl::Status Start();

  // The decisions of documents [0, prefix.size()), final (from Finish()'s
  // thread).
  void Decided(absl::Span<const DedupDecision> prefix);

  // Once every document is decided: waits for the copy, and for KEPT to be
  // flushed to disk and closed (not yet renamed), and closes the spool.
  absl::Status Wait();

 private:
  void Copy();

  Spool* const spool_;
  AtomicFile* const kept_;
  const size_t documents_;
  std::vector<uint8_t> keep_;  // [0, decided_) final
  std::mutex mu_;
  std::condition_variable changed_;
  size_t decided_ = 0;   // guarded by mu_
  bool stop_ = false;    // guarded by mu_
  absl::Status status_;  // the thread's, read after joining it
  std::thread thread_;
};

// Writes KEPT (the spool's lines of the kept documents) and CLUSTERS, and
// renames both into place; a Ctrl-C before the renames is
// absl::CancelledError. With `indexed` (dedup --index; its documents'
// decisions are not kept), each of their lines names the indexed document
// as cluster and duplicate_of, and its batch as cluster_source, and every
// line has "in_index"; `before_commit`, if given, runs once both files are
// complete and before they are renamed: if it fails, nothing is renamed.
// With `stream` (started), KEPT is the stream's: it is told `decisions`
// (all final) and waited for instead of copied here.
absl::Status WriteOutputs(
    const ReadResult& read, const std::vector<DedupDecision>& decisions,
    Spool* spool, AtomicFile* kept, AtomicFile* clusters,
    const std::vector<IndexedDuplicate>* indexed = nullptr,
    const std::function<absl::Status()>& before_commit = nullptr,
    KeptStream* stream = nullptr);

}  // namespace neardup::cli

#endif  // NEARDUP_CLI_DEDUP_OUTPUT_H_
