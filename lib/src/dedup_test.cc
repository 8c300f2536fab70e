#include "neardup/dedup.h"

#include <atomic>
#include <cstdint>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "dedup_internal.h"
#include "gtest/gtest.h"
#include "lsh.h"
#include "test_words.h"

namespace neardup {
namespace {

using ::neardup::testing::Word;
using ::neardup::testing::Words;

// With 5-word shingles, a text of L distinct words has S = L - 4 shingles;
// replacing its last k words by new ones keeps S - k of them, so the exact
// Jaccard similarity is (S - k) / (S + k). With S = 90: k = 9 gives 81/99 =
// 0.818, k = 10 gives 80/100 = 0.8 exactly, k = 11 gives 79/101 = 0.782.
constexpr int kBaseWords = 94;
std::string Base() { return Words(0, kBaseWords); }
std::string WithNewEnd(int k) {
  return Words(0, kBaseWords - k) + " " + Words(500000 + 100 * k, k);
}

DedupResult Dedup(const std::vector<std::string>& texts,
                  const DedupOptions& options = {}) {
  auto deduplicator = Deduplicator::Create(options);
  EXPECT_TRUE(deduplicator.ok()) << deduplicator.status();
  std::vector<std::string_view> views(texts.begin(), texts.end());
  EXPECT_TRUE((*deduplicator)->Add(views).ok());
  auto result = (*deduplicator)->Finish();
  EXPECT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(result->decisions.size(), texts.size());
  EXPECT_EQ(result->stats.kept + result->stats.dropped, texts.size());
  return *std::move(result);
}

TEST(SetSimilarityTest, JaccardAndContainment) {
  const std::vector<uint64_t> a = {1, 2, 3, 4};
  const std::vector<uint64_t> b = {3, 4, 5, 6, 7, 8};
  EXPECT_EQ(SortedIntersectionSize(a, b), 2u);
  EXPECT_DOUBLE_EQ(SetSimilarity(a, b, DedupMode::kJaccard), 2.0 / 8.0);
  EXPECT_DOUBLE_EQ(SetSimilarity(a, b, DedupMode::kContainment), 2.0 / 4.0);
  EXPECT_EQ(SetSimilarity({}, {}, DedupMode::kJaccard), 1.0);
  EXPECT_EQ(SetSimilarity({}, b, DedupMode::kJaccard), 0.0);
  EXPECT_EQ(SetSimilarity(a, {}, DedupMode::kContainment), 0.0);
}

TEST(DedupLshParamsTest, DefaultFavoursRecallAtTheThreshold) {
  const LshParams params = DedupLshParams(DedupOptions{});
  EXPECT_LE(params.bands * params.rows, 128);
  EXPECT_EQ(params.bands, 17);
  EXPECT_EQ(params.rows, 7);
  EXPECT_GE(CandidateProbability(0.8, params), 0.98);
  EXPECT_LE(CandidateProbability(0.3, params), 0.01);
  // Containment mode tunes LSH for half the threshold.
  DedupOptions containment;
  containment.mode = DedupMode::kContainment;
  EXPECT_GE(CandidateProbability(0.45, DedupLshParams(containment)), 0.9);
}

TEST(DeduplicatorTest, RejectsBadOptions) {
  DedupOptions options;
  options.threshold = 0;
  EXPECT_FALSE(Deduplicator::Create(options).ok());
  options = {};
  options.shingle = 0;
  EXPECT_FALSE(Deduplicator::Create(options).ok());
}

TEST(DeduplicatorTest, ExactCopiesJoinTheFirst) {
  const DedupResult result =
      Dedup({Base(), Words(1000, 50), Base(), Base(), Words(1000, 50)});
  const auto& d = result.decisions;
  EXPECT_TRUE(d[0].kept);
  EXPECT_TRUE(d[1].kept);
  EXPECT_FALSE(d[2].kept);
  EXPECT_EQ(d[2].representative, 0u);
  EXPECT_EQ(d[2].similarity, 1.0);
  EXPECT_EQ(d[3].representative, 0u);
  EXPECT_EQ(d[4].representative, 1u);
  EXPECT_EQ(result.stats.kept, 2u);
  EXPECT_EQ(result.stats.dropped, 3u);
  EXPECT_EQ(result.stats.duplicate_clusters, 2u);
}

TEST(DeduplicatorTest, NearCopiesAtAndAroundTheThreshold) {
  const DedupResult result =
      Dedup({Base(), WithNewEnd(9), WithNewEnd(10), WithNewEnd(11)});
  const auto& d = result.decisions;
  EXPECT_TRUE(d[0].kept);
  ASSERT_FALSE(d[1].kept);
  EXPECT_EQ(d[1].representative, 0u);
  EXPECT_DOUBLE_EQ(d[1].similarity, 81.0 / 99.0);
  // Exactly at the threshold counts as a duplicate.
  ASSERT_FALSE(d[2].kept);
  EXPECT_DOUBLE_EQ(d[2].similarity, 0.8);
  // Just below: kept, even though it is close to 1 and 2.
  EXPECT_TRUE(d[3].kept);
  EXPECT_EQ(d[3].representative, 3u);
}

TEST(DeduplicatorTest, ChainDoesNotMergeFarEnds) {
  // B = A with its last 9 words new, C = B with its first 9 words new:
  // J(A, B) = J(B, C) = 81/99, J(A, C) = 72/108.
  const std::string a = Base();
  const std::string b = WithNewEnd(9);
  const std::string c = Words(700000, 9) + " " + Words(9, kBaseWords - 18) +
                        " " + Words(500000 + 900, 9);
  const DedupResult result = Dedup({a, b, c});
  const auto& d = result.decisions;
  EXPECT_TRUE(d[0].kept);
  EXPECT_EQ(d[1].representative, 0u);
  EXPECT_TRUE(d[2].kept) << "C must not join A through B";
  EXPECT_EQ(d[2].representative, 2u);
  // Order matters: with B first, A and C both join B.
  const DedupResult middle_first = Dedup({b, a, c});
  EXPECT_TRUE(middle_first.decisions[0].kept);
  EXPECT_EQ(middle_first.decisions[1].representative, 0u);
  EXPECT_EQ(middle_first.decisions[2].representative, 0u);
}

TEST(DeduplicatorTest, ContainmentModeMergesAContainedText) {
  const std::string long_text = Words(0, 200);
  const std::string short_text = Words(50, 100);  // J = 96/196
  const DedupResult jaccard = Dedup({long_text, short_text});
  EXPECT_TRUE(jaccard.decisions[1].kept);
  DedupOptions options;
  options.mode = DedupMode::kContainment;
  const DedupResult containment = Dedup({long_text, short_text}, options);
  ASSERT_FALSE(containment.decisions[1].kept);
  EXPECT_EQ(containment.decisions[1].representative, 0u);
  EXPECT_EQ(containment.decisions[1].similarity, 1.0);
}

TEST(DeduplicatorTest, SharedBoilerplateAloneDoesNotMerge) {
  const std::string boilerplate = " " + Words(900000, 25);
  const DedupResult result =
      Dedup({Words(0, 100) + boilerplate, Words(1000, 100) + boilerplate,
             Words(2000, 100) + boilerplate});
  EXPECT_EQ(result.stats.kept, 3u);
}

TEST(DeduplicatorTest, EmptyTextsAreDuplicatesOfEachOtherOnly) {
  const DedupResult result = Dedup({"", Words(0, 3), "  \n", "", "!!"});
  const auto& d = result.decisions;
  EXPECT_TRUE(d[0].kept);
  EXPECT_TRUE(d[1].kept);
  EXPECT_EQ(d[2].representative, 0u);
  EXPECT_EQ(d[3].representative, 0u);
  EXPECT_EQ(d[4].representative, 0u);
  EXPECT_EQ(result.stats.kept, 2u);
}

TEST(DeduplicatorTest, KeepLongest) {
  // Base() has 94 words; Base() minus its last word is still >= 0.8 to it.
  const std::string shorter = Words(0, kBaseWords - 1);
  DedupOptions options;
  options.keep = DedupKeep::kLongest;
  const DedupResult result = Dedup({shorter, Base(), Base()}, options);
  const auto& d = result.decisions;
  EXPECT_FALSE(d[0].kept);
  EXPECT_EQ(d[0].representative, 1u);
  EXPECT_TRUE(d[1].kept);  // ties go to the first
  EXPECT_EQ(d[2].representative, 1u);
}

// Families of 1 to max_copies edited copies (a word in edit_one_in
// replaced) of random 80-word texts, shuffled.
std::vector<std::string> EditedFamilies(unsigned seed, int families,
                                        int max_copies, int edit_one_in) {
  std::mt19937 rng(seed);
  std::vector<std::string> texts;
  for (int family = 0; family < families; ++family) {
    const int copies = 1 + static_cast<int>(rng() % max_copies);
    for (int c = 0; c < copies; ++c) {
      std::string text;
      for (int w = 0; w < 80; ++w) {
        const bool edit = c > 0 && rng() % edit_one_in == 0;
        text += Word(edit ? 300000 + static_cast<int>(rng() % 100000)
                          : family * 100 + w);
        text += ' ';
      }
      texts.push_back(text);
    }
  }
  std::shuffle(texts.begin(), texts.end(), rng);
  return texts;
}

TEST(DeduplicatorTest, SameResultOnOneAndManyThreadsAndBatches) {
  const std::vector<std::string> texts = EditedFamilies(7, 300, 4, 60);
  DedupOptions one;
  one.threads = 1;
  const DedupResult a = Dedup(texts, one);
  DedupOptions four;
  four.threads = 4;
  auto deduplicator = Deduplicator::Create(four);
  ASSERT_TRUE(deduplicator.ok());
  std::vector<std::string_view> views(texts.begin(), texts.end());
  for (size_t begin = 0; begin < views.size(); begin += 97) {
    const size_t count = std::min<size_t>(97, views.size() - begin);
    ASSERT_TRUE((*deduplicator)->Add({views.data() + begin, count}).ok());
  }
  auto b = (*deduplicator)->Finish();
  ASSERT_TRUE(b.ok());
  ASSERT_EQ(a.decisions.size(), b->decisions.size());
  for (size_t i = 0; i < a.decisions.size(); ++i) {
    EXPECT_EQ(a.decisions[i].representative, b->decisions[i].representative);
    EXPECT_EQ(a.decisions[i].similarity, b->decisions[i].similarity);
  }
  EXPECT_GT(a.stats.dropped, 200u);
  // Every dropped document is >= threshold to its representative.
  for (const DedupDecision& decision : a.decisions) {
    if (!decision.kept) {
      EXPECT_GE(decision.similarity, 0.8);
    }
  }
}

TEST(DeduplicatorTest, SetsInMemoryOrInTheFileGiveTheSameResult) {
  // Near copies, so that many documents have a candidate and their sets are
  // read back: all in memory, some (the budget runs out part way), none.
  std::vector<std::string> texts;
  for (int k = 0; k < 40; ++k) {
    texts.push_back(Base());
    texts.push_back(WithNewEnd(k % 12));
    texts.push_back(Words(1000 * (k + 1), 60));
  }
  DedupOptions options;
  options.threads = 2;
  const uint64_t saved = dedup_sorted_in_memory_values;
  const DedupResult all = Dedup(texts, options);
  std::vector<DedupResult> others;
  for (const uint64_t budget : {uint64_t{500}, uint64_t{0}}) {
    dedup_sorted_in_memory_values = budget;
    others.push_back(Dedup(texts, options));
  }
  dedup_sorted_in_memory_values = saved;
  EXPECT_GT(all.stats.dropped, 50u);
  EXPECT_GT(all.stats.verified_pairs, 50u);
  for (const DedupResult& other : others) {
    ASSERT_EQ(other.decisions.size(), all.decisions.size());
    for (size_t i = 0; i < all.decisions.size(); ++i) {
      EXPECT_EQ(other.decisions[i].representative,
                all.decisions[i].representative);
      EXPECT_EQ(other.decisions[i].similarity, all.decisions[i].similarity);
    }
    EXPECT_EQ(other.stats.verified_pairs, all.stats.verified_pairs);
  }
}

// Finish(decided) gives Finish()'s decisions, and tells them as they
// become final: in input order, a growing prefix that no later call
// changes, several times over with --keep first (the candidates' sets then
// sorted on demand, by a helper thread too with several workers, in memory
// or in the file), once at the end with --keep longest.
TEST(DeduplicatorTest, FinishTellsFinalDecisionsInInputOrderAsTheyCome) {
  const std::vector<std::string> texts = EditedFamilies(11, 400, 3, 40);
  std::vector<std::string_view> views(texts.begin(), texts.end());
  const uint64_t saved = dedup_sorted_in_memory_values;
  for (const DedupKeep keep : {DedupKeep::kFirst, DedupKeep::kLongest}) {
    for (const int threads : {1, 2, 4}) {
      for (const uint64_t budget : {saved, uint64_t{2000}, uint64_t{0}}) {
        SCOPED_TRACE(::testing::Message()
                     << "keep " << static_cast<int>(keep) << ", threads "
                     << threads << ", budget " << budget);
        dedup_sorted_in_memory_values = budget;
        DedupOptions options;
        options.keep = keep;
        options.threads = threads;
        const DedupResult expected = Dedup(texts, options);
        auto deduplicator = Deduplicator::Create(options);
        ASSERT_TRUE(deduplicator.ok());
        ASSERT_TRUE((*deduplicator)->Add(views).ok());
        std::vector<DedupDecision> told;  // the prefixes, as told
        size_t calls = 0;
        auto result =
            (*deduplicator)
                ->Finish([&](absl::Span<const DedupDecision> prefix) {
                  ++calls;
                  EXPECT_GT(prefix.size(), told.size());
                  for (size_t i = 0; i < told.size(); ++i) {
                    EXPECT_EQ(prefix[i].representative, told[i].representative);
                  }
                  told.assign(prefix.begin(), prefix.end());
                });
        ASSERT_TRUE(result.ok()) << result.status();
        EXPECT_EQ(result->stats.verified_pairs, expected.stats.verified_pairs);
        ASSERT_EQ(told.size(), texts.size());
        for (size_t i = 0; i < texts.size(); ++i) {
          EXPECT_EQ(told[i].representative,
                    expected.decisions[i].representative);
          EXPECT_EQ(told[i].similarity, expected.decisions[i].similarity);
          EXPECT_EQ(result->decisions[i].representative,
                    expected.decisions[i].representative);
        }
        if (keep == DedupKeep::kFirst) {
          EXPECT_GT(calls, texts.size() / 300);
        } else {
          EXPECT_EQ(calls, 1u);
        }
        EXPECT_GT(expected.stats.dropped, 150u);
      }
    }
  }
  dedup_sorted_in_memory_values = saved;
}

TEST(DeduplicatorTest, PairsLeftOutByTheBucketCapAreCounted) {
  DedupOptions options;
  options.max_bucket = 10;
  // 30 copies: every band's bucket is over the cap; the first is compared
  // with the other 29, the remaining 30 * 29 / 2 - 29 pairs are not.
  const DedupResult copies =
      Dedup(std::vector<std::string>(30, Base()), options);
  EXPECT_EQ(copies.stats.dropped, 29u);
  EXPECT_EQ(copies.stats.oversized_buckets,
            static_cast<size_t>(copies.stats.bands));
  EXPECT_EQ(copies.stats.capped_pairs, 30u * 29 / 2 - 29);
  // 10 copies fit in a bucket: every pair is a candidate, none left out.
  const DedupResult few = Dedup(std::vector<std::string>(10, Base()), options);
  EXPECT_EQ(few.stats.oversized_buckets, 0u);
  EXPECT_EQ(few.stats.capped_pairs, 0u);
}

TEST(DeduplicatorTest, AddAfterFinishFails) {
  auto deduplicator = Deduplicator::Create();
  ASSERT_TRUE(deduplicator.ok());
  ASSERT_TRUE((*deduplicator)->Finish().ok());
  const std::string_view text = "a b c";
  EXPECT_FALSE((*deduplicator)->Add({&text, 1}).ok());
  EXPECT_FALSE((*deduplicator)->Finish().ok());
}

TEST(DeduplicatorTest, CancelledAddAndFinishReturnCancelled) {
  std::atomic<bool> cancel{false};
  DedupOptions options;
  options.cancel = &cancel;
  auto deduplicator = Deduplicator::Create(options);
  ASSERT_TRUE(deduplicator.ok()) << deduplicator.status();
  const std::string base = Base();
  const std::vector<std::string_view> texts = {base, base};
  ASSERT_TRUE((*deduplicator)->Add(texts).ok());
  cancel = true;
  EXPECT_TRUE(absl::IsCancelled((*deduplicator)->Add(texts)));
  EXPECT_EQ((*deduplicator)->size(), 2u);
  EXPECT_TRUE(absl::IsCancelled((*deduplicator)->Finish().status()));
}

}  // namespace
}  // namespace neardup
