#include "minhash.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <random>
#include <vector>

#include "gtest/gtest.h"
#include "shingle.h"

namespace neardup {
namespace {

struct SetPair {
  std::vector<uint64_t> a;
  std::vector<uint64_t> b;
};

// Two sets of random values with `common` shared values and `only_a`,
// `only_b` values of their own: Jaccard = common / (common + only_a + only_b)
// (barring 2^-64 collisions, which ExactJaccard would reveal).
SetPair MakeSetPair(int common, int only_a, int only_b, std::mt19937_64* rng) {
  SetPair pair;
  for (int i = 0; i < common; ++i) {
    const uint64_t x = (*rng)();
    pair.a.push_back(x);
    pair.b.push_back(x);
  }
  for (int i = 0; i < only_a; ++i) pair.a.push_back((*rng)());
  for (int i = 0; i < only_b; ++i) pair.b.push_back((*rng)());
  std::shuffle(pair.a.begin(), pair.a.end(), *rng);
  std::shuffle(pair.b.begin(), pair.b.end(), *rng);
  return pair;
}

double Estimate(const MinHasher& hasher, const SetPair& pair) {
  return EstimateJaccard(hasher.Sketch(pair.a), hasher.Sketch(pair.b));
}

// Estimates of K = 128 against exact Jaccard 0.1 .. 0.9, for sets larger and
// smaller than K (the smaller ones exercise densification). The expected mean
// absolute error of K independent permutations is 0.030 here.
void CheckErrors(int union_size, double max_mean_abs_error) {
  constexpr int kNumHashes = 128;
  constexpr int kPairsPerLevel = 40;
  const MinHasher hasher(MinHashOptions{kNumHashes});
  std::mt19937_64 rng(union_size);
  double abs_error_sum = 0;
  double signed_error_sum = 0;
  double expected_abs_error_sum = 0;
  int count = 0;
  for (int level = 1; level <= 9; ++level) {
    const int common = union_size * level / 10;
    const int only_a = (union_size - common) / 2;
    const int only_b = union_size - common - only_a;
    for (int trial = 0; trial < kPairsPerLevel; ++trial) {
      const SetPair pair = MakeSetPair(common, only_a, only_b, &rng);
      const double exact = ExactJaccard(pair.a, pair.b);
      ASSERT_DOUBLE_EQ(exact, static_cast<double>(common) / union_size);
      const double estimate = Estimate(hasher, pair);
      const double sigma = std::sqrt(exact * (1 - exact) / kNumHashes);
      EXPECT_LE(std::abs(estimate - exact), 4 * sigma)
          << "J=" << exact << " estimate=" << estimate;
      abs_error_sum += std::abs(estimate - exact);
      signed_error_sum += estimate - exact;
      // E|X - J| for X normal with standard deviation sigma.
      expected_abs_error_sum += sigma * std::sqrt(2 / M_PI);
      ++count;
    }
  }
  const double mean_abs_error = abs_error_sum / count;
  std::printf(
      "union %d: mean |error| %.4f (K-permutation normal %.4f), "
      "mean error %+.4f\n",
      union_size, mean_abs_error, expected_abs_error_sum / count,
      signed_error_sum / count);
  EXPECT_LE(mean_abs_error, max_mean_abs_error);
  EXPECT_LE(mean_abs_error, 1.1 * expected_abs_error_sum / count);
  // Unbiased: the mean signed error of 360 estimates has standard deviation
  // about 0.002.
  EXPECT_LE(std::abs(signed_error_sum / count), 0.008);
}

// Sets larger than K: OPH samples bins without replacement, so it does a
// little better than independent permutations.
TEST(MinHashTest, ErrorWithinSamplingBoundsForLargeSets) {
  CheckErrors(500, 0.03);
}

// Sets smaller than K: densified bins copy each other, which costs a little.
TEST(MinHashTest, ErrorWithinSamplingBoundsForSetsSmallerThanK) {
  CheckErrors(100, 0.033);
}

TEST(MinHashTest, IdenticalSetsEstimateOne) {
  std::mt19937_64 rng(1);
  const MinHasher hasher(MinHashOptions{});
  const SetPair pair = MakeSetPair(300, 0, 0, &rng);
  EXPECT_EQ(Estimate(hasher, pair), 1.0);
}

TEST(MinHashTest, SketchIgnoresOrderAndRepeats) {
  const MinHasher hasher(MinHashOptions{});
  const std::vector<uint64_t> a = {5, 9, 1, 7};
  const std::vector<uint64_t> b = {7, 1, 1, 9, 5, 5, 5};
  EXPECT_EQ(hasher.Sketch(a), hasher.Sketch(b));
}

TEST(MinHashTest, DisjointSetsEstimateNearZero) {
  std::mt19937_64 rng(2);
  const MinHasher hasher(MinHashOptions{});
  for (int size : {1, 3, 50, 1000}) {
    const SetPair pair = MakeSetPair(0, size, size, &rng);
    EXPECT_LE(Estimate(hasher, pair), 1.0 / 128) << "size " << size;
  }
}

TEST(MinHashTest, SameSeedSameSketchOtherSeedOtherSketch) {
  std::mt19937_64 rng(3);
  const SetPair pair = MakeSetPair(200, 0, 0, &rng);
  const MinHasher first(MinHashOptions{64, 7});
  const MinHasher again(MinHashOptions{64, 7});
  const MinHasher other(MinHashOptions{64, 8});
  EXPECT_EQ(first.Sketch(pair.a), again.Sketch(pair.a));
  // Sketches of one set under two seeds are unrelated.
  EXPECT_LE(EstimateJaccard(first.Sketch(pair.a), other.Sketch(pair.a)),
            1.0 / 64);
}

TEST(MinHashTest, SketchHasNumHashesValues) {
  for (int k : {1, 7, 64, 128, 1000}) {
    const MinHasher hasher(MinHashOptions{k});
    EXPECT_EQ(hasher.num_hashes(), k);
    EXPECT_EQ(hasher.Sketch(std::vector<uint64_t>{1, 2, 3}).size(),
              static_cast<size_t>(k));
  }
}

TEST(MinHashTest, EmptySetMatchesOnlyEmptySets) {
  const MinHasher hasher(MinHashOptions{});
  const std::vector<uint32_t> empty = hasher.Sketch({});
  for (uint32_t value : empty) EXPECT_EQ(value, MinHasher::kEmptyValue);
  EXPECT_EQ(EstimateJaccard(empty, hasher.Sketch({})), 1.0);
  std::mt19937_64 rng(4);
  for (int size : {1, 2, 10, 1000}) {
    const SetPair pair = MakeSetPair(0, size, 0, &rng);
    EXPECT_EQ(EstimateJaccard(empty, hasher.Sketch(pair.a)), 0.0);
  }
}

TEST(MinHashTest, NonEmptySketchNeverHoldsTheEmptyValue) {
  // A shingle whose value half is all ones would otherwise look empty. Search
  // for one with a tiny K so that every bin is one such value.
  const MinHasher hasher(MinHashOptions{1, 0});
  std::mt19937_64 rng(5);
  for (int i = 0; i < 1000; ++i) {
    EXPECT_NE(hasher.Sketch(std::vector<uint64_t>{rng()})[0],
              MinHasher::kEmptyValue);
  }
}

// Densification fills every bin with the value of a bin the shingles reached.
TEST(MinHashTest, DensificationFillsEveryBinFromTheSet) {
  for (int k : {64, 128, 4096}) {
    const MinHasher hasher(MinHashOptions{k});
    const std::vector<uint64_t> set = {101, 202, 303};
    // The value a shingle contributes is the same in every bin, so a
    // one-shingle sketch is that value K times.
    std::vector<uint32_t> values;
    for (uint64_t shingle : set) {
      const std::vector<uint32_t> single = hasher.Sketch({&shingle, 1});
      for (uint32_t v : single) ASSERT_EQ(v, single[0]);
      values.push_back(single[0]);
    }
    const std::vector<uint32_t> sketch = hasher.Sketch(set);
    int counts[3] = {0, 0, 0};
    for (uint32_t v : sketch) {
      const auto it = std::find(values.begin(), values.end(), v);
      ASSERT_NE(it, values.end()) << "K=" << k;
      ++counts[it - values.begin()];
    }
    // Each of the three shingles lands in its own bin (for these values and
    // seed) and is copied to some others.
    for (int c : counts) EXPECT_GT(c, 0) << "K=" << k;
  }
}

// Very small sets: the estimate is still centred on the exact value.
TEST(MinHashTest, SmallSetEstimatesAreSensible) {
  struct Case {
    int common, only_a, only_b;
  };
  // J = 1/2, 1/3, 1/2, 2/3, 1.
  const Case cases[] = {{1, 0, 1}, {1, 1, 1}, {2, 1, 1}, {2, 0, 1}, {3, 0, 0}};
  const MinHasher hasher(MinHashOptions{128});
  std::mt19937_64 rng(6);
  for (const Case& c : cases) {
    double sum = 0;
    constexpr int kTrials = 400;
    for (int t = 0; t < kTrials; ++t) {
      const SetPair pair = MakeSetPair(c.common, c.only_a, c.only_b, &rng);
      sum += Estimate(hasher, pair);
    }
    const double exact =
        static_cast<double>(c.common) / (c.common + c.only_a + c.only_b);
    EXPECT_NEAR(sum / kTrials, exact, 0.05)
        << c.common << " " << c.only_a << " " << c.only_b;
  }
}

TEST(EstimateJaccardTest, CountsEqualPositions) {
  const std::vector<uint32_t> a = {1, 2, 3, 4};
  const std::vector<uint32_t> b = {1, 0, 3, 0};
  EXPECT_DOUBLE_EQ(EstimateJaccard(a, b), 0.5);
  EXPECT_DOUBLE_EQ(EstimateJaccard({}, {}), 0.0);
}

// P(binomial(n, p) <= m), summed term by term from lgamma: an independent
// computation of what VerifyCut::LeastEqual inverts.
double BinomialAtMost(int n, double p, int m) {
  double sum = 0;
  for (int i = 0; i <= m; ++i) {
    sum += std::exp(std::lgamma(n + 1.0) - std::lgamma(i + 1.0) -
                    std::lgamma(n - i + 1.0) + i * std::log(p) +
                    (n - i) * std::log1p(-p));
  }
  return sum;
}

TEST(VerifyCutTest, LeastEqualIsTheBinomialQuantile) {
  constexpr double kChance = 1e-6;
  for (const double t : {0.3, 0.5, 0.8, 0.9, 0.99}) {
    VerifyCut cut(t, 1024, kChance);
    const double p = t + (1 - t) / 256;
    for (const int n : {1, 5, 20, 64, 128, 256, 1024}) {
      const int m = cut.LeastEqual(n);
      SCOPED_TRACE(testing::Message() << "t " << t << ", n " << n);
      ASSERT_GE(m, 0);
      ASSERT_LE(m, n);
      // Fewer than m equal bytes is rarer than kChance at the threshold...
      if (m > 0) {
        EXPECT_LE(BinomialAtMost(n, p, m - 1), kChance * 1.000001);
      }
      // ... and m is the largest such.
      if (m < n) {
        EXPECT_GT(BinomialAtMost(n, p, m), kChance);
      }
    }
  }
  // At 0.8 with 128 bytes: estimates from about 0.62 up are verified.
  VerifyCut cut(0.8, 128, kChance);
  const int m = cut.LeastEqual(128);
  EXPECT_NEAR(EstimateFromEqualBytes(m, 128), 0.8 - 0.18, 0.02);
}

TEST(VerifyCutTest, ThresholdOneNeedsEveryByteAndSmallSetsAreVerified) {
  VerifyCut exact(1.0, 128, 1e-6);
  EXPECT_TRUE(exact.Verify(128, 500));
  EXPECT_FALSE(exact.Verify(127, 500));
  // A set of 3 shingles gives 3 independent values at most: however few
  // bytes are equal, a pair at 0.8 could show as few (0.2^3 = 0.008).
  VerifyCut cut(0.8, 128, 1e-6);
  EXPECT_TRUE(cut.Verify(0, 3));
  EXPECT_FALSE(cut.Verify(0, 500));
  EXPECT_TRUE(cut.Verify(128, 500));
}

// Through real sketches: pairs exactly at the threshold are all verified,
// pairs far below it all skipped, for sets larger and smaller than K.
TEST(VerifyCutTest, PairsAtTheThresholdAreVerifiedAndFarBelowAreNot) {
  constexpr int kNumHashes = 128;
  const MinHasher hasher(MinHashOptions{kNumHashes});
  std::mt19937_64 rng(7);
  VerifyCut cut(0.8, kNumHashes, 1e-6);
  const auto equal_bytes = [&](const SetPair& pair) {
    std::vector<uint8_t> a(kNumHashes);
    std::vector<uint8_t> b(kNumHashes);
    const std::vector<uint32_t> sa = hasher.Sketch(pair.a);
    const std::vector<uint32_t> sb = hasher.Sketch(pair.b);
    for (int i = 0; i < kNumHashes; ++i) {
      a[i] = static_cast<uint8_t>(sa[i] & 0xFF);
      b[i] = static_cast<uint8_t>(sb[i] & 0xFF);
    }
    return EqualBytes(a.data(), b.data(), kNumHashes);
  };
  for (const int size : {40, 500}) {
    int skipped_at = 0;
    int verified_below = 0;
    for (int trial = 0; trial < 1000; ++trial) {
      // J = 0.8: 4 common for each 1 of one side's own (half each side).
      const int common = size * 8 / 10;
      const SetPair at = MakeSetPair(common, (size - common) / 2,
                                     size - common - (size - common) / 2, &rng);
      skipped_at += !cut.Verify(equal_bytes(at), at.a.size());
      // J = 0.4, or 0.1 for the small sets, whose bins copy each other and
      // are counted as 40 values, not 128 (the cut is then near 0.47).
      const int low = size * (size < kNumHashes ? 1 : 4) / 10;
      const SetPair below = MakeSetPair(low, (size - low) / 2,
                                        size - low - (size - low) / 2, &rng);
      verified_below += cut.Verify(equal_bytes(below), below.a.size());
    }
    EXPECT_EQ(skipped_at, 0) << size << " shingles";
    EXPECT_EQ(verified_below, 0) << size << " shingles";
  }
}

}  // namespace
}  // namespace neardup
