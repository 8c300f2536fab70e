#include "align.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

#include "gtest/gtest.h"

namespace neardup {
namespace {

// Distinct token keys [first, first + n).
std::vector<uint64_t> KeyRun(uint64_t first, int n) {
  std::vector<uint64_t> keys;
  for (int k = 0; k < n; ++k) keys.push_back(first + k);
  return keys;
}

std::vector<uint64_t> Concat(
    std::initializer_list<std::vector<uint64_t>> parts) {
  std::vector<uint64_t> out;
  for (const auto& part : parts)
    out.insert(out.end(), part.begin(), part.end());
  return out;
}

TEST(AlignPassagesTest, IdenticalTextsAreOnePassage) {
  const std::vector<uint64_t> text = KeyRun(1, 60);
  const auto passages = AlignPassages(text, text, AlignOptions());
  ASSERT_EQ(passages.size(), 1u);
  EXPECT_EQ(passages[0].a.begin, 0u);
  EXPECT_EQ(passages[0].a.end, 60u);
  EXPECT_EQ(passages[0].b.begin, 0u);
  EXPECT_EQ(passages[0].b.end, 60u);
  EXPECT_DOUBLE_EQ(passages[0].score, 1.0);
  EXPECT_EQ(passages[0].anchors, 60u);
}

TEST(AlignPassagesTest, FindsPassageEmbeddedInUnrelatedText) {
  const std::vector<uint64_t> a = KeyRun(1000, 100);
  const std::vector<uint64_t> shared(a.begin() + 30, a.begin() + 80);
  const std::vector<uint64_t> b =
      Concat({KeyRun(5000, 40), shared, KeyRun(6000, 40)});
  const auto passages = AlignPassages(a, b, AlignOptions());
  ASSERT_EQ(passages.size(), 1u);
  EXPECT_EQ(passages[0].a.begin, 30u);
  EXPECT_EQ(passages[0].a.end, 80u);
  EXPECT_EQ(passages[0].b.begin, 40u);
  EXPECT_EQ(passages[0].b.end, 90u);
}

TEST(AlignPassagesTest, ToleratesSubstitutionsInsertionsAndDeletions) {
  std::vector<uint64_t> a = KeyRun(1, 80);
  std::vector<uint64_t> b = a;
  for (size_t k = 3; k < b.size(); k += 7) b[k] = 90000 + k;  // substitutions
  b.insert(b.begin() + 40, {70001, 70002, 70003});            // insertion
  b.erase(b.begin() + 60, b.begin() + 62);                    // deletion
  const auto passages = AlignPassages(a, b, AlignOptions());
  ASSERT_EQ(passages.size(), 1u);
  EXPECT_EQ(passages[0].a.begin, 0u);
  EXPECT_EQ(passages[0].a.end, 80u);
  EXPECT_EQ(passages[0].b.begin, 0u);
  EXPECT_EQ(passages[0].b.end, b.size());
  EXPECT_GT(passages[0].score, 0.75);
  EXPECT_LT(passages[0].score, 1.0);
}

TEST(AlignPassagesTest, LocallyReorderedListStaysOnePassage) {
  // "x, y and z" in A becomes "z, x and y" in B, inside a longer passage.
  const auto x = KeyRun(100, 4), y = KeyRun(200, 4), z = KeyRun(300, 4);
  const auto a = Concat({KeyRun(1, 20), x, y, z, KeyRun(50, 20)});
  const auto b = Concat({KeyRun(1, 20), z, x, y, KeyRun(50, 20)});
  const auto passages = AlignPassages(a, b, AlignOptions());
  ASSERT_EQ(passages.size(), 1u);
  EXPECT_EQ(passages[0].a.size(), a.size());
  EXPECT_EQ(passages[0].b.size(), b.size());
  EXPECT_DOUBLE_EQ(passages[0].score, 1.0);
}

TEST(AlignPassagesTest, SwappedParagraphsAreSeparatePassages) {
  const auto p1 = KeyRun(1, 40), p2 = KeyRun(1000, 40);
  const auto a = Concat({p1, p2});
  const auto b = Concat({p2, p1});
  const auto passages = AlignPassages(a, b, AlignOptions());
  ASSERT_EQ(passages.size(), 2u);
  EXPECT_EQ(passages[0].a.begin, 0u);
  EXPECT_EQ(passages[0].b.begin, 40u);
  EXPECT_EQ(passages[1].a.begin, 40u);
  EXPECT_EQ(passages[1].b.begin, 0u);
}

TEST(AlignPassagesTest, ShortStockPhraseIsNotReportedByDefault) {
  const auto phrase = KeyRun(7, 10);
  const auto a = Concat({KeyRun(1000, 30), phrase, KeyRun(2000, 30)});
  const auto b = Concat({KeyRun(3000, 30), phrase, KeyRun(4000, 30)});
  EXPECT_TRUE(AlignPassages(a, b, AlignOptions()).empty());
  AlignOptions lenient;
  lenient.min_tokens = 8;
  const auto passages = AlignPassages(a, b, lenient);
  ASSERT_EQ(passages.size(), 1u);
  EXPECT_EQ(passages[0].a.begin, 30u);
  EXPECT_EQ(passages[0].a.end, 40u);
}

TEST(AlignPassagesTest, FrequentWordsAloneNeverMakeAPassage) {
  // Two unrelated texts built from the same 10 function words.
  std::vector<uint64_t> a, b;
  for (int k = 0; k < 500; ++k) {
    a.push_back(k % 10);
    b.push_back((k * 7) % 10);
  }
  EXPECT_TRUE(AlignPassages(a, b, AlignOptions()).empty());
}

TEST(AlignPassagesTest, OneRepeatedTokenIsBoundedWork) {
  const std::vector<uint64_t> a(200000, 42), b(200000, 42);
  // Not an anchor (f_a * f_b is huge), so no quadratic blow-up and nothing
  // to report.
  EXPECT_TRUE(AlignPassages(a, b, AlignOptions()).empty());
}

TEST(AlignPassagesTest, LongIdenticalTextIsOnePassageWhereverChainsBreak) {
  // 2,000 runs of 30 distinct words, each followed by 13 copies of a
  // frequent word (not an anchor), more than max_gap: the chains break
  // after every run. Extension over the identical text joins them into one
  // passage. It used to extend every chain to both ends of the text, and
  // report 2,000 copies of one passage covering all of it: quadratic time
  // and output.
  std::vector<uint64_t> text;
  for (int run = 0; run < 2000; ++run) {
    const auto words = KeyRun(1000 + 30 * run, 30);
    text.insert(text.end(), words.begin(), words.end());
    text.insert(text.end(), 13, 7);
  }
  const auto passages = AlignPassages(text, text, AlignOptions());
  ASSERT_EQ(passages.size(), 1u);
  EXPECT_EQ(passages[0].a.begin, 0u);
  EXPECT_EQ(passages[0].a.end, text.size());
  EXPECT_EQ(passages[0].b.begin, 0u);
  EXPECT_EQ(passages[0].b.end, text.size());
  EXPECT_EQ(passages[0].anchors, 2000u * 30);
  EXPECT_DOUBLE_EQ(passages[0].score, 1.0);
}

TEST(AlignPassagesTest, IdenticalGapJoinsTwoChainsButADifferenceDoesNot) {
  // Two runs of 25 shared words separated by 15 copies of a frequent word:
  // identical gap, one passage. With one gap word changed in b, two.
  const auto first = KeyRun(100, 25), second = KeyRun(200, 25);
  const std::vector<uint64_t> gap(15, 7);
  std::vector<uint64_t> filler;  // makes key 7 frequent in both texts
  for (int k = 0; k < 20; ++k) filler.insert(filler.end(), {7, 5000u + k});
  const auto a = Concat({first, gap, second, filler});
  auto b = Concat({first, gap, second});
  auto passages = AlignPassages(a, b, AlignOptions());
  ASSERT_EQ(passages.size(), 1u);
  EXPECT_EQ(passages[0].a.begin, 0u);
  EXPECT_EQ(passages[0].a.end, 65u);
  EXPECT_EQ(passages[0].anchors, 50u);
  b[25 + 7] = 9;
  passages = AlignPassages(a, b, AlignOptions());
  ASSERT_EQ(passages.size(), 2u);
  EXPECT_EQ(passages[0].a.end, 32u);
  EXPECT_EQ(passages[1].a.begin, 33u);
}

TEST(AlignPassagesTest, MergedPassageNeverHasMoreAnchorsThanTokens) {
  // Found by the align fuzzer: repeated runs ("15 11 7 7 14 9 0" twice on
  // both sides) give chains that interleave. Merging every pair of chains
  // one walk ran into joined two that overlapped, and counted their
  // anchors twice. Only chains that ran into each other merge now, so a
  // passage is a sequence of chains one after the other.
  const std::vector<uint64_t> a = {4,  2,  8,  3,  15, 14, 15, 12, 6,
                                   7,  15, 11, 7,  7,  14, 9,  0,  15,
                                   11, 7,  7,  14, 9,  0,  13, 3};
  const std::vector<uint64_t> b = {
      14, 0,  12, 1,  9,  3,  15, 0,  12, 13, 0,  14, 8,  7,  0,  12, 0,
      10, 0,  0,  8,  0,  0,  0,  0,  0,  0,  0,  7,  15, 11, 7,  7,  14,
      9,  0,  15, 11, 7,  7,  14, 9,  0,  13, 3,  15, 14, 0,  12, 1,  9,
      3,  15, 0,  12, 13, 0,  14, 8,  7,  0,  12, 0,  11, 0,  0,  13, 3,
      15, 14, 0,  12, 9,  15, 15, 15, 15, 15, 9,  7,  11, 10, 7};
  AlignOptions options;
  options.min_tokens = 1;
  const auto passages = AlignPassages(a, b, options);
  ASSERT_FALSE(passages.empty());
  for (const AlignedPassage& p : passages) {
    EXPECT_LE(p.anchors, p.a.size());
    EXPECT_LE(p.anchors, p.b.size());
  }
}

TEST(AlignPassagesTest, EmptyInputs) {
  const std::vector<uint64_t> empty, text = KeyRun(1, 30);
  EXPECT_TRUE(AlignPassages(empty, empty, AlignOptions()).empty());
  EXPECT_TRUE(AlignPassages(text, empty, AlignOptions()).empty());
  EXPECT_TRUE(AlignPassages(empty, text, AlignOptions()).empty());
}

TEST(AlignPassagesTest, BoundariesIncludeIdenticalFrequentWordsAtTheEdges) {
  // Key 0 is frequent in both texts (not an anchor) but borders the passage.
  std::vector<uint64_t> a, b;
  for (int k = 0; k < 31; ++k) a.push_back(k % 2 ? 0 : 5000 + k);
  for (int k = 0; k < 31; ++k) b.push_back(k % 2 ? 0 : 8000 + k);
  const auto shared = Concat({{0}, KeyRun(100, 30), {0}});
  const auto aa = Concat({a, shared, a});
  const auto bb = Concat({b, shared, b});
  const auto passages = AlignPassages(aa, bb, AlignOptions());
  ASSERT_EQ(passages.size(), 1u);
  EXPECT_EQ(passages[0].a.size(), shared.size());
  EXPECT_EQ(passages[0].a.begin, 31u);
}

TEST(AlignPassagesTest, LoneSharedWordBeforeOrAfterThePassageIsNotAnEdge) {
  // Key 9 (a function word, rare enough to be an anchor) occurs in the
  // unrelated text 6 tokens before the passage in a and 10 in b, and 3 and 8
  // tokens after it: within max_gap, so the chain reaches it. It used to
  // become the passage's first and last word.
  const auto passage = KeyRun(100, 30);
  const auto a = Concat({KeyRun(1000, 20),
                         {9},
                         KeyRun(1100, 5),
                         passage,
                         KeyRun(1200, 2),
                         {9},
                         KeyRun(1300, 20)});
  const auto b = Concat({KeyRun(2000, 20),
                         {9},
                         KeyRun(2100, 9),
                         passage,
                         KeyRun(2200, 7),
                         {9},
                         KeyRun(2300, 20)});
  const auto passages = AlignPassages(a, b, AlignOptions());
  ASSERT_EQ(passages.size(), 1u);
  EXPECT_EQ(passages[0].a.begin, 26u);
  EXPECT_EQ(passages[0].a.end, 56u);
  EXPECT_EQ(passages[0].b.begin, 30u);
  EXPECT_EQ(passages[0].b.end, 60u);
  EXPECT_EQ(passages[0].anchors, 30u);
}

TEST(AlignPassagesTest, TwoWordsCloseToThePassageStayInIt) {
  // A paraphrased edge: two identical words, one substituted word, then the
  // rest. Two words a token away are still part of the passage.
  const auto passage = KeyRun(100, 30);
  const auto a =
      Concat({KeyRun(1000, 20), {7, 8}, {1500}, passage, KeyRun(1300, 20)});
  const auto b =
      Concat({KeyRun(2000, 20), {7, 8}, {2500}, passage, KeyRun(2300, 20)});
  const auto passages = AlignPassages(a, b, AlignOptions());
  ASSERT_EQ(passages.size(), 1u);
  EXPECT_EQ(passages[0].a.begin, 20u);
  EXPECT_EQ(passages[0].b.begin, 20u);
  EXPECT_EQ(passages[0].a.end, 53u);
}

TEST(AlignPassagesTest, WhollySharedShortTextsArePassages) {
  // Below min_tokens, but all of the shorter text: two identical 19-word
  // posts, and a 12-word headline inside a long article.
  const auto post = KeyRun(100, 19);
  auto passages = AlignPassages(post, post, AlignOptions());
  ASSERT_EQ(passages.size(), 1u);
  EXPECT_EQ(passages[0].a.size(), 19u);
  const auto headline = KeyRun(500, 12);
  const auto article = Concat({KeyRun(1000, 150), headline, KeyRun(2000, 150)});
  passages = AlignPassages(headline, article, AlignOptions());
  ASSERT_EQ(passages.size(), 1u);
  EXPECT_EQ(passages[0].b.begin, 150u);
  EXPECT_EQ(passages[0].b.end, 162u);
  // Fewer than short_text_min_tokens words: not reported.
  const auto greeting = KeyRun(700, 7);
  EXPECT_TRUE(AlignPassages(greeting, greeting, AlignOptions()).empty());
  // Most of the shorter text, but it is long: min_tokens applies.
  const auto shared = KeyRun(900, 15);
  const auto a = Concat({KeyRun(3000, 2), shared, KeyRun(3100, 1)});
  const auto b = Concat({KeyRun(4000, 40), shared, KeyRun(4100, 40)});
  EXPECT_EQ(AlignPassages(a, b, AlignOptions()).size(), 1u);
  const auto long_a = Concat({KeyRun(5000, 40), shared, KeyRun(5100, 1)});
  EXPECT_TRUE(AlignPassages(long_a, b, AlignOptions()).empty());
  // The rule off.
  AlignOptions off;
  off.short_text_share = 1.5;
  EXPECT_TRUE(AlignPassages(post, post, off).empty());
}

// A: 40 keys of 30 (with repeats). B: 160 keys, where B[50, 90) copies
// A[0, 40) with about one key in five changed, the rest drawn from
// `alphabet` keys.
void RandomCopy(std::mt19937& random, uint64_t alphabet,
                std::vector<uint64_t>* a, std::vector<uint64_t>* b) {
  for (int k = 0; k < 40; ++k) a->push_back(random() % 30);
  for (int k = 0; k < 160; ++k) {
    if (k >= 50 && k < 90 && random() % 5 != 0) {
      b->push_back((*a)[k - 50]);
    } else {
      b->push_back(random() % alphabet);
    }
  }
}

void ExpectSamePassages(const std::vector<AlignedPassage>& expected,
                        const std::vector<AlignedPassage>& got, int trial) {
  ASSERT_EQ(expected.size(), got.size()) << trial;
  for (size_t p = 0; p < expected.size(); ++p) {
    EXPECT_EQ(expected[p].a.begin, got[p].a.begin) << trial;
    EXPECT_EQ(expected[p].a.end, got[p].a.end) << trial;
    EXPECT_EQ(expected[p].b.begin, got[p].b.begin) << trial;
    EXPECT_EQ(expected[p].b.end, got[p].b.end) << trial;
    EXPECT_EQ(expected[p].anchors, got[p].anchors) << trial;
    EXPECT_EQ(expected[p].matched, got[p].matched) << trial;
    EXPECT_EQ(expected[p].score, got[p].score) << trial;
  }
}

TEST(AlignPassagesTest, IndexMayLeaveOutKeysTheOtherTextLacks) {
  // `contamination` indexes only the window tokens whose key the item has.
  std::mt19937 random(20261129);
  size_t passages = 0;
  for (int trial = 0; trial < 50; ++trial) {
    std::vector<uint64_t> a, b;
    RandomCopy(random, 200, &a, &b);
    const KeyIndex a_index = IndexKeys(a);
    const KeyIndex b_full = IndexKeys(b);
    KeyIndex b_part;
    for (uint32_t position : b_full.positions) {
      if (std::find(a.begin(), a.end(), b[position]) != a.end()) {
        b_part.positions.push_back(position);
      }
    }
    ASSERT_LT(b_part.positions.size(), b_full.positions.size());
    AlignOptions options;
    options.min_tokens = 5;
    const auto full = AlignPassages(AlignInput{a, &a_index, {}},
                                    AlignInput{b, &b_full, {}}, options);
    const auto part = AlignPassages(AlignInput{a, &a_index, {}},
                                    AlignInput{b, &b_part, {}}, options);
    ExpectSamePassages(full, part, trial);
    passages += full.size();
  }
  EXPECT_GT(passages, 25u);
}

TEST(AlignPassagesTest, AnchorsListedByTheCallerGiveTheSamePassages) {
  // `contamination` lists the anchors itself, item token by item token, and
  // measures spans its own way: the result must be AlignPassages'.
  std::mt19937 random(20261130);
  size_t passages = 0;
  for (int trial = 0; trial < 50; ++trial) {
    std::vector<uint64_t> a, b;
    RandomCopy(random, trial % 2 == 0 ? 200 : 40, &a, &b);
    AlignOptions options;
    options.min_tokens = 5;
    const uint64_t max_product =
        static_cast<uint64_t>(options.max_occurrences) *
        options.max_occurrences;
    std::vector<AlignAnchor> anchors;
    for (uint32_t i = 0; i < a.size(); ++i) {
      const uint64_t product =
          static_cast<uint64_t>(std::count(a.begin(), a.end(), a[i])) *
          static_cast<uint64_t>(std::count(b.begin(), b.end(), a[i]));
      if (product == 0 || product > max_product) continue;
      for (uint32_t j = 0; j < b.size(); ++j) {
        if (a[i] != b[j]) continue;
        anchors.push_back(
            {i, j, 1.0f / std::sqrt(static_cast<float>(product)), 1});
      }
    }
    const auto expected = AlignPassages(a, b, options);
    const auto listed = AlignPassagesOfAnchors(
        a, b, anchors,
        [&](TokenRange x, TokenRange y) {
          return MeasurePassage(
              absl::MakeConstSpan(a).subspan(x.begin, x.size()),
              absl::MakeConstSpan(b).subspan(y.begin, y.size()));
        },
        options);
    ExpectSamePassages(expected, listed, trial);
    passages += expected.size();
  }
  EXPECT_GT(passages, 25u);
}

}  // namespace
}  // namespace neardup
