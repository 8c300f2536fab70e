// Sorting many small records whose leading key is a bucket number of a
// known, small range: a counting sort by bucket, then each bucket's few
// records sorted by their whole key.
#ifndef NEARDUP_SRC_BUCKET_SORT_H_
#define NEARDUP_SRC_BUCKET_SORT_H_

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace neardup {

// Puts `items` in the order of T's operator<, which must order first by
// bucket_of(item) (in [0, buckets)). O(n + buckets) plus a sort of each
// bucket's records: a query's (query, band) lookups of 5,000 documents
// (85,000 records, 65,536 buckets) in about a tenth of std::sort's time.
// `scratch` is reused (memory first touched costs a page fault per 4 KiB).
template <typename T, typename BucketOf>
void SortByBucket(std::vector<T>* items, size_t buckets, BucketOf bucket_of,
                  std::vector<T>* scratch) {
  std::vector<uint32_t> begin(buckets + 1, 0);
  for (const T& item : *items) ++begin[bucket_of(item) + 1];
  for (size_t b = 0; b < buckets; ++b) begin[b + 1] += begin[b];
  scratch->resize(items->size());
  {
    std::vector<uint32_t> at(begin.begin(), begin.end() - 1);
    for (const T& item : *items) (*scratch)[at[bucket_of(item)]++] = item;
  }
  items->swap(*scratch);
  for (size_t b = 0; b < buckets; ++b) {
    if (begin[b + 1] - begin[b] > 1) {
      std::sort(items->begin() + begin[b], items->begin() + begin[b + 1]);
    }
  }
}

}  // namespace neardup

#endif  // NEARDUP_SRC_BUCKET_SORT_H_
