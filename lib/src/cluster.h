// The clustering stage of dedup: the greedy rule of neardup/dedup.h over a
// candidate graph, shared by Deduplicator::Finish and neardup-mpi (which
// runs it over the connected components a rank is given).
#ifndef NEARDUP_SRC_CLUSTER_H_
#define NEARDUP_SRC_CLUSTER_H_

#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "neardup/dedup.h"

namespace neardup {

// Candidate pairs as adjacency lists: the candidates of document d are
// neighbors[begin[d] .. begin[d + 1]), in the order of the pairs.
struct CandidateGraph {
  std::vector<uint64_t> begin;  // documents + 1 entries
  std::vector<uint32_t> neighbors;

  // REQUIRES: a, b < documents in every pair.
  static CandidateGraph FromPairs(
      uint32_t documents,
      absl::Span<const std::pair<uint32_t, uint32_t>> pairs);

  uint32_t documents() const {
    return begin.empty() ? 0 : static_cast<uint32_t>(begin.size() - 1);
  }
  bool HasCandidate(uint32_t d) const { return begin[d + 1] > begin[d]; }
};

// Returns document `doc`'s sorted set of distinct shingle hashes, in memory
// the caller keeps, or read into *buffer; valid until the next call with
// the same buffer.
using SetReader = absl::FunctionRef<absl::StatusOr<absl::Span<const uint64_t>>(
    uint32_t doc, std::vector<uint64_t>* buffer)>;

// The greedy rule (neardup/dedup.h): documents visited in priority order
// (index order, or most `tokens` first with DedupKeep::kLongest, ties in
// index order); each joins the first representative, in priority order,
// of its visited candidates whose similarity (options.mode) to it reaches
// options.threshold, else is kept. Sets are read only for documents with
// a candidate. Fills *decisions (one per document) and adds the
// similarities computed to *verified_pairs. Checks options.cancel every
// 1,024 documents (absl::CancelledError); a SetReader error is returned.
// REQUIRES: tokens.size() == graph.documents().
absl::Status ClusterGreedy(const CandidateGraph& graph,
                           absl::Span<const uint32_t> tokens,
                           const DedupOptions& options, SetReader set_of,
                           std::vector<DedupDecision>* decisions,
                           size_t* verified_pairs);

// Called with d when the decisions of documents [0, d) are final.
using DecidedPrefix = absl::FunctionRef<void(uint32_t decided)>;

// How often ClusterGreedy's DecidedPrefix is called in index order.
inline constexpr uint32_t kDecidedStep = 256;

// The same, and calls decided(d) as the decisions of documents [0, d) become
// final: in index order (DedupKeep::kFirst) every kDecidedStep documents and
// once at the end; in another priority order only once, at the end (with
// d = graph.documents(), also for none).
absl::Status ClusterGreedy(const CandidateGraph& graph,
                           absl::Span<const uint32_t> tokens,
                           const DedupOptions& options, SetReader set_of,
                           std::vector<DedupDecision>* decisions,
                           size_t* verified_pairs, DecidedPrefix decided);

// Clusters of two or more documents: representatives that some dropped
// document names.
size_t DuplicateClusters(const std::vector<DedupDecision>& decisions);

}  // namespace neardup

#endif  // NEARDUP_SRC_CLUSTER_H_
