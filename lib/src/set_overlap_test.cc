#include "set_overlap.h"

#include <algorithm>
#include <cstdint>
#include <random>
#include <vector>

#include "dedup_internal.h"
#include "gtest/gtest.h"

namespace neardup {
namespace {

std::vector<uint64_t> SortedDistinct(std::vector<uint64_t> v) {
  std::sort(v.begin(), v.end());
  v.erase(std::unique(v.begin(), v.end()), v.end());
  return v;
}

// Random values drawn from a small pool (so the sets share values and
// repeat them), with 0 and the largest value among them sometimes.
std::vector<uint64_t> Draw(std::mt19937_64& rng, size_t n,
                           const std::vector<uint64_t>& pool) {
  std::vector<uint64_t> out;
  for (size_t i = 0; i < n; ++i) out.push_back(pool[rng() % pool.size()]);
  return out;
}

TEST(HashedSetTest, OverlapEqualsSetSimilarityOnRandomSets) {
  std::mt19937_64 rng(20261129);
  for (int round = 0; round < 2000; ++round) {
    std::vector<uint64_t> pool(1 + rng() % 600);
    for (uint64_t& v : pool) v = rng();
    if (round % 3 == 0) pool[0] = 0;
    if (round % 5 == 0) pool.back() = ~uint64_t{0};
    if (round % 7 == 0) {  // values equal but for their low or high bits
      for (size_t i = 0; i < pool.size(); ++i) {
        pool[i] = round % 2 == 0 ? i : i << 40;
      }
    }
    const std::vector<uint64_t> a = Draw(rng, rng() % 700, pool);
    const std::vector<uint64_t> b = Draw(rng, rng() % 700, pool);
    const std::vector<uint64_t> set_a = SortedDistinct(a);
    const std::vector<uint64_t> set_b = SortedDistinct(b);
    HashedSet hashed;
    hashed.Assign(b);
    ASSERT_EQ(hashed.size(), set_b.size());
    std::vector<uint64_t> values;
    hashed.Values(&values);
    ASSERT_EQ(SortedDistinct(values), set_b);
    const size_t common = hashed.CountCommon(set_a);
    // Bit for bit, as the verification must report what dedup reports.
    ASSERT_EQ(JaccardOfCounts(set_a.size(), hashed.size(), common),
              SetSimilarity(set_a, set_b, DedupMode::kJaccard))
        << "round " << round;
    // Stopping early: the count when it reaches `needed`, else below it.
    for (const size_t needed :
         {size_t{0}, common / 2, common, common + 1, set_a.size()}) {
      const size_t got = hashed.CountCommonIfAtLeast(set_a, needed);
      if (common >= needed) {
        ASSERT_EQ(got, common) << "round " << round;
      } else {
        ASSERT_LT(got, needed) << "round " << round;
      }
    }
    for (const uint64_t v : set_a) {
      ASSERT_EQ(hashed.Contains(v),
                std::binary_search(set_b.begin(), set_b.end(), v));
    }
  }
}

TEST(HashedSetTest, ReusedAcrossSetsOfEverySize) {
  HashedSet hashed;
  std::mt19937_64 rng(7);
  for (const size_t n : {size_t{5000}, size_t{0}, size_t{3}, size_t{3000},
                         size_t{1}, size_t{40}}) {
    std::vector<uint64_t> values(n);
    for (uint64_t& v : values) v = rng() % (n + 1);  // repeats, 0 included
    hashed.Assign(values);
    const std::vector<uint64_t> set = SortedDistinct(values);
    EXPECT_EQ(hashed.size(), set.size());
    EXPECT_EQ(hashed.CountCommon(set), set.size());
    EXPECT_FALSE(hashed.Contains(n + 1));
  }
}

TEST(HashedSetTest, LeastCommonIsTheThresholdsBound) {
  for (size_t a = 0; a < 60; ++a) {
    for (size_t b = 0; b < 60; ++b) {
      for (const double t : {0.8 - 1e-9, 0.5, 0.1, 1.0, 1e-9}) {
        const size_t least = LeastCommonFor(a, b, t);
        ASSERT_LE(least, std::min(a, b) + 1);
        for (size_t c = 0; c <= std::min(a, b); ++c) {
          ASSERT_EQ(JaccardOfCounts(a, b, c) >= t, c >= least)
              << a << " " << b << " " << c << " " << t;
        }
      }
    }
  }
}

TEST(HashedSetTest, EmptySets) {
  HashedSet hashed;
  EXPECT_EQ(hashed.size(), 0u);
  EXPECT_FALSE(hashed.Contains(0));
  const std::vector<uint64_t> one = {0};
  EXPECT_EQ(hashed.CountCommon(one), 0u);
  EXPECT_EQ(JaccardOfCounts(0, 0, 0), 1.0);
  EXPECT_EQ(JaccardOfCounts(0, 3, 0), 0.0);
  EXPECT_EQ(JaccardOfCounts(3, 0, 0), 0.0);
  hashed.Assign(one);
  EXPECT_EQ(hashed.size(), 1u);
  EXPECT_TRUE(hashed.Contains(0));
}

}  // namespace
}  // namespace neardup
