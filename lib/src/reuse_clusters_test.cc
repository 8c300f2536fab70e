#include "reuse_clusters.h"

#include <algorithm>
#include <tuple>
#include <vector>

#include "gtest/gtest.h"

namespace neardup {
namespace {

// Every pair of documents [first, first + count).
std::vector<IndexPair> Clique(uint32_t first, uint32_t count) {
  std::vector<IndexPair> pairs;
  for (uint32_t a = first; a < first + count; ++a) {
    for (uint32_t b = a + 1; b < first + count; ++b) pairs.push_back({a, b});
  }
  return pairs;
}

TEST(ClusterPlanTest, SmallGroupsAlignEveryPairLargeOnesASpanningTree) {
  // Documents 0-2: a group of 3; 3-12: a group of 10.
  std::vector<IndexPair> candidates = Clique(0, 3);
  const std::vector<IndexPair> large = Clique(3, 10);
  candidates.insert(candidates.end(), large.begin(), large.end());
  const ClusterPlan plan(13, candidates, 4);
  EXPECT_FALSE(plan.clustered(0));
  EXPECT_TRUE(plan.clustered(3));
  EXPECT_EQ(plan.clustered_documents(), 10u);
  // 3 pairs of the small group, 9 tree pairs of the large one.
  ASSERT_EQ(plan.first_round().size(), 3u + 9u);
  // The tree is a star around document 3 (all degrees equal: lowest index).
  for (size_t k = 3; k < plan.first_round().size(); ++k) {
    EXPECT_EQ(plan.first_round()[k].first, 3u);
  }
  // The tree's passages all overlap in document 3, except that document 7
  // shares nothing with it: only pairs touching 7 come second.
  std::vector<DocumentPair> aligned;
  for (uint32_t b = 4; b < 13; ++b) {
    if (b == 7) continue;
    DocumentPair& pair = aligned.emplace_back();
    pair.a = 3;
    pair.b = b;
    pair.passages.emplace_back().a = {100, 200, 100, 200};
    pair.passages.back().b = {0, 100, 0, 100};
  }
  const std::vector<IndexPair> second = plan.Unlinked(aligned);
  EXPECT_EQ(second.size(), 8u);  // 7's pairs with 4-6 and 8-12
  for (const auto& [a, b] : second) EXPECT_TRUE(a == 7 || b == 7);
  // With 7 in the same passage, nothing is left to align.
  DocumentPair& seven = aligned.emplace_back();
  seven.a = 3;
  seven.b = 7;
  seven.passages.emplace_back().a = {120, 200, 120, 200};
  seven.passages.back().b = {0, 80, 0, 80};
  EXPECT_TRUE(plan.Unlinked(aligned).empty());
}

Passage Shared(uint32_t a_begin, uint32_t a_end, uint32_t b_begin,
               uint32_t b_end) {
  Passage passage;
  passage.a = {a_begin, a_end, a_begin, a_end};
  passage.b = {b_begin, b_end, b_begin, b_end};
  return passage;
}

TEST(ClusterPlanTest, CopiesJoinAPassageWithoutAligningEveryCrossPair) {
  // Documents 0-3 are copies of one article, 4-7 copies of another that
  // shares a passage with it (bytes 100-200 of the first, 0-100 of the
  // second); every pair is a candidate. The tree is a star around 0.
  ClusterPlan plan(8, Clique(0, 8), 4);
  ASSERT_EQ(plan.first_round().size(), 7u);
  std::vector<DocumentPair> aligned;
  for (uint32_t b = 1; b < 8; ++b) {
    DocumentPair& pair = aligned.emplace_back();
    pair.a = 0;
    pair.b = b;
    pair.passages = {b < 4 ? Shared(0, 1000, 0, 1000)
                           : Shared(100, 200, 0, 100)};
  }
  // 1-3 are in 0's copy set only, 4-7 in the shared passage only: 12 pairs
  // are unlinked. A round takes a pair only if it brings a document new to
  // the round: 6 pairs, not 12, put 1, 2 and 3 in the passage.
  EXPECT_EQ(plan.Unlinked(aligned).size(), 12u);
  const std::vector<IndexPair> round = plan.NextRound(aligned);
  const std::vector<IndexPair> expected = {{1, 4}, {1, 5}, {1, 6},
                                           {1, 7}, {2, 4}, {3, 4}};
  EXPECT_EQ(round, expected);
  for (const auto& [a, b] : round) {
    DocumentPair& pair = aligned.emplace_back();
    pair.a = a;
    pair.b = b;
    pair.passages = {Shared(100, 200, 0, 100)};
  }
  std::sort(aligned.begin(), aligned.end(),
            [](const DocumentPair& x, const DocumentPair& y) {
              return std::tie(x.a, x.b) < std::tie(y.a, y.b);
            });
  EXPECT_TRUE(plan.NextRound(aligned).empty());
  std::vector<DocumentPair> pairs;
  std::vector<ReuseCluster> clusters;
  GroupIntoClusters(aligned, {}, plan, &pairs, &clusters);
  ASSERT_EQ(clusters.size(), 2u);
  EXPECT_EQ(clusters[0].documents, 4u);  // the copies' whole text
  EXPECT_EQ(clusters[1].documents, 8u);  // the shared passage
}

TEST(GroupIntoClustersTest, CarriedPassagesGiveMembersButNoPairs) {
  // Documents 0 and 1 share bytes 0-100 of 0 and 200-300 of 1 (aligned).
  // Copies 2 and 3 of document 0 carry that passage over: their carried
  // pairs with 0 place it at bytes 10-110 and 30-130 of the copy, and give
  // it the aligned passage's span in 0; copy 4 of document 1 likewise at
  // 5-105. All five are members, each at its own span.
  ClusterPlan plan(5, Clique(0, 5), 2);
  ASSERT_TRUE(plan.clustered(0));
  std::vector<DocumentPair> aligned(1);
  aligned[0].a = 0;
  aligned[0].b = 1;
  aligned[0].passages = {Shared(0, 100, 200, 300)};
  std::vector<DocumentPair> carried(3);
  carried[0].a = 0;
  carried[0].b = 2;
  carried[0].passages = {Shared(0, 100, 10, 110)};
  carried[1].a = 0;
  carried[1].b = 3;
  carried[1].passages = {Shared(0, 100, 30, 130)};
  carried[2].a = 1;
  carried[2].b = 4;
  carried[2].passages = {Shared(200, 300, 5, 105)};
  std::vector<DocumentPair> pairs;
  std::vector<ReuseCluster> clusters;
  GroupIntoClusters(aligned, carried, plan, &pairs, &clusters);
  EXPECT_TRUE(pairs.empty());
  ASSERT_EQ(clusters.size(), 1u);
  const ReuseCluster& cluster = clusters[0];
  EXPECT_EQ(cluster.documents, 5u);
  ASSERT_EQ(cluster.members.size(), 5u);
  const uint32_t begins[] = {0, 200, 10, 30, 5};
  for (size_t d = 0; d < 5; ++d) {
    EXPECT_EQ(cluster.members[d].document, d);
    EXPECT_EQ(cluster.members[d].span.begin, begins[d]);
    EXPECT_EQ(cluster.members[d].span.end, begins[d] + 100);
  }
  // Without the carried passages the two documents are a pair.
  pairs.clear();
  clusters.clear();
  GroupIntoClusters(aligned, {}, plan, &pairs, &clusters);
  EXPECT_TRUE(clusters.empty());
  ASSERT_EQ(pairs.size(), 1u);
}

TEST(ClusterPlanTest, NextRoundAlignsEveryUnlinkedPairOnce) {
  // A group of 6 where nothing is found: every pair is aligned once, in the
  // first round or a later one.
  ClusterPlan plan(6, Clique(0, 6), 2);
  const std::vector<DocumentPair> none;
  std::vector<IndexPair> all = plan.first_round();
  int rounds = 0;
  for (std::vector<IndexPair> round = plan.NextRound(none); !round.empty();
       round = plan.NextRound(none)) {
    all.insert(all.end(), round.begin(), round.end());
    ++rounds;
  }
  EXPECT_GE(rounds, 2);
  std::sort(all.begin(), all.end());
  EXPECT_EQ(all, Clique(0, 6));
}

// Taken pairs in order: each that joins two components is in the forest,
// the rest (a cycle's closing pair) after; pairs not taken are in neither.
TEST(SplitSpanningForestTest, TakenPairsSplitIntoAForestAndTheRest) {
  const std::vector<IndexPair> pairs = {{0, 1}, {1, 2}, {0, 2}, {3, 4},
                                        {2, 3}, {0, 4}, {5, 6}};
  const std::vector<uint8_t> take = {1, 1, 1, 0, 1, 1, 0};
  std::vector<IndexPair> forest = {{9, 9}}, rest = {{9, 9}};
  SplitSpanningForest(7, pairs, take, &forest, &rest);
  EXPECT_EQ(forest, (std::vector<IndexPair>{{0, 1}, {1, 2}, {2, 3}, {0, 4}}));
  EXPECT_EQ(rest, (std::vector<IndexPair>{{0, 2}}));
}

}  // namespace
}  // namespace neardup
