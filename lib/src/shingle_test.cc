#include "shingle.h"

#include <algorithm>
#include <cstdint>
#include <random>
#include <vector>

#include "gtest/gtest.h"

namespace neardup {
namespace {

std::vector<uint64_t> RandomKeys(size_t n, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::vector<uint64_t> keys(n);
  for (uint64_t& key : keys) key = rng();
  return keys;
}

std::vector<uint64_t> Shingles(const std::vector<uint64_t>& keys, int n) {
  std::vector<uint64_t> out;
  ShingleHashes(keys, n, &out);
  return out;
}

TEST(ShingleHashesTest, CountIsKeysMinusNPlusOne) {
  const std::vector<uint64_t> keys = RandomKeys(10, 1);
  EXPECT_EQ(Shingles(keys, 1).size(), 10u);
  EXPECT_EQ(Shingles(keys, 2).size(), 9u);
  EXPECT_EQ(Shingles(keys, 5).size(), 6u);
  EXPECT_EQ(Shingles(keys, 10).size(), 1u);
}

TEST(ShingleHashesTest, EmptyInputGivesNoShingles) {
  std::vector<uint64_t> out = {1, 2, 3};  // must be cleared
  ShingleHashes({}, 2, &out);
  EXPECT_TRUE(out.empty());
}

TEST(ShingleHashesTest, ShortTextGivesOneShingleOfTheWholeSequence) {
  const std::vector<uint64_t> keys = RandomKeys(3, 2);
  const std::vector<uint64_t> short_shingles = Shingles(keys, 5);
  ASSERT_EQ(short_shingles.size(), 1u);
  // It covers every key: changing any one of them changes it.
  for (size_t i = 0; i < keys.size(); ++i) {
    std::vector<uint64_t> changed = keys;
    changed[i] ^= 1;
    EXPECT_NE(Shingles(changed, 5)[0], short_shingles[0]) << "key " << i;
  }
  // Same for a single key.
  EXPECT_EQ(Shingles({42}, 2).size(), 1u);
  EXPECT_NE(Shingles({42}, 2)[0], Shingles({43}, 2)[0]);
}

TEST(ShingleHashesTest, ShinglesDependOnOrder) {
  const uint64_t a = 11, b = 22, c = 33;
  const std::vector<uint64_t> forward = Shingles({a, b, c}, 2);
  const std::vector<uint64_t> backward = Shingles({c, b, a}, 2);
  ASSERT_EQ(forward.size(), 2u);
  ASSERT_EQ(backward.size(), 2u);
  EXPECT_EQ(ExactJaccard(forward, backward), 0.0);
  // Unigrams ignore order.
  EXPECT_EQ(ExactJaccard(Shingles({a, b, c}, 1), Shingles({c, b, a}, 1)), 1.0);
}

TEST(ShingleHashesTest, EqualRunsGiveEqualShinglesAtAnyPosition) {
  // x y z y z: the bigram "y z" occurs twice and must hash the same.
  const std::vector<uint64_t> s = Shingles({7, 8, 9, 8, 9}, 2);
  ASSERT_EQ(s.size(), 4u);
  EXPECT_EQ(s[1], s[3]);
  EXPECT_NE(s[0], s[1]);
  EXPECT_NE(s[1], s[2]);
}

TEST(ShingleHashesTest, DistinctNGramsGetDistinctHashes) {
  const std::vector<uint64_t> keys = RandomKeys(10000, 3);
  std::vector<uint64_t> s = Shingles(keys, 3);
  std::sort(s.begin(), s.end());
  EXPECT_EQ(std::unique(s.begin(), s.end()), s.end());
}

TEST(ExactJaccardTest, KnownValues) {
  EXPECT_DOUBLE_EQ(ExactJaccard(std::vector<uint64_t>{1, 2, 3},
                                std::vector<uint64_t>{2, 3, 4}),
                   0.5);
  EXPECT_DOUBLE_EQ(
      ExactJaccard(std::vector<uint64_t>{1, 2}, std::vector<uint64_t>{3, 4}),
      0.0);
  EXPECT_DOUBLE_EQ(ExactJaccard(std::vector<uint64_t>{5, 1, 2},
                                std::vector<uint64_t>{2, 5, 1}),
                   1.0);
}

TEST(ExactJaccardTest, RepeatsCountOnce) {
  EXPECT_DOUBLE_EQ(ExactJaccard(std::vector<uint64_t>{1, 1, 1, 2},
                                std::vector<uint64_t>{1, 2, 2}),
                   1.0);
  EXPECT_DOUBLE_EQ(ExactJaccard(std::vector<uint64_t>{1, 1, 1, 1, 2},
                                std::vector<uint64_t>{1, 3}),
                   1.0 / 3.0);
}

TEST(ExactJaccardTest, EmptySets) {
  EXPECT_DOUBLE_EQ(ExactJaccard({}, {}), 1.0);
  EXPECT_DOUBLE_EQ(ExactJaccard({}, std::vector<uint64_t>{1}), 0.0);
  EXPECT_DOUBLE_EQ(ExactJaccard(std::vector<uint64_t>{1}, {}), 0.0);
}

TEST(ContainmentTest, KnownValues) {
  const std::vector<uint64_t> small = {1, 2};
  const std::vector<uint64_t> large = {1, 2, 3, 4};
  EXPECT_DOUBLE_EQ(Containment(small, large), 1.0);
  EXPECT_DOUBLE_EQ(Containment(large, small), 0.5);
  EXPECT_DOUBLE_EQ(
      Containment(std::vector<uint64_t>{1, 1, 9}, std::vector<uint64_t>{1}),
      0.5);
  EXPECT_DOUBLE_EQ(Containment({}, {}), 1.0);
  EXPECT_DOUBLE_EQ(Containment({}, large), 0.0);
  EXPECT_DOUBLE_EQ(Containment(large, {}), 0.0);
}

TEST(ContainmentTest, NeverBelowJaccard) {
  std::mt19937_64 rng(4);
  for (int trial = 0; trial < 100; ++trial) {
    std::vector<uint64_t> a(rng() % 20), b(rng() % 20);
    for (uint64_t& x : a) x = rng() % 16;
    for (uint64_t& x : b) x = rng() % 16;
    EXPECT_GE(Containment(a, b), ExactJaccard(a, b));
    EXPECT_GE(Containment(b, a), ExactJaccard(a, b));
  }
}

}  // namespace
}  // namespace neardup
