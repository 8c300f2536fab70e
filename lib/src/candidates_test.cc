#include "candidates.h"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <map>
#include <random>
#include <string>
#include <utility>
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

// The count of capped pairs as it was first computed, document by document:
// for each document, the distinct later members of all its groups, minus
// the candidate pairs inside some group. Quadratic in the size of a group;
// the reference for the count FindCandidates makes by classes of documents.
size_t CappedPairsByDocument(const Candidates& c) {
  std::map<uint32_t, std::vector<std::pair<uint32_t, size_t>>> of_document;
  for (uint32_t g = 0; g < c.groups.size(); ++g) {
    const std::vector<uint32_t>& m = c.groups[g].members;
    for (size_t i = 0; i < m.size(); ++i) of_document[m[i]].push_back({g, i});
  }
  size_t total = 0;
  for (const auto& [d, memberships] : of_document) {
    std::vector<uint32_t> later;
    for (const auto& [g, position] : memberships) {
      const std::vector<uint32_t>& m = c.groups[g].members;
      later.insert(later.end(),
                   m.begin() + static_cast<ptrdiff_t>(position) + 1, m.end());
    }
    std::sort(later.begin(), later.end());
    total += static_cast<size_t>(std::unique(later.begin(), later.end()) -
                                 later.begin());
  }
  for (const auto& [a, b] : c.pairs) {
    const auto ia = of_document.find(a);
    const auto ib = of_document.find(b);
    if (ia == of_document.end() || ib == of_document.end()) continue;
    bool shared = false;
    for (const auto& ga : ia->second) {
      for (const auto& gb : ib->second) shared |= ga.first == gb.first;
    }
    total -= shared ? 1 : 0;
  }
  return total;
}

TEST(CandidatesTest, CappedPairsByClassEqualTheCountByDocument) {
  // Items fall into few keys per band, so buckets are oversized, often with
  // the same members in several bands (copies) and overlapping otherwise.
  // Several items may belong to one document, as scan's windows do.
  std::mt19937 random(7);
  size_t checked_groups = 0;
  for (int round = 0; round < 40; ++round) {
    const int bands = 1 + round % 6;
    const uint32_t documents = 20 + static_cast<uint32_t>(random() % 1000);
    const uint32_t items_per_document = 1 + round % 3;
    const uint32_t kinds = 1 + static_cast<uint32_t>(random() % 12);
    // A document's kind (its text, say) decides most of its keys, so
    // documents of one kind share buckets in most bands.
    std::vector<uint32_t> kind(documents);
    for (uint32_t& k : kind) k = static_cast<uint32_t>(random() % kinds);
    std::vector<uint64_t> keys;
    std::vector<uint32_t> owner;
    for (uint32_t d = 0; d < documents; ++d) {
      for (uint32_t item = 0; item < items_per_document; ++item) {
        owner.push_back(d);
        for (int band = 0; band < bands; ++band) {
          const uint32_t edit = static_cast<uint32_t>(random() % 10);
          uint64_t key = kind[d] % (1 + static_cast<uint32_t>(band) % 4);
          if (edit == 0) key = 1000 + random() % 3;  // shared by other kinds
          if (edit == 1) key = 1000000 + d;          // its own bucket
          if (edit == 2) key = 2000000 + d / 6;      // a few neighbours'
          keys.push_back(key * 64 + static_cast<uint64_t>(band));
        }
      }
    }
    LshOptions lsh;
    lsh.params = {bands, 1};
    // Small caps make small groups too: a few classes among many.
    lsh.max_bucket = 2 + static_cast<size_t>(random() % (round % 2 ? 4 : 30));
    size_t counted = 0;
    for (int threads : {1, 2}) {
      lsh.threads = threads;
      const Candidates c = FindCandidates(keys, owner, lsh);
      EXPECT_EQ(c.capped_pairs, CappedPairsByDocument(c)) << "round " << round;
      if (threads == 2) {
        EXPECT_EQ(c.capped_pairs, counted);
      }
      counted = c.capped_pairs;
      checked_groups += c.groups.size();
    }
  }
  // The generator made the case this test is about.
  EXPECT_GT(checked_groups, 100u);
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
  options.collapse_copies = false;  // the sketches' doing, not copies.h's
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
    options.collapse_copies = false;  // the candidate stage's groups
    auto result = Scan(documents, options);
    ASSERT_TRUE(result.ok()) << result.status();
    // The star around the first copy is aligned; the rest is counted.
    EXPECT_EQ(result->stats.candidate_pairs, 199u);
    EXPECT_GE(result->stats.candidate_groups, 1u);
    EXPECT_EQ(result->stats.capped_pairs, 200u * 199u / 2 - 199u);
  }
}

// Keys of a random text over `vocabulary` words, with `shared` (if not
// empty) copied in at `at` with every `noise`-th word replaced.
std::vector<uint64_t> RandomKeys(std::mt19937* random, size_t length,
                                 uint64_t vocabulary,
                                 const std::vector<uint64_t>& shared, size_t at,
                                 int noise) {
  std::uniform_int_distribution<uint64_t> word(0, vocabulary - 1);
  std::vector<uint64_t> keys(length);
  for (uint64_t& key : keys) key = word(*random);
  for (size_t k = 0; k < shared.size() && at + k < length; ++k) {
    keys[at + k] = noise > 0 && k % noise == 0 ? word(*random) : shared[k];
  }
  return keys;
}

TEST(ChainFilterTest, NeverRejectsAPairTheAlignerReports) {
  std::mt19937 random(9);
  ChainFilter filter;
  size_t reported = 0, rejected = 0;
  for (int trial = 0; trial < 1500; ++trial) {
    AlignOptions options;
    options.min_tokens = 5 + trial % 30;
    options.max_gap = 4 + trial % 13;
    const uint64_t vocabulary = 50 + (trial * 37) % 2000;
    std::vector<uint64_t> shared(static_cast<size_t>(trial % 60));
    for (uint64_t& key : shared) key = 5000 + random() % vocabulary;
    const int noise = trial % 5;
    const std::vector<uint64_t> a = RandomKeys(
        &random, 10 + trial % 300, vocabulary, shared, trial % 50, noise);
    const std::vector<uint64_t> b = RandomKeys(
        &random, 10 + (trial * 7) % 300, vocabulary, shared, trial % 17, noise);
    const KeyIndex a_index = IndexKeys(a), b_index = IndexKeys(b);
    const bool aligned = !AlignPassages(a, b, options).empty();
    const bool may =
        filter.MayShareChain({a, &a_index, {}}, {b, &b_index, {}}, options);
    EXPECT_TRUE(may || !aligned) << "trial " << trial;
    reported += aligned;
    rejected += !may;
  }
  // Both outcomes occur, so the check above means something.
  EXPECT_GT(reported, 100u);
  EXPECT_GT(rejected, 100u);
}

TEST(ChainFilterTest, SharedWordsTooFarApartCannotChain) {
  // B holds 40 of A's words, but 20 tokens apart: more than max_gap (12).
  std::vector<uint64_t> a(800), b(800);
  for (size_t k = 0; k < a.size(); ++k) {
    a[k] = 100000 + k;
    b[k] = 200000 + k;
  }
  for (size_t k = 0; k < 40; ++k) b[20 * k] = a[20 * k];
  const KeyIndex a_index = IndexKeys(a), b_index = IndexKeys(b);
  ChainFilter filter;
  const AlignOptions options;
  EXPECT_FALSE(
      filter.MayShareChain({a, &a_index, {}}, {b, &b_index, {}}, options));
  // Every 10th instead: 80 shared words 10 apart could form a chain, so
  // the pair passes and the aligner decides.
  for (size_t k = 0; k < 80; ++k) b[10 * k] = a[10 * k];
  const KeyIndex b_dense = IndexKeys(b);
  EXPECT_TRUE(
      filter.MayShareChain({a, &a_index, {}}, {b, &b_dense, {}}, options));
}

}  // namespace
}  // namespace neardup
