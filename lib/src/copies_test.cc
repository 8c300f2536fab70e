#include "copies.h"

#include <cstdint>
#include <string>
#include <tuple>
#include <vector>

#include "gtest/gtest.h"
#include "neardup/neardup.h"
#include "test_words.h"

namespace neardup {
namespace {

using ::neardup::testing::Words;

// Token keys 0, 1, ... standing for words: documents as key sequences.
AnalyzedText Keys(uint64_t first, size_t count) {
  AnalyzedText text;
  for (size_t k = 0; k < count; ++k) text.keys.push_back(first + k);
  return text;
}

AnalyzedText Join(const AnalyzedText& x, const AnalyzedText& y) {
  AnalyzedText text = x;
  text.keys.insert(text.keys.end(), y.keys.begin(), y.keys.end());
  return text;
}

TEST(CopiesTest, IdenticalAndExtendedTextsAreCopiesOfTheShortestFirst) {
  const AnalyzedText story = Keys(100, 90);
  std::vector<AnalyzedText> texts = {
      Join(story, Keys(5000, 1)),                       // 0: a word after
      story,                                            // 1: the story
      Keys(9000, 90),                                   // 2: another text
      story,                                            // 3: the story again
      Join(Keys(6000, 3), Join(story, Keys(7000, 5))),  // 4: 8 words around
      Join(Keys(6000, 4), Join(story, Keys(7000, 5))),  // 5: 9: too many
      {},                                               // 6: no words
      {},                                               // 7: no words
  };
  const Copies copies(texts);
  EXPECT_EQ(copies.copies(), 3u);
  EXPECT_EQ(copies.representative(0), 1u);
  EXPECT_EQ(copies.representative(1), 1u);
  EXPECT_EQ(copies.representative(2), 2u);
  EXPECT_EQ(copies.representative(3), 1u);
  EXPECT_EQ(copies.representative(4), 1u);
  EXPECT_EQ(copies.representative(5), 5u);
  EXPECT_FALSE(copies.is_copy(6));
  EXPECT_FALSE(copies.is_copy(7));
  EXPECT_EQ(std::vector<uint32_t>(copies.copies_of(1).begin(),
                                  copies.copies_of(1).end()),
            (std::vector<uint32_t>{0, 3, 4}));
  EXPECT_TRUE(copies.copies_of(0).empty());
  // The story's tokens 10-20 are tokens 13-23 of document 4.
  EXPECT_EQ(copies.Move(4, {10, 20}).begin, 13u);
  EXPECT_EQ(copies.Move(4, {10, 20}).end, 23u);
  EXPECT_EQ(copies.Move(0, {10, 20}).begin, 10u);
}

TEST(CopiesTest, ShortTextsAreCopiesOnlyWhenIdentical) {
  // One word added to 7 is more than one in 8; to 8 it is not.
  const std::vector<AnalyzedText> texts = {Keys(1, 7),
                                           Join(Keys(1, 7), Keys(50, 1)),
                                           Keys(1, 7),
                                           Keys(1, 1),
                                           Keys(1, 1),
                                           Keys(60, 8),
                                           Join(Keys(60, 8), Keys(50, 1))};
  const Copies copies(texts);
  EXPECT_EQ(copies.copies(), 3u);
  EXPECT_FALSE(copies.is_copy(1));
  EXPECT_EQ(copies.representative(6), 5u);
  EXPECT_EQ(copies.representative(2), 0u);
  EXPECT_EQ(copies.representative(4), 3u);
}

TEST(CopiesTest, TextsThatDifferInsideAreNotCopies) {
  AnalyzedText changed = Keys(100, 90);
  changed.keys[45] = 1;
  const std::vector<AnalyzedText> texts = {Keys(100, 90), changed};
  EXPECT_EQ(Copies(texts).copies(), 0u);
}

// An aligned pair of token passages: each {a_begin, a_end, b_begin, b_end}.
TokenPair Aligned(uint32_t a, uint32_t b,
                  const std::vector<std::vector<uint32_t>>& passages) {
  TokenPair pair;
  pair.documents = {a, b};
  for (const std::vector<uint32_t>& p : passages) {
    AlignedPassage& passage = pair.passages.emplace_back();
    passage.a = {p[0], p[1]};
    passage.b = {p[2], p[3]};
  }
  return pair;
}

std::vector<std::vector<uint32_t>> Ranges(const TokenPair& pair) {
  std::vector<std::vector<uint32_t>> ranges;
  for (const AlignedPassage& p : pair.passages) {
    ranges.push_back({p.a.begin, p.a.end, p.b.begin, p.b.end});
  }
  return ranges;
}

TEST(DeriveCopyPassagesTest, CopiesInAClusterGetEachDistinctRangeOnce) {
  // Document 1 is the story; 0 is it with 2 words before, 4 the story again
  // (copies of 1); 2, 3 and 5 are other texts, aligned with 1; 5 has a copy,
  // 6 (one word after).
  const AnalyzedText story = Keys(100, 90);
  const AnalyzedText other = Keys(9000, 90);
  const std::vector<AnalyzedText> texts = {Join(Keys(6000, 2), story),
                                           story,
                                           Keys(7000, 90),
                                           Keys(8000, 90),
                                           story,
                                           other,
                                           Join(other, Keys(6000, 1))};
  const Copies copies(texts);
  ASSERT_EQ(copies.copies(), 3u);
  ASSERT_EQ(copies.representative(0), 1u);
  ASSERT_EQ(copies.representative(6), 5u);
  const std::vector<IndexPair> candidates = {{0, 1}, {1, 2}, {1, 3},
                                             {1, 4}, {1, 5}, {5, 6}};
  // Story tokens 10-40 are shared with 2 and with 3, 50-80 with 5.
  const std::vector<TokenPair> aligned = {
      Aligned(0, 1, {{2, 92, 0, 90}}),   Aligned(1, 2, {{10, 40, 0, 30}}),
      Aligned(1, 3, {{10, 40, 5, 35}}),  Aligned(1, 4, {{0, 90, 0, 90}}),
      Aligned(1, 5, {{50, 80, 20, 50}}), Aligned(5, 6, {{0, 90, 0, 90}})};
  // A clustered group: the copies get carried pairs, no pairs.
  const CopyPassages clustered =
      DeriveCopyPassages(copies, ClusterPlan(7, candidates, 4), aligned);
  EXPECT_TRUE(clustered.pairs.empty());
  ASSERT_EQ(clustered.carried.size(), 3u);
  EXPECT_EQ(clustered.carried[0].documents, IndexPair(0, 1));
  EXPECT_EQ(
      Ranges(clustered.carried[0]),
      (std::vector<std::vector<uint32_t>>{{12, 42, 10, 40}, {52, 82, 50, 80}}));
  EXPECT_EQ(clustered.carried[1].documents, IndexPair(1, 4));
  EXPECT_EQ(
      Ranges(clustered.carried[1]),
      (std::vector<std::vector<uint32_t>>{{10, 40, 10, 40}, {50, 80, 50, 80}}));
  EXPECT_EQ(clustered.carried[2].documents, IndexPair(5, 6));
  EXPECT_EQ(Ranges(clustered.carried[2]),
            (std::vector<std::vector<uint32_t>>{{20, 50, 20, 50}}));
  // (0, 2), (0, 3), (0, 5), (4, 2), (4, 3), (4, 5) and (1, 6).
  EXPECT_EQ(clustered.derived_pairs, 7u);

  // Aligned pair by pair (groups up to 8), the same copies get pairs:
  // those seven, (0, 6), (4, 6), and (0, 4) from 0's pair with 1.
  const CopyPassages pairwise =
      DeriveCopyPassages(copies, ClusterPlan(7, candidates, 8), aligned);
  EXPECT_TRUE(pairwise.carried.empty());
  EXPECT_EQ(pairwise.derived_pairs, 10u);
  ASSERT_EQ(pairwise.pairs.size(), 10u);
  EXPECT_EQ(pairwise.pairs[0].documents, IndexPair(0, 2));
  EXPECT_EQ(Ranges(pairwise.pairs[0]),
            (std::vector<std::vector<uint32_t>>{{12, 42, 0, 30}}));
}

// Scans of copies. Article 0 (140 words) shares a 60-word passage with
// article 1 (less than half of either, so that the passage and the whole
// article are two clusters).
std::string Article(int d) {
  return Words(200000 + 1000 * d, 40) + " " + Words(0, 60) + " " +
         Words(300000 + 1000 * d, 40);
}

void ExpectSpan(const std::vector<Document>& documents, size_t d,
                const TextSpan& span, const std::string& text) {
  EXPECT_EQ(documents[d].text.substr(span.begin, span.end - span.begin), text)
      << documents[d].id;
}

TEST(CopiesScanTest, ACopyAmongFewIsPairedWithEveryDocumentItsOriginalIs) {
  // Scanned alone, the copy and article 1 share the passage...
  const std::vector<Document> alone = {{"copy", Article(0) + " extra"},
                                       {"other", Article(1)}};
  auto pair = Scan(alone);
  ASSERT_TRUE(pair.ok()) << pair.status();
  ASSERT_EQ(pair->pairs.size(), 1u);
  // ... and scanned with the original, it is reported with the very same
  // passage, carried over from the original's pair, not aligned.
  const std::vector<Document> documents = {
      {"original", Article(0)}, alone[0], alone[1]};
  auto result = Scan(documents);
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(result->stats.copies, 1u);
  EXPECT_EQ(result->stats.derived_pairs, 1u);
  EXPECT_EQ(result->stats.aligned_pairs, 2u);
  ASSERT_EQ(result->pairs.size(), 3u);
  EXPECT_EQ(result->pairs[0].a, 0u);  // original, copy: the whole article
  EXPECT_EQ(result->pairs[0].b, 1u);
  ASSERT_EQ(result->pairs[0].passages.size(), 1u);
  ExpectSpan(documents, 1, result->pairs[0].passages[0].b, Article(0));
  EXPECT_EQ(result->pairs[2].a, 1u);  // copy, other
  EXPECT_EQ(result->pairs[2].b, 2u);
  const std::vector<Passage>& carried = result->pairs[2].passages;
  const std::vector<Passage>& direct = pair->pairs[0].passages;
  ASSERT_EQ(carried.size(), direct.size());
  for (size_t p = 0; p < carried.size(); ++p) {
    EXPECT_EQ(carried[p].a.begin, direct[p].a.begin);
    EXPECT_EQ(carried[p].a.end, direct[p].a.end);
    EXPECT_EQ(carried[p].a.char_begin, direct[p].a.char_begin);
    EXPECT_EQ(carried[p].b.begin, direct[p].b.begin);
    EXPECT_EQ(carried[p].score, direct[p].score);
    EXPECT_EQ(carried[p].matched, direct[p].matched);
  }
}

TEST(CopiesScanTest, ThreeHundredCopiesAreEachReportedWithExactSpans) {
  // 300 copies of article 0 (identical, or with a word before or after it),
  // article 1, which shares 60 words with it, and 50 unrelated articles.
  std::vector<Document> documents;
  for (int d = 0; d < 50; ++d) {
    documents.push_back(
        {"unrelated" + std::to_string(d), Words(400000 + 1000 * d, 140)});
  }
  documents.push_back({"other", Article(1)});
  for (int c = 0; c < 300; ++c) {
    std::string text = Article(0);
    if (c % 3 == 1) text = "Reuters: " + text;
    if (c % 3 == 2) text += " (AFP)";
    documents.push_back({"copy" + std::to_string(c), text});
  }
  ScanOptions options;
  options.threads = 1;
  auto one = Scan(documents, options);
  options.threads = 2;
  auto result = Scan(documents, options);
  ASSERT_TRUE(result.ok()) << result.status();
  ASSERT_TRUE(one.ok()) << one.status();
  EXPECT_EQ(result->stats.copies, 299u);
  // About one alignment a copy.
  EXPECT_LT(result->stats.aligned_pairs, 320u);
  EXPECT_TRUE(result->pairs.empty());
  // One cluster of the whole article in the 300 copies, one of the shared
  // passage in them and in article 1.
  ASSERT_EQ(result->clusters.size(), 2u);
  std::vector<int> whole(documents.size(), 0), passage(documents.size(), 0);
  for (const ReuseCluster& cluster : result->clusters) {
    const bool shared = cluster.documents == 301;
    EXPECT_TRUE(shared || cluster.documents == 300) << cluster.documents;
    for (const ClusterMember& member : cluster.members) {
      ++(shared ? passage : whole)[member.document];
      ExpectSpan(documents, member.document, member.span,
                 shared ? Words(0, 60) : Article(0));
    }
  }
  for (size_t d = 51; d < documents.size(); ++d) {
    EXPECT_EQ(whole[d], 1) << documents[d].id;
    EXPECT_EQ(passage[d], 1) << documents[d].id;
  }
  EXPECT_EQ(passage[50], 1);
  // The same on 1 and 2 threads.
  ASSERT_EQ(one->clusters.size(), result->clusters.size());
  for (size_t c = 0; c < result->clusters.size(); ++c) {
    ASSERT_EQ(one->clusters[c].members.size(),
              result->clusters[c].members.size());
    for (size_t m = 0; m < result->clusters[c].members.size(); ++m) {
      EXPECT_EQ(one->clusters[c].members[m].document,
                result->clusters[c].members[m].document);
      EXPECT_EQ(one->clusters[c].members[m].span.begin,
                result->clusters[c].members[m].span.begin);
    }
  }
}

TEST(CopiesScanTest, FourCopiesOfTwoArticlesArePairedEveryWay) {
  // Two copies each of two articles that share a passage: a group of four,
  // reported pair by pair, the copies' pairs carried over.
  const std::vector<Document> documents = {{"a", Article(0)},
                                           {"b", Article(1)},
                                           {"a2", Article(0) + " copy"},
                                           {"b2", Article(1) + " copy"}};
  auto result = Scan(documents);
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(result->stats.copies, 2u);
  EXPECT_EQ(result->stats.aligned_pairs, 3u);  // a-b, a-a2, b-b2
  ASSERT_EQ(result->pairs.size(), 6u);
  for (const DocumentPair& pair : result->pairs) {
    ASSERT_FALSE(pair.passages.empty());
    const bool same = (pair.a % 2) == (pair.b % 2);
    const std::string a_text = same ? Article(pair.a % 2) : Words(0, 60);
    const std::string b_text = same ? Article(pair.b % 2) : Words(0, 60);
    ExpectSpan(documents, pair.a, pair.passages[0].a, a_text);
    ExpectSpan(documents, pair.b, pair.passages[0].b, b_text);
  }
}

// Code points before byte `offset` of `text` (valid UTF-8).
uint32_t CodePoints(const std::string& text, uint32_t offset) {
  uint32_t count = 0;
  for (uint32_t i = 0; i < offset; ++i) {
    count += (static_cast<uint8_t>(text[i]) & 0xC0) != 0x80 ? 1 : 0;
  }
  return count;
}

// Expects `span` of document d to start and end at the code points before
// its byte offsets, and `want`'s place.
void ExpectLocated(const std::vector<Document>& documents, size_t d,
                   const TextSpan& span, const TextSpan& want) {
  const std::string& text = documents[d].text;
  EXPECT_EQ(span.begin, want.begin) << documents[d].id;
  EXPECT_EQ(span.end, want.end) << documents[d].id;
  EXPECT_EQ(span.char_begin, CodePoints(text, span.begin)) << documents[d].id;
  EXPECT_EQ(span.char_end, CodePoints(text, span.end)) << documents[d].id;
}

TEST(CopiesScanTest, CarriedPassagesAreLocatedInEachCopysOwnText) {
  // Copies with bylines of other scripts before the article, so that each
  // copy's passages lie at other byte and code point offsets than its
  // original's: every carried span must be found in the copy's own text; in
  // pairs (a group of 6 aligned pair by pair) where aligning every pair
  // directly places it.
  const std::vector<Document> documents = {
      {"a", Article(0)},
      {"b", Article(1)},
      {"a-ar", "خبر عاجل: " + Article(0)},
      {"b-el", "Ενημέρωση " + Article(1)},
      {"a-ja", "速報 " + Article(0) + " 🔥"},
      {"b-he", "עדכון " + Article(1)}};
  for (const int threads : {1, 2}) {
    for (const int cluster_documents : {2, 8}) {
      ScanOptions options;
      options.threads = threads;
      options.cluster_documents = cluster_documents;
      auto carried = Scan(documents, options);
      options.collapse_copies = false;
      auto direct = Scan(documents, options);
      ASSERT_TRUE(carried.ok()) << carried.status();
      ASSERT_TRUE(direct.ok()) << direct.status();
      EXPECT_EQ(carried->stats.copies, 4u);
      EXPECT_GT(carried->stats.derived_pairs, 0u);
      if (cluster_documents == 8) {
        EXPECT_EQ(carried->pairs.size(), 15u);  // every pair of the six
      } else {
        EXPECT_EQ(carried->clusters.size(), 3u);  // a's, b's, the passage
      }
      ASSERT_EQ(direct->pairs.size(), carried->pairs.size());
      for (size_t k = 0; k < carried->pairs.size(); ++k) {
        const DocumentPair& pair = carried->pairs[k];
        const DocumentPair& expected = direct->pairs[k];
        ASSERT_EQ(pair.a, expected.a);
        ASSERT_EQ(pair.b, expected.b);
        ASSERT_EQ(pair.passages.size(), expected.passages.size());
        for (size_t p = 0; p < pair.passages.size(); ++p) {
          ExpectLocated(documents, pair.a, pair.passages[p].a,
                        expected.passages[p].a);
          ExpectLocated(documents, pair.b, pair.passages[p].b,
                        expected.passages[p].b);
        }
      }
      // Clusters: each member is the whole article or the shared passage, at
      // its own code points.
      for (const ReuseCluster& cluster : carried->clusters) {
        for (const ClusterMember& member : cluster.members) {
          const std::string& text = documents[member.document].text;
          const std::string found = text.substr(
              member.span.begin, member.span.end - member.span.begin);
          EXPECT_TRUE(found == Article(member.document % 2) ||
                      found == Words(0, 60))
              << documents[member.document].id;
          EXPECT_EQ(member.span.char_begin,
                    CodePoints(text, member.span.begin));
          EXPECT_EQ(member.span.char_end, CodePoints(text, member.span.end));
        }
      }
    }
  }
}

TEST(CopiesScanTest, EveryDistinctlyEditedCopyIsAMemberAtItsOwnSpan) {
  // A 60-word story carried in 160 articles of 140 words: 40 times in one
  // outlet's article (copies of one text, some with a byline of another
  // script), and in 60 other outlets' articles with a word of its own
  // inserted in the story (each its own text, so a representative), each
  // of them with a copy (a byline before, an emoji after; before or after
  // the original in the input). The story is
  // less than half of an article, so a copy joins the story's cluster only
  // through the passages carried over from its representative. Every
  // document must be a member of that cluster, once, at the span from the
  // story's first word to its last in its own text, with code points counted
  // in it; the same as aligning every document (no copies set aside) and on
  // 1 and 2 threads.
  const std::string bylines[] = {"", "خبر عاجل: ", "速報 ", "Ενημέρωση "};
  const auto article = [](int outlet, const std::string& story) {
    return Words(200000 + 1000 * outlet, 40) + " " + story + " " +
           Words(300000 + 1000 * outlet, 40);
  };
  std::vector<Document> documents;
  for (int c = 0; c < 40; ++c) {
    documents.push_back({"story" + std::to_string(c),
                         bylines[c % 4] + article(0, Words(0, 60))});
  }
  for (int e = 0; e < 60; ++e) {
    const std::string edited =
        article(1 + e, Words(0, 30 + e / 3) + " " + Words(500000 + e, 1) + " " +
                           Words(30 + e / 3, 30 - e / 3));
    const Document original = {"edited" + std::to_string(e), edited};
    const Document copy = {"edited-copy" + std::to_string(e),
                           bylines[1 + e % 3] + edited + " 🔥"};
    // Copies before and after their representative.
    documents.push_back(e % 2 ? copy : original);
    documents.push_back(e % 2 ? original : copy);
  }
  const std::string first = Words(0, 1), last = Words(59, 1);
  std::vector<std::vector<ClusterMember>> members;
  for (const bool collapse : {true, false}) {
    for (const int threads : {1, 2}) {
      ScanOptions options;
      options.threads = threads;
      options.collapse_copies = collapse;
      auto result = Scan(documents, options);
      ASSERT_TRUE(result.ok()) << result.status();
      if (collapse) {
        EXPECT_EQ(result->stats.copies, 39u + 60u);
        EXPECT_GT(result->stats.derived_pairs, 0u);
        // Each edited article and its copy: the whole text, a pair.
        EXPECT_EQ(result->pairs.size(), 60u);
      }
      const ReuseCluster* story = nullptr;
      for (const ReuseCluster& cluster : result->clusters) {
        if (cluster.documents == documents.size()) story = &cluster;
      }
      ASSERT_NE(story, nullptr);
      ASSERT_EQ(story->members.size(), documents.size());
      for (size_t d = 0; d < documents.size(); ++d) {
        const ClusterMember& member = story->members[d];
        ASSERT_EQ(member.document, d);
        const std::string& text = documents[d].text;
        const TextSpan want = {
            static_cast<uint32_t>(text.find(first)),
            static_cast<uint32_t>(text.find(last) + last.size())};
        ExpectLocated(documents, d, member.span, want);
      }
      members.push_back(story->members);
    }
  }
  for (size_t run = 1; run < members.size(); ++run) {
    for (size_t d = 0; d < documents.size(); ++d) {
      EXPECT_EQ(members[run][d].span.begin, members[0][d].span.begin);
      EXPECT_EQ(members[run][d].span.end, members[0][d].span.end);
    }
  }
}

}  // namespace
}  // namespace neardup
