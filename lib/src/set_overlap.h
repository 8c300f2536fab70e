// Exact overlap of shingle sets without sorting them: one set is put in an
// open-addressing hash table (its repeated values counted once), the other,
// distinct, is probed against it. Used by the feed index's verification,
// where a candidate's shingles are counted against every query document
// that found it.
#ifndef NEARDUP_SRC_SET_OVERLAP_H_
#define NEARDUP_SRC_SET_OVERLAP_H_

#include <cstddef>
#include <cstdint>
#include <vector>

#include "absl/types/span.h"

namespace neardup {

// A set of 64-bit values. Not thread-safe; reuses its table across Assign
// calls, so counting thousands of sets does not allocate per set.
class HashedSet {
 public:
  // Replaces the set with the distinct values of `values` (any order,
  // repeats allowed).
  void Assign(absl::Span<const uint64_t> values);

  // The number of distinct values in the set.
  size_t size() const { return size_; }

  // The number of values of `distinct` that are in the set.
  // REQUIRES: `distinct` holds no value twice (it is counted each time).
  size_t CountCommon(absl::Span<const uint64_t> distinct) const;

  // As CountCommon if that is at least `needed`; else some number below
  // `needed`, found by stopping once too few values are left unprobed to
  // reach it.
  size_t CountCommonIfAtLeast(absl::Span<const uint64_t> distinct,
                              size_t needed) const;

  // Replaces *out with the set's values, each once, in the table's order
  // (the same for the same values given in the same order).
  void Values(std::vector<uint64_t>* out);

  // Whether `value` is in the set.
  bool Contains(uint64_t value) const {
    if (value == 0) return has_zero_;
    const size_t mask = table_.size() - 1;
    for (size_t i = Slot(value);; i = (i + 1) & mask) {
      if (table_[i] == value) return true;
      if (table_[i] == 0) return false;
    }
  }

 private:
  size_t Slot(uint64_t value) const {
    return static_cast<size_t>((value * 0x9E3779B97F4A7C15ULL) >> shift_);
  }

  // Open addressing with linear probing, at most half full; 0 marks an
  // empty slot, so the value 0 is kept aside in has_zero_.
  std::vector<uint64_t> table_ = std::vector<uint64_t>(16, 0);
  int shift_ = 60;
  size_t size_ = 0;
  bool has_zero_ = false;
  std::vector<uint64_t> scratch_;  // Values()'s
};

// |A ∩ B| / |A ∪ B| of two sets given their sizes and the size of their
// intersection, computed as SetSimilarity (dedup_internal.h) computes it
// from the sets, so the two agree to the last bit: two empty sets 1, one
// empty set 0.
double JaccardOfCounts(size_t a, size_t b, size_t common);

// The least intersection size for which JaccardOfCounts(a, b, ·) is at
// least `threshold` (which grows with the intersection), or min(a, b) + 1
// if none is.
size_t LeastCommonFor(size_t a, size_t b, double threshold);

}  // namespace neardup

#endif  // NEARDUP_SRC_SET_OVERLAP_H_
