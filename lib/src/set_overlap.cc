#include "set_overlap.h"

#include <algorithm>
#include <bit>
#include <cstddef>

namespace neardup {

void HashedSet::Assign(absl::Span<const uint64_t> values) {
  // A power of two at least twice the values (at most half full), at
  // least 16 slots.
  const size_t want = std::max<size_t>(16, std::bit_ceil(2 * values.size()));
  if (table_.size() != want) {
    table_.assign(want, 0);
    shift_ = 64 - std::countr_zero(want);
  } else {
    std::fill(table_.begin(), table_.end(), 0);
  }
  size_ = 0;
  has_zero_ = false;
  const size_t mask = table_.size() - 1;
  for (const uint64_t v : values) {
    if (v == 0) {
      size_ += has_zero_ ? 0 : 1;
      has_zero_ = true;
      continue;
    }
    for (size_t i = Slot(v);; i = (i + 1) & mask) {
      if (table_[i] == v) break;
      if (table_[i] == 0) {
        table_[i] = v;
        ++size_;
        break;
      }
    }
  }
}

void HashedSet::Values(std::vector<uint64_t>* out) {
  // Every slot is written and the end moved past the full ones: no branch
  // on whether a slot is full (half of them are, unpredictably).
  scratch_.resize(table_.size() + 1);
  size_t n = 0;
  if (has_zero_) scratch_[n++] = 0;
  for (const uint64_t v : table_) {
    scratch_[n] = v;
    n += v != 0 ? 1 : 0;
  }
  out->assign(scratch_.begin(), scratch_.begin() + static_cast<ptrdiff_t>(n));
}

size_t HashedSet::CountCommon(absl::Span<const uint64_t> distinct) const {
  size_t common = 0;
  for (const uint64_t v : distinct) common += Contains(v) ? 1 : 0;
  return common;
}

size_t HashedSet::CountCommonIfAtLeast(absl::Span<const uint64_t> distinct,
                                       size_t needed) const {
  // Checked every kStep values: at most common + (values left) can be in
  // the set.
  constexpr size_t kStep = 64;
  size_t common = 0;
  for (size_t i = 0; i < distinct.size(); i += kStep) {
    if (common + (distinct.size() - i) < needed) return common;
    const size_t end = std::min(distinct.size(), i + kStep);
    for (size_t j = i; j < end; ++j) common += Contains(distinct[j]) ? 1 : 0;
  }
  return common;
}

size_t LeastCommonFor(size_t a, size_t b, double threshold) {
  const size_t most = std::min(a, b);
  // From an estimate, moved to the exact bound with JaccardOfCounts itself.
  const double guess = threshold * static_cast<double>(a + b) / (1 + threshold);
  size_t c = guess <= 0                           ? 0
             : guess >= static_cast<double>(most) ? most
                                                  : static_cast<size_t>(guess);
  while (c > 0 && JaccardOfCounts(a, b, c - 1) >= threshold) --c;
  while (c <= most && JaccardOfCounts(a, b, c) < threshold) ++c;
  return c;
}

double JaccardOfCounts(size_t a, size_t b, size_t common) {
  if (a == 0 || b == 0) return a == 0 && b == 0 ? 1.0 : 0.0;
  return static_cast<double>(common) / static_cast<double>(a + b - common);
}

}  // namespace neardup
