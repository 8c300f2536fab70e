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

std::vector<uint64_t> Sorted(const std::vector<uint64_t>& in) {
  std::vector<uint64_t> out(in.size());
  std::vector<uint64_t> scratch;
  SortHashes(in.data(), in.size(), out.data(), &scratch);
  return out;
}

std::vector<uint64_t> Expected(std::vector<uint64_t> in) {
  std::sort(in.begin(), in.end());
  return in;
}

TEST(SortHashesTest, SortsRandomHashesOfEverySizeAroundTheBucketSteps) {
  std::mt19937_64 rng(7);
  for (size_t n : {0, 1, 2, 31, 32, 33, 63, 64, 65, 200, 1000, 4097, 50000}) {
    std::vector<uint64_t> in(n);
    for (uint64_t& v : in) v = rng();
    EXPECT_EQ(Sorted(in), Expected(in)) << n;
  }
}

TEST(SortHashesTest, SortsValuesCrowdedIntoFewBuckets) {
  std::mt19937_64 rng(8);
  // Small values: every one in the first bucket.
  std::vector<uint64_t> small(5000);
  for (uint64_t& v : small) v = rng() % 100000;
  EXPECT_EQ(Sorted(small), Expected(small));
  // Many copies of a few values, and the extremes.
  std::vector<uint64_t> repeated(3000);
  for (size_t i = 0; i < repeated.size(); ++i) {
    repeated[i] = i % 3 == 0   ? ~uint64_t{0}
                  : i % 3 == 1 ? 0
                               : uint64_t{0x8000000000000000} + i % 7;
  }
  EXPECT_EQ(Sorted(repeated), Expected(repeated));
  // Already sorted and reversed.
  std::vector<uint64_t> ascending(1000);
  for (size_t i = 0; i < ascending.size(); ++i) ascending[i] = i << 50;
  EXPECT_EQ(Sorted(ascending), ascending);
  std::vector<uint64_t> descending(ascending.rbegin(), ascending.rend());
  EXPECT_EQ(Sorted(descending), ascending);
}

TEST(SortHashesTest, ReusesItsScratchAcrossSizes) {
  std::mt19937_64 rng(9);
  std::vector<uint64_t> scratch;
  for (size_t n : {5000, 40, 700, 40, 5000}) {
    std::vector<uint64_t> in(n), out(n);
    for (uint64_t& v : in) v = rng();
    SortHashes(in.data(), n, out.data(), &scratch);
    EXPECT_EQ(out, Expected(in)) << n;
  }
}

}  // namespace
}  // namespace neardup
