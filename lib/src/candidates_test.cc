#include "candidates.h"

#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "neardup/dedup.h"
#include "neardup/neardup.h"
#include "test_words.h"

namespace neardup {
namespace {

using ::neardup::testing::Words;

SketchOptions Valid() {
  SketchOptions options;
  options.num_hashes = 64;
  options.params = {21, 3};
  return options;
}

TEST(CandidatesTest, ValidationRejectsEachBadValue) {
  EXPECT_TRUE(ValidateSketchOptions(Valid()).ok());
  SketchOptions o = Valid();
  o.num_hashes = 70000;
  EXPECT_TRUE(absl::IsInvalidArgument(ValidateSketchOptions(o)));
  o = Valid();
  o.num_hashes = 0;
  EXPECT_TRUE(absl::IsInvalidArgument(ValidateSketchOptions(o)));
  o = Valid();
  o.shingle = 0;
  EXPECT_TRUE(absl::IsInvalidArgument(ValidateSketchOptions(o)));
  o = Valid();
  o.params = {33, 2};  // 66 > 64 values
  EXPECT_TRUE(absl::IsInvalidArgument(ValidateSketchOptions(o)));
  o = Valid();
  o.params = {0, 3};
  EXPECT_TRUE(absl::IsInvalidArgument(ValidateSketchOptions(o)));
}

TEST(CandidatesTest, LshParamsForAnyThresholdFitTheSketch) {
  for (double t : {std::nan(""), -1.0, 0.0, 0.3, 1.0, 2.0,
                   std::numeric_limits<double>::infinity()}) {
    const LshParams p = LshParamsFor(t, 64, 0.2, 0.8);
    EXPECT_GE(p.bands, 1) << t;
    EXPECT_GE(p.rows, 1) << t;
    EXPECT_LE(p.bands * p.rows, 64) << t;
  }
}

TEST(CandidatesTest, EveryNonEmptyDocumentHasWindowsCoveringIt) {
  EXPECT_TRUE(Windows(0, 32, 16).empty());
  for (size_t tokens : {1u, 2u, 19u, 32u}) {
    const std::vector<TokenRange> w = Windows(tokens, 32, 16);
    ASSERT_EQ(w.size(), 1u) << tokens;
    EXPECT_EQ(w[0].begin, 0u);
    EXPECT_EQ(w[0].end, tokens);
  }
  const std::vector<TokenRange> w = Windows(100, 32, 16);
  ASSERT_FALSE(w.empty());
  EXPECT_EQ(w.front().begin, 0u);
  EXPECT_EQ(w.back().end, 100u);
  for (size_t i = 1; i < w.size(); ++i) {
    EXPECT_EQ(w[i].begin, w[i - 1].begin + 16);
    EXPECT_LE(w[i].size(), 32u);
    EXPECT_GT(w[i - 1].end, w[i].begin);  // they overlap: no gap
  }
}

TEST(CandidatesTest, SketcherGivesEqualKeysForEqualSets) {
  const SketchOptions options = Valid();
  const MinHasher hasher(MinHashOptions{options.num_hashes, options.seed});
  BandSketcher sketcher(options, &hasher);
  std::vector<uint64_t> a(21), b(21), c(21);
  const std::vector<uint64_t> keys = {1, 2, 1, 2, 3};
  const std::vector<uint64_t> repeated = {1, 2, 3, 1, 2, 1, 2, 3};
  const std::vector<uint64_t> other = {7, 8, 9, 10, 11, 12};
  sketcher.Sketch(keys, a.data());
  EXPECT_EQ(sketcher.shingles().size(), 4u);  // bigrams in order
  sketcher.Sketch(repeated, b.data());        // same set: 12 21 23 31
  sketcher.Sketch(other, c.data());
  EXPECT_EQ(a, b);
  for (int band = 0; band < 21; ++band) EXPECT_NE(a[band], c[band]);
}

// `count` items with equal keys in every band, one per document.
Candidates OneBucket(uint32_t count, int threads) {
  std::vector<uint64_t> keys(count * 2);
  std::vector<uint32_t> owner(count);
  for (uint32_t i = 0; i < count; ++i) {
    keys[i * 2] = 42;
    keys[i * 2 + 1] = 1000 + i;  // band 1: all distinct ...
    owner[i] = i;
  }
  keys[5 * 2 + 1] = keys[7 * 2 + 1];  // ... but documents 5 and 7 meet there
  LshOptions lsh;
  lsh.params = {2, 1};
  lsh.max_bucket = 64;
  lsh.threads = threads;
  return FindCandidates(keys, owner, lsh);
}

TEST(CandidatesTest, OversizedBucketIsAGroupAndWhatItCapsIsCounted) {
  const Candidates c = OneBucket(100, 1);
  // The star around document 0, plus (5, 7) from the other band.
  EXPECT_EQ(c.pairs.size(), 99u + 1u);
  ASSERT_EQ(c.groups.size(), 1u);
  ASSERT_EQ(c.groups[0].members.size(), 100u);
  for (uint32_t i = 0; i < 100; ++i) EXPECT_EQ(c.groups[0].members[i], i);
  EXPECT_EQ(c.capped_pairs, 100u * 99u / 2 - 100u);
  EXPECT_EQ(c.stats.oversized_buckets, 1u);

  const Candidates small = OneBucket(64, 1);
  EXPECT_EQ(small.pairs.size(), 64u * 63u / 2);
  EXPECT_TRUE(small.groups.empty());
  EXPECT_EQ(small.capped_pairs, 0u);
}

TEST(CandidatesTest, OverlappingGroupsCountEachCappedPairOnce) {
  // Documents 0..99 share a key in band 0, documents 50..149 in band 1.
  std::vector<uint64_t> keys;
  std::vector<uint32_t> owner;
  for (uint32_t d = 0; d < 150; ++d) {
    keys.push_back(d < 100 ? 1 : 2000 + d);
    keys.push_back(d >= 50 ? 2 : 3000 + d);
    owner.push_back(d);
  }
  LshOptions lsh;
  lsh.params = {2, 1};
  lsh.max_bucket = 64;
  for (int threads : {1, 2}) {
    lsh.threads = threads;
    const Candidates c = FindCandidates(keys, owner, lsh);
    ASSERT_EQ(c.groups.size(), 2u);
    // Union of the two cliques: 4950 + 4950 - 1225 (50..99 in both).
    const size_t in_groups = 4950 + 4950 - 1225;
    // Stars: 0 with 1..99, 50 with 51..149; (50, 51..99) are in both
    // groups, (0, 50) once.
    EXPECT_EQ(c.pairs.size(), 99u + 99u);
    EXPECT_EQ(c.capped_pairs, in_groups - c.pairs.size());
  }
}

TEST(CandidatesTest, ScanRejectsSketchOptionsThatWouldOverflow) {
  std::vector<Document> documents = {{"a", Words(0, 30)}, {"b", Words(0, 30)}};
  ScanOptions options;
  options.windows.num_hashes = 70000;
  EXPECT_TRUE(absl::IsInvalidArgument(Scan(documents, options).status()));
  options.windows.num_hashes = 64;
  options.windows.threshold = std::nan("");
  EXPECT_TRUE(absl::IsInvalidArgument(Scan(documents, options).status()));
  DedupOptions dedup;
  dedup.num_hashes = 70000;
  EXPECT_TRUE(absl::IsInvalidArgument(Deduplicator::Create(dedup).status()));
  dedup.num_hashes = 128;
  dedup.lsh_threshold = std::nan("");
  EXPECT_TRUE(absl::IsInvalidArgument(Deduplicator::Create(dedup).status()));
}

TEST(CandidatesTest, ShortIdenticalPostsAmongManyDocumentsAreCandidates) {
  // 19 words: below min_tokens, so they had no window before.
  std::vector<Document> documents;
  for (int d = 0; d < 100; ++d) {
    documents.push_back({"long" + std::to_string(d), Words(10000 * d, 300)});
  }
  // Words no long document holds (long d holds 10000 d ... 10000 d + 299).
  documents.push_back({"post1", Words(905000, 19)});
  documents.push_back({"post2", Words(905000, 19)});
  ScanOptions options;
  options.threads = 2;
  auto result = Scan(documents, options);
  ASSERT_TRUE(result.ok()) << result.status();
  // Over 64 documents, so this is the sketches' doing, not the small-
  // collection rule; the long documents share nothing.
  EXPECT_EQ(result->stats.candidate_pairs, 1u);
  EXPECT_EQ(result->stats.capped_pairs, 0u);
}

TEST(CandidatesTest, ManyIdenticalDocumentsAreAGroupWithCappedPairsCounted) {
  std::vector<Document> documents;
  for (int d = 0; d < 200; ++d) {
    documents.push_back({"copy" + std::to_string(d), Words(0, 60)});
  }
  for (int threads : {1, 2}) {
    ScanOptions options;
    options.threads = threads;
    auto result = Scan(documents, options);
    ASSERT_TRUE(result.ok()) << result.status();
    // The star around the first copy is aligned; the rest is counted.
    EXPECT_EQ(result->stats.candidate_pairs, 199u);
    EXPECT_GE(result->stats.candidate_groups, 1u);
    EXPECT_EQ(result->stats.capped_pairs, 200u * 199u / 2 - 199u);
  }
}

}  // namespace
}  // namespace neardup
