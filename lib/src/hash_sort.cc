#include "hash_sort.h"

#include <algorithm>
#include <bit>
#include <cstdint>

namespace neardup {

void SortHashes(const uint64_t* in, size_t n, uint64_t* out,
                std::vector<uint32_t>* counts) {
  // Below this, std::sort's small-array path is as fast.
  constexpr size_t kSmall = 32;
  // A bucket holding more than this many values is sorted by std::sort
  // (values that are not spread evenly, or many copies of one).
  constexpr size_t kCrowded = 16;
  if (n < kSmall || n > UINT32_MAX) {
    std::copy(in, in + n, out);
    std::sort(out, out + n);
    return;
  }
  // Between n/2 and n buckets.
  const int bits = static_cast<int>(std::bit_width(n)) - 1;
  const int shift = 64 - bits;
  const size_t buckets = size_t{1} << bits;
  counts->assign(buckets + 1, 0);
  uint32_t* ends = counts->data();
  for (size_t i = 0; i < n; ++i) ++ends[(in[i] >> shift) + 1];
  for (size_t b = 1; b <= buckets; ++b) ends[b] += ends[b - 1];
  for (size_t i = 0; i < n; ++i) out[ends[in[i] >> shift]++] = in[i];
  // ends[b] is now the end of bucket b, which begins where b - 1 ends.
  size_t begin = 0;
  for (size_t b = 0; b < buckets; ++b) {
    const size_t end = ends[b];
    if (end - begin > kCrowded) {
      std::sort(out + begin, out + end);
    } else {
      for (size_t i = begin + 1; i < end; ++i) {
        const uint64_t v = out[i];
        size_t j = i;
        for (; j > begin && v < out[j - 1]; --j) out[j] = out[j - 1];
        out[j] = v;
      }
    }
    begin = end;
  }
}

}  // namespace neardup
