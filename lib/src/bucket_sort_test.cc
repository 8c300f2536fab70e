#include "bucket_sort.h"

#include <algorithm>
#include <cstdint>
#include <random>
#include <tuple>
#include <vector>

#include "gtest/gtest.h"

namespace neardup {
namespace {

struct Record {
  uint32_t bucket;
  uint32_t lead;
  uint32_t query;
  bool operator<(const Record& o) const {
    return std::tie(bucket, lead, query) < std::tie(o.bucket, o.lead, o.query);
  }
  bool operator==(const Record& o) const {
    return std::tie(bucket, lead, query) == std::tie(o.bucket, o.lead, o.query);
  }
};

// Records with few buckets and leads, so that buckets hold many records,
// equal (bucket, lead) pairs and whole duplicates.
std::vector<Record> RandomRecords(size_t n, uint32_t buckets, uint32_t seed) {
  std::mt19937 rng(seed);
  std::vector<Record> out(n);
  for (Record& r : out) {
    r = {static_cast<uint32_t>(rng() % buckets),
         static_cast<uint32_t>(rng() % 5), static_cast<uint32_t>(rng() % 50)};
  }
  return out;
}

TEST(SortByBucket, SameOrderAsStdSort) {
  std::vector<Record> scratch;
  for (const uint32_t buckets : {1u, 7u, 1000u}) {
    for (const size_t n : {size_t{0}, size_t{1}, size_t{2}, size_t{5000}}) {
      std::vector<Record> items = RandomRecords(n, buckets, buckets + n);
      std::vector<Record> expected = items;
      std::sort(expected.begin(), expected.end());
      SortByBucket(
          &items, buckets, [](const Record& r) { return r.bucket; }, &scratch);
      EXPECT_EQ(items, expected) << buckets << " buckets, " << n << " records";
    }
  }
}

TEST(SortByBucket, LastBucketAndAlreadySorted) {
  std::vector<Record> items = {{3, 0, 0}, {3, 0, 1}, {0, 9, 9}, {3, 0, 0}};
  std::vector<Record> scratch;
  SortByBucket(
      &items, 4, [](const Record& r) { return r.bucket; }, &scratch);
  const std::vector<Record> expected = {
      {0, 9, 9}, {3, 0, 0}, {3, 0, 0}, {3, 0, 1}};
  EXPECT_EQ(items, expected);
  SortByBucket(
      &items, 4, [](const Record& r) { return r.bucket; }, &scratch);
  EXPECT_EQ(items, expected);
}

}  // namespace
}  // namespace neardup
