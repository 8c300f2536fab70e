// Pieces of the dedup stage exposed for its unit tests.
#ifndef NEARDUP_SRC_DEDUP_INTERNAL_H_
#define NEARDUP_SRC_DEDUP_INTERNAL_H_

#include <cstddef>
#include <cstdint>

#include "absl/types/span.h"
#include "lsh.h"
#include "neardup/dedup.h"

namespace neardup {

// Returns |A ∩ B| of two sorted arrays of distinct values.
size_t SortedIntersectionSize(absl::Span<const uint64_t> a,
                              absl::Span<const uint64_t> b);

// Returns the similarity of two sorted sets of distinct shingle hashes:
// Jaccard, or |A ∩ B| / min(|A|, |B|) for kContainment. Two empty sets give
// 1, one empty set and one non-empty set 0.
double SetSimilarity(absl::Span<const uint64_t> a, absl::Span<const uint64_t> b,
                     DedupMode mode);

// The most shingle values Deduplicator::Finish() holds in memory for the
// sorted sets of documents with a candidate (64 MiB); the other sets are
// sorted in place in the temporary file and read back from it. A variable
// only so that a test can lower it to cover both.
inline uint64_t dedup_sorted_in_memory_values = uint64_t{8} << 20;

// The LSH bands and rows the options call for (see
// DedupOptions::lsh_threshold).
LshParams DedupLshParams(const DedupOptions& options);

}  // namespace neardup

#endif  // NEARDUP_SRC_DEDUP_INTERNAL_H_
