// Shingles: hashes of word n-grams, and exact set similarities over them.
//
// A shingle is one run of `n` consecutive token keys. Its hash depends on the
// keys and their order, so "a b c" and "c b a" give different bigram sets.
#ifndef NEARDUP_SHINGLE_H_
#define NEARDUP_SHINGLE_H_

#include <cstdint>
#include <vector>

#include "absl/types/span.h"

namespace neardup {

// Replaces the contents of `*out` with the hash of every run of `n`
// consecutive keys, in order of position: keys.size() - n + 1 values when
// keys.size() >= n. When 0 < keys.size() < n, writes one shingle that hashes
// the whole sequence, so a text shorter than one shingle still has a
// non-empty shingle set. Empty `keys` gives an empty `*out`.
//
// The hash is XXH3-64 (fixed seed) over the in-memory bytes of the keys,
// little-endian on every platform we build for: equal key runs give equal
// shingles across calls, threads and processes.
//
// REQUIRES: n >= 1, out != nullptr.
void ShingleHashes(absl::Span<const uint64_t> keys, int n,
                   std::vector<uint64_t>* out);

// Returns |A ∩ B| / |A ∪ B| of the sets of values in `a` and `b`; repeated
// values count once. Two empty sets have similarity 1 (they are the same
// set, and their MinHash sketches match; see minhash.h); one empty set and
// one non-empty set have similarity 0.
double ExactJaccard(absl::Span<const uint64_t> a, absl::Span<const uint64_t> b);

// Returns |A ∩ B| / |A|: the share of `a`'s distinct values that are also in
// `b`. An empty `a` gives 1 if `b` is empty too and 0 otherwise, so that
// Containment(a, b) >= ExactJaccard(a, b) always holds.
double Containment(absl::Span<const uint64_t> a, absl::Span<const uint64_t> b);

}  // namespace neardup

#endif  // NEARDUP_SHINGLE_H_
