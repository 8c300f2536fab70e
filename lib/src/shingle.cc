#include "shingle.h"

#include <algorithm>
#include <cstddef>

// Inline XXH3: shingles hash 8 * n bytes each, where a library call would
// cost as much as the hash.
#define XXH_INLINE_ALL
#include "xxhash.h"

namespace neardup {

namespace {

constexpr uint64_t kShingleSeed = 0x5348494e474c45ULL;

// Sorted distinct values of `values`.
std::vector<uint64_t> SortedSet(absl::Span<const uint64_t> values) {
  std::vector<uint64_t> set(values.begin(), values.end());
  std::sort(set.begin(), set.end());
  set.erase(std::unique(set.begin(), set.end()), set.end());
  return set;
}

// |A ∩ B| of two sorted sets.
size_t IntersectionSize(const std::vector<uint64_t>& a,
                        const std::vector<uint64_t>& b) {
  size_t count = 0;
  auto i = a.begin();
  auto j = b.begin();
  while (i != a.end() && j != b.end()) {
    if (*i < *j) {
      ++i;
    } else if (*j < *i) {
      ++j;
    } else {
      ++count;
      ++i;
      ++j;
    }
  }
  return count;
}

}  // namespace

namespace {

// The shingles of runs of `kWidth` keys: with the length a constant, the
// inlined XXH3 keeps only its code for that length (for 5 keys, 40 bytes:
// four 128-bit multiplies and the avalanche) and folds the seeded secret
// into constants. Same values as the general loop below.
template <size_t kWidth>
void HashRuns(const uint64_t* keys, size_t count, uint64_t* hashes) {
  for (size_t i = 0; i < count; ++i) {
    hashes[i] =
        XXH3_64bits_withSeed(keys + i, kWidth * sizeof(uint64_t), kShingleSeed);
  }
}

}  // namespace

void ShingleHashes(absl::Span<const uint64_t> keys, int n,
                   std::vector<uint64_t>* out) {
  if (keys.empty()) {
    out->clear();
    return;
  }
  const size_t width = std::min(keys.size(), static_cast<size_t>(n));
  const size_t count = keys.size() - width + 1;
  // Every value is written below: resized without clear(), the vector
  // zero-fills only what it adds to its size (callers reuse it).
  out->resize(count);
  // The keys are contiguous, so each shingle hashes a slice of the input in
  // place.
  const uint64_t* data = keys.data();
  uint64_t* hashes = out->data();
  switch (width) {
    case 2:  // scan, boilerplate
      return HashRuns<2>(data, count, hashes);
    case 3:
      return HashRuns<3>(data, count, hashes);
    case 4:
      return HashRuns<4>(data, count, hashes);
    case 5:  // dedup
      return HashRuns<5>(data, count, hashes);
    default:
      break;
  }
  const size_t bytes = width * sizeof(uint64_t);
  for (size_t i = 0; i < count; ++i) {
    hashes[i] = XXH3_64bits_withSeed(data + i, bytes, kShingleSeed);
  }
}

double ExactJaccard(absl::Span<const uint64_t> a,
                    absl::Span<const uint64_t> b) {
  const std::vector<uint64_t> set_a = SortedSet(a);
  const std::vector<uint64_t> set_b = SortedSet(b);
  if (set_a.empty() && set_b.empty()) return 1.0;
  const size_t common = IntersectionSize(set_a, set_b);
  return static_cast<double>(common) /
         static_cast<double>(set_a.size() + set_b.size() - common);
}

double Containment(absl::Span<const uint64_t> a, absl::Span<const uint64_t> b) {
  const std::vector<uint64_t> set_a = SortedSet(a);
  const std::vector<uint64_t> set_b = SortedSet(b);
  if (set_a.empty()) return set_b.empty() ? 1.0 : 0.0;
  return static_cast<double>(IntersectionSize(set_a, set_b)) /
         static_cast<double>(set_a.size());
}

}  // namespace neardup
