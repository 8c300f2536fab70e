#include "hash_sort.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <random>
#include <vector>

namespace neardup {
namespace {

std::vector<uint64_t> Sorted(const std::vector<uint64_t>& in) {
  std::vector<uint64_t> out(in.size());
  std::vector<uint32_t> counts;
  SortHashes(in.data(), in.size(), out.data(), &counts);
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
  std::vector<uint32_t> counts;
  for (size_t n : {5000, 40, 700, 40, 5000}) {
    std::vector<uint64_t> in(n), out(n);
    for (uint64_t& v : in) v = rng();
    SortHashes(in.data(), n, out.data(), &counts);
    EXPECT_EQ(out, Expected(in)) << n;
  }
}

}  // namespace
}  // namespace neardup
