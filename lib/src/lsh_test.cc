#include "lsh.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <random>
#include <set>
#include <utility>
#include <vector>

#include "gtest/gtest.h"
#include "minhash.h"
#include "shingle.h"

namespace neardup {
namespace {

using Pairs = std::vector<std::pair<uint32_t, uint32_t>>;

TEST(ChooseLshParamsTest, DocumentedChoices) {
  const LshParams p80 = ChooseLshParams(0.8, 128);
  EXPECT_EQ(p80.bands, 9);
  EXPECT_EQ(p80.rows, 13);
  const LshParams p50 = ChooseLshParams(0.5, 128);
  EXPECT_EQ(p50.bands, 25);
  EXPECT_EQ(p50.rows, 5);
  const LshParams p20 = ChooseLshParams(0.2, 64);
  EXPECT_EQ(p20.bands, 28);
  EXPECT_EQ(p20.rows, 2);
}

TEST(ChooseLshParamsTest, CurveSeparatesAroundTheThreshold) {
  for (double threshold : {0.3, 0.5, 0.8}) {
    for (int k : {64, 128, 256}) {
      const LshParams p = ChooseLshParams(threshold, k);
      EXPECT_LE(p.bands * p.rows, k);
      EXPECT_GE(p.bands, 1);
      EXPECT_GE(p.rows, 1);
      EXPECT_LT(CandidateProbability(threshold - 0.2, p), 0.25)
          << threshold << " " << k;
      EXPECT_GT(CandidateProbability(std::min(1.0, threshold + 0.15), p), 0.75)
          << threshold << " " << k;
    }
  }
}

TEST(ChooseLshParamsTest, WeighingFalseNegativesRaisesRecall) {
  const LshParams balanced = ChooseLshParams(0.8, 128, 0.5, 0.5);
  const LshParams recall = ChooseLshParams(0.8, 128, 0.1, 0.9);
  const LshParams precision = ChooseLshParams(0.8, 128, 0.9, 0.1);
  EXPECT_GT(CandidateProbability(0.8, recall),
            CandidateProbability(0.8, balanced));
  EXPECT_LT(CandidateProbability(0.8, precision),
            CandidateProbability(0.8, balanced));
}

// The direct search ChooseLshParams replaced (one pow(s, rows) per
// (bands, rows) and grid point): the choice must be the same, ties included.
LshParams DirectSearch(double threshold, int num_hashes,
                       double false_positive_weight,
                       double false_negative_weight) {
  const auto integrate = [](auto f, double lo, double hi) {
    constexpr int kSteps = 256;
    const double h = (hi - lo) / kSteps;
    double sum = f(lo) + f(hi);
    for (int i = 1; i < kSteps; ++i) {
      sum += (i % 2 == 1 ? 4 : 2) * f(lo + i * h);
    }
    return sum * h / 3;
  };
  LshParams best{1, 1};
  double best_error = INFINITY;
  for (int bands = 1; bands <= num_hashes; ++bands) {
    for (int rows = 1; rows * bands <= num_hashes; ++rows) {
      const LshParams params{bands, rows};
      const double false_positive = integrate(
          [params](double s) { return CandidateProbability(s, params); }, 0.0,
          threshold);
      const double false_negative = integrate(
          [params](double s) { return 1.0 - CandidateProbability(s, params); },
          threshold, 1.0);
      const double error = false_positive_weight * false_positive +
                           false_negative_weight * false_negative;
      if (error < best_error) {
        best_error = error;
        best = params;
      }
    }
  }
  return best;
}

TEST(ChooseLshParamsTest, SameChoiceAsTheDirectSearch) {
  for (const double threshold : {0.05, 0.3, 0.5, 0.8, 0.95}) {
    for (const int k : {1, 7, 128}) {
      for (const auto& [fp, fn] :
           {std::pair{0.5, 0.5}, std::pair{0.02, 0.98}, std::pair{0.9, 0.1}}) {
        const LshParams chosen = ChooseLshParams(threshold, k, fp, fn);
        const LshParams direct = DirectSearch(threshold, k, fp, fn);
        EXPECT_EQ(chosen.bands, direct.bands) << threshold << " " << k;
        EXPECT_EQ(chosen.rows, direct.rows) << threshold << " " << k;
      }
    }
  }
}

// ChooseLshParams multiplies (1 - s^rows)^bands up instead of calling pow:
// the same choice as the direct search for dedup's weights at every
// threshold in steps of 0.01 (dedup's default sketch of 128 and a few
// smaller ones), where a near-tie would show.
TEST(ChooseLshParamsTest, SameChoiceAsTheDirectSearchOnAFineGrid) {
  for (int step = 5; step <= 95; ++step) {
    const double threshold = step / 100.0;
    for (const int k : {16, 50, 128}) {
      const LshParams chosen = ChooseLshParams(threshold, k, 0.02, 0.98);
      const LshParams direct = DirectSearch(threshold, k, 0.02, 0.98);
      EXPECT_EQ(chosen.bands, direct.bands) << threshold << " " << k;
      EXPECT_EQ(chosen.rows, direct.rows) << threshold << " " << k;
    }
  }
}

TEST(CandidateProbabilityTest, MonotoneFromZeroToOne) {
  for (const LshParams p : {LshParams{1, 1}, LshParams{9, 13}, LshParams{28, 2},
                            LshParams{64, 1}}) {
    EXPECT_DOUBLE_EQ(CandidateProbability(0.0, p), 0.0);
    EXPECT_DOUBLE_EQ(CandidateProbability(1.0, p), 1.0);
    double previous = 0;
    for (int i = 1; i <= 100; ++i) {
      const double probability = CandidateProbability(i / 100.0, p);
      EXPECT_GE(probability, previous);
      previous = probability;
    }
  }
  EXPECT_NEAR(CandidateProbability(0.5, {4, 2}), 1 - std::pow(0.75, 4), 1e-12);
}

TEST(BandKeyTest, DependsOnTheBandValuesAndIndex) {
  const LshParams p{3, 2};
  const uint32_t sketch[] = {1, 2, 1, 2, 1, 3};
  // Bands 0 and 1 hold the same values but are different bands.
  EXPECT_NE(BandKey(sketch, p, 0), BandKey(sketch, p, 1));
  const uint32_t other[] = {1, 2, 9, 9, 9, 9};
  EXPECT_EQ(BandKey(sketch, p, 0), BandKey(other, p, 0));
  EXPECT_NE(BandKey(sketch, p, 2), BandKey(other, p, 2));
  uint64_t keys[3];
  BandKeys(sketch, p, keys);
  for (int band = 0; band < 3; ++band) {
    EXPECT_EQ(keys[band], BandKey(sketch, p, band));
  }
}

// Sketches laid out flat, with one group per item unless told otherwise.
struct Items {
  std::vector<uint32_t> sketches;
  std::vector<uint32_t> group;
};

TEST(CandidatePairsTest, ItemsOfOneGroupNeverPair) {
  constexpr int kNumHashes = 4;
  Items items;
  // Four identical sketches: items 0, 1 in group 5, items 2, 3 in group 5 too.
  for (int i = 0; i < 4; ++i) {
    items.sketches.insert(items.sketches.end(), {1, 2, 3, 4});
    items.group.push_back(5);
  }
  LshOptions options;
  options.params = {2, 2};
  CandidateStats stats;
  EXPECT_TRUE(
      CandidatePairs(items.sketches, kNumHashes, items.group, options, &stats)
          .empty());
  EXPECT_EQ(stats.buckets, 0u);
  // One item in another group pairs once with group 5, whatever the number of
  // shared bands and items.
  items.sketches.insert(items.sketches.end(), {1, 2, 3, 4});
  items.group.push_back(2);
  EXPECT_EQ(
      CandidatePairs(items.sketches, kNumHashes, items.group, options, &stats),
      (Pairs{{2, 5}}));
  EXPECT_EQ(stats.buckets, 2u);
  EXPECT_EQ(stats.pairs, 1u);
}

TEST(CandidatePairsTest, OversizedBucketGivesAStar) {
  constexpr int kNumHashes = 2;
  Items items;
  // Ten groups, 10 .. 1, with identical sketches: one bucket per band.
  // Group 3 has two items; it still counts once.
  for (uint32_t g = 10; g >= 1; --g) {
    items.sketches.insert(items.sketches.end(), {7, 7});
    items.group.push_back(g);
  }
  items.sketches.insert(items.sketches.end(), {7, 7});
  items.group.push_back(3);
  // And a pair in its own small bucket.
  items.sketches.insert(items.sketches.end(), {8, 8, 8, 8});
  items.group.insert(items.group.end(), {20, 21});

  LshOptions options;
  options.params = {1, 2};
  options.max_bucket = 10;  // the bucket has exactly 10 groups: not oversized
  CandidateStats stats;
  Pairs pairs =
      CandidatePairs(items.sketches, kNumHashes, items.group, options, &stats);
  EXPECT_EQ(pairs.size(), 45u + 1u);
  EXPECT_EQ(stats.buckets, 2u);
  EXPECT_EQ(stats.oversized_buckets, 0u);

  options.max_bucket = 9;
  pairs =
      CandidatePairs(items.sketches, kNumHashes, items.group, options, &stats);
  Pairs expected;
  for (uint32_t g = 2; g <= 10; ++g) expected.push_back({1, g});
  expected.push_back({20, 21});
  EXPECT_EQ(pairs, expected);
  EXPECT_EQ(stats.buckets, 2u);
  EXPECT_EQ(stats.oversized_buckets, 1u);
  EXPECT_EQ(stats.pairs, expected.size());
}

TEST(CandidatePairsTest, FromBandKeysMatchesFromSketches) {
  constexpr int kNumHashes = 8;
  const LshParams params{4, 2};
  std::mt19937_64 rng(1);
  Items items;
  for (uint32_t i = 0; i < 2000; ++i) {
    for (int j = 0; j < kNumHashes; ++j) items.sketches.push_back(rng() % 3);
    items.group.push_back(i / 2);
  }
  std::vector<uint64_t> keys(items.group.size() * params.bands);
  for (size_t i = 0; i < items.group.size(); ++i) {
    BandKeys(&items.sketches[i * kNumHashes], params, &keys[i * params.bands]);
  }
  LshOptions options;
  options.params = params;
  options.max_bucket = 1000;
  CandidateStats from_sketches, from_keys;
  const Pairs expected = CandidatePairs(items.sketches, kNumHashes, items.group,
                                        options, &from_sketches);
  EXPECT_FALSE(expected.empty());
  EXPECT_EQ(CandidatePairsFromBandKeys(keys, items.group, options, &from_keys),
            expected);
  EXPECT_EQ(from_keys.buckets, from_sketches.buckets);
  EXPECT_EQ(from_keys.oversized_buckets, from_sketches.oversized_buckets);
}

// A generated collection: clusters of near-duplicates (pairwise J >= 0.8),
// pairs of related-but-different sets (J about 0.1), and unrelated sets.
class PlantedTest : public ::testing::Test {
 protected:
  static constexpr int kNumHashes = 128;
  static constexpr int kSetSize = 200;

  void SetUp() override {
    std::mt19937_64 rng(7);
    auto random_set = [&rng] {
      std::vector<uint64_t> set(kSetSize);
      for (uint64_t& x : set) x = rng();
      return set;
    };
    // 400 clusters of 4: each member replaces 10 of the base's 200 values,
    // so member-base J = 190/210 = 0.905 and member-member J >= 180/220.
    for (int c = 0; c < 400; ++c) {
      const std::vector<uint64_t> base = random_set();
      for (int m = 0; m < 4; ++m) {
        std::vector<uint64_t> member = base;
        for (int r = 0; r < 10; ++r) member[rng() % kSetSize] = rng();
        sets_.push_back(member);
      }
    }
    // 400 pairs with J = 36 / 364, about 0.1.
    for (int p = 0; p < 400; ++p) {
      std::vector<uint64_t> a = random_set();
      std::vector<uint64_t> b = random_set();
      std::copy(a.begin(), a.begin() + 36, b.begin());
      sets_.push_back(a);
      sets_.push_back(b);
    }
    // 1000 unrelated sets.
    for (int u = 0; u < 1000; ++u) sets_.push_back(random_set());

    const MinHasher hasher(MinHashOptions{kNumHashes});
    sketches_.resize(sets_.size() * kNumHashes);
    for (size_t i = 0; i < sets_.size(); ++i) {
      hasher.Sketch(sets_[i], &sketches_[i * kNumHashes]);
      group_.push_back(static_cast<uint32_t>(i));
    }
  }

  std::vector<std::vector<uint64_t>> sets_;
  std::vector<uint32_t> sketches_;
  std::vector<uint32_t> group_;
};

// Recall over the planted near-duplicate pairs and precision over all
// candidates, for the given LSH params; checks recall against the S-curve.
void CheckPlanted(const std::vector<std::vector<uint64_t>>& sets,
                  const Pairs& pairs, LshParams params, double min_recall) {
  std::set<std::pair<uint32_t, uint32_t>> truth;
  double expected_recall = 0;
  for (uint32_t c = 0; c < 400; ++c) {
    for (uint32_t i = 4 * c; i < 4 * c + 4; ++i) {
      for (uint32_t j = i + 1; j < 4 * c + 4; ++j) {
        const double jaccard = ExactJaccard(sets[i], sets[j]);
        ASSERT_GE(jaccard, 0.8);
        truth.insert({i, j});
        expected_recall += CandidateProbability(jaccard, params);
      }
    }
  }
  expected_recall /= truth.size();
  size_t found = 0;
  size_t related = 0;
  for (const auto& [a, b] : pairs) {
    found += truth.count({a, b});
    related += ExactJaccard(sets[a], sets[b]) >= 0.5;
  }
  const double recall = static_cast<double>(found) / truth.size();
  // 2400 pairs: the recall's standard deviation is below 0.01.
  EXPECT_NEAR(recall, expected_recall, 0.04)
      << params.bands << "x" << params.rows;
  EXPECT_GE(recall, min_recall) << params.bands << "x" << params.rows;
  // No J = 0.1 or unrelated pair: P(0.1) < 1e-8 for these params.
  EXPECT_EQ(related, pairs.size()) << params.bands << "x" << params.rows;
}

TEST_F(PlantedTest, FindsNearDuplicatesAndSkipsUnrelated) {
  LshOptions options;
  CandidateStats stats;
  // Balanced weights put the S-curve's midpoint above the threshold: pairs at
  // J = 0.82 .. 0.9 are found about 50 .. 90 % of the time.
  options.params = ChooseLshParams(0.8, kNumHashes);
  Pairs pairs = CandidatePairs(sketches_, kNumHashes, group_, options, &stats);
  EXPECT_EQ(stats.pairs, pairs.size());
  EXPECT_EQ(stats.oversized_buckets, 0u);
  CheckPlanted(sets_, pairs, options.params, 0.5);

  // Weighing false negatives 9:1 finds nearly all of them.
  options.params = ChooseLshParams(0.8, kNumHashes, 0.1, 0.9);
  pairs = CandidatePairs(sketches_, kNumHashes, group_, options, &stats);
  CheckPlanted(sets_, pairs, options.params, 0.9);
}

TEST_F(PlantedTest, SameResultForAnyThreadCountAndItemOrder) {
  LshOptions options;
  options.params = ChooseLshParams(0.5, kNumHashes);
  options.max_bucket = 3;  // some buckets are oversized
  CandidateStats one_stats;
  const Pairs one =
      CandidatePairs(sketches_, kNumHashes, group_, options, &one_stats);
  EXPECT_GT(one_stats.oversized_buckets, 0u);
  EXPECT_TRUE(std::is_sorted(one.begin(), one.end()));
  EXPECT_EQ(std::adjacent_find(one.begin(), one.end()), one.end());
  for (const auto& [a, b] : one) EXPECT_LT(a, b);

  for (int threads : {2, 3, 7}) {
    options.threads = threads;
    CandidateStats stats;
    EXPECT_EQ(CandidatePairs(sketches_, kNumHashes, group_, options, &stats),
              one)
        << threads;
    EXPECT_EQ(stats.buckets, one_stats.buckets);
    EXPECT_EQ(stats.oversized_buckets, one_stats.oversized_buckets);
  }

  // Reverse the items, keeping each item's group.
  const size_t n = group_.size();
  std::vector<uint32_t> sketches(sketches_.size());
  std::vector<uint32_t> group(n);
  for (size_t i = 0; i < n; ++i) {
    std::copy_n(&sketches_[(n - 1 - i) * kNumHashes], kNumHashes,
                &sketches[i * kNumHashes]);
    group[i] = group_[n - 1 - i];
  }
  options.threads = 1;
  EXPECT_EQ(CandidatePairs(sketches, kNumHashes, group, options), one);
}

}  // namespace
}  // namespace neardup
