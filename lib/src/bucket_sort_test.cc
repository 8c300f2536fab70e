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

uint32_t ByBucket(const Record& r) { return r.bucket; }

// Gives the records of `items` in order, as SortByBucket asks.
auto EachOf(const std::vector<Record>& items) {
  return [&items](const auto& fn) {
    for (const Record& r : items) fn(r);
  };
}

TEST(SortByBucket, SameOrderAsStdSort) {
  for (const uint32_t buckets : {1u, 7u, 1000u}) {
    for (const size_t n : {size_t{0}, size_t{1}, size_t{2}, size_t{5000}}) {
      const std::vector<Record> items = RandomRecords(n, buckets, buckets + n);
      std::vector<Record> expected = items;
      std::sort(expected.begin(), expected.end());
      std::vector<Record> sorted = {{1, 2, 3}};  // replaced
      SortByBucket(buckets, ByBucket, EachOf(items), &sorted);
      EXPECT_EQ(sorted, expected) << buckets << " buckets, " << n << " records";
    }
  }
}

TEST(SortByBucket, LastBucketAndAlreadySorted) {
  const std::vector<Record> items = {
      {3, 0, 0}, {3, 0, 1}, {0, 9, 9}, {3, 0, 0}};
  const std::vector<Record> expected = {
      {0, 9, 9}, {3, 0, 0}, {3, 0, 0}, {3, 0, 1}};
  std::vector<Record> sorted;
  SortByBucket(4, ByBucket, EachOf(items), &sorted);
  EXPECT_EQ(sorted, expected);
  std::vector<Record> again;
  SortByBucket(4, ByBucket, EachOf(sorted), &again);
  EXPECT_EQ(again, expected);
}

}  // namespace
}  // namespace neardup
