#include "cluster.h"

#include <atomic>
#include <vector>

#include "gtest/gtest.h"

namespace neardup {
namespace {

using Pairs = std::vector<std::pair<uint32_t, uint32_t>>;
using Sets = std::vector<std::vector<uint64_t>>;

struct Clustered {
  absl::Status status;
  std::vector<DedupDecision> decisions;
  size_t verified = 0;
  std::vector<uint32_t> read;  // documents whose set was asked for
};

Clustered Cluster(const Sets& sets, const Pairs& pairs,
                  const std::vector<uint32_t>& tokens,
                  const DedupOptions& options = {}) {
  Clustered out;
  const CandidateGraph graph =
      CandidateGraph::FromPairs(static_cast<uint32_t>(sets.size()), pairs);
  out.status = ClusterGreedy(
      graph, tokens, options,
      [&](uint32_t doc, std::vector<uint64_t>* buffer)
          -> absl::StatusOr<absl::Span<const uint64_t>> {
        out.read.push_back(doc);
        *buffer = sets[doc];  // as a reader from a file does
        return absl::MakeConstSpan(*buffer);
      },
      &out.decisions, &out.verified);
  return out;
}

std::vector<uint32_t> Representatives(const Clustered& c) {
  std::vector<uint32_t> r;
  for (const DedupDecision& d : c.decisions) r.push_back(d.representative);
  return r;
}

TEST(CandidateGraphTest, EachPairIsInBothDocumentsLists) {
  const CandidateGraph graph =
      CandidateGraph::FromPairs(4, Pairs{{0, 2}, {1, 2}, {0, 1}});
  EXPECT_EQ(graph.documents(), 4u);
  EXPECT_EQ(graph.begin, (std::vector<uint64_t>{0, 2, 4, 6, 6}));
  EXPECT_EQ(graph.neighbors, (std::vector<uint32_t>{2, 1, 2, 0, 0, 1}));
  EXPECT_TRUE(graph.HasCandidate(2));
  EXPECT_FALSE(graph.HasCandidate(3));
}

// 0 and 1 are 5/6 alike, 1 and 2 5/7, 0 and 2 4/7; 3 equals 0 but is a
// candidate of 1 only; 4 is 4/5 of 0 (exactly the threshold); 5 has no
// candidate.
const Sets kSets = {{1, 2, 3, 4, 5}, {1, 2, 3, 4, 5, 6}, {2, 3, 4, 5, 6, 7},
                    {1, 2, 3, 4, 5}, {1, 2, 3, 4},       {9}};
const Pairs kPairs = {{0, 1}, {1, 2}, {1, 3}, {0, 4}};

TEST(ClusterGreedyTest, InputOrderChainsStopAtTheThreshold) {
  const Clustered c = Cluster(kSets, kPairs, {5, 6, 6, 5, 4, 1});
  ASSERT_TRUE(c.status.ok()) << c.status;
  // 1 joins 0; 2 is not 0.8 like 1's representative, 0: kept; 3 reaches 0
  // through its candidate 1; 4 at exactly 0.8 joins 0.
  EXPECT_EQ(Representatives(c), (std::vector<uint32_t>{0, 0, 2, 0, 0, 5}));
  EXPECT_DOUBLE_EQ(c.decisions[1].similarity, 5.0 / 6.0);
  EXPECT_FALSE(c.decisions[1].kept);
  EXPECT_TRUE(c.decisions[2].kept);
  EXPECT_DOUBLE_EQ(c.decisions[3].similarity, 1.0);
  EXPECT_DOUBLE_EQ(c.decisions[4].similarity, 0.8);
  // 1-0, 2-0, 3-0, 4-0.
  EXPECT_EQ(c.verified, 4u);
  for (uint32_t doc : c.read) EXPECT_NE(doc, 5u) << "5 has no candidate";
  EXPECT_EQ(DuplicateClusters(c.decisions), 1u);
}

TEST(ClusterGreedyTest, KeepLongestVisitsMostTokensFirst) {
  DedupOptions options;
  options.keep = DedupKeep::kLongest;
  // 2, the longest, is kept; 1 is 5/7 like it: kept; 0 and 3 join 1; 4,
  // a candidate of 0 only, is 4/6 like 0's representative 1: kept.
  const Clustered c = Cluster(kSets, kPairs, {5, 6, 7, 5, 4, 1}, options);
  ASSERT_TRUE(c.status.ok()) << c.status;
  EXPECT_EQ(Representatives(c), (std::vector<uint32_t>{1, 1, 2, 1, 4, 5}));
  EXPECT_EQ(DuplicateClusters(c.decisions), 1u);
}

TEST(ClusterGreedyTest, ContainmentJoinsAShortTextToALongOne) {
  DedupOptions options;
  options.mode = DedupMode::kContainment;
  options.threshold = 0.9;
  const Clustered c = Cluster(kSets, kPairs, {5, 6, 6, 5, 4, 1}, options);
  ASSERT_TRUE(c.status.ok()) << c.status;
  // 0 is in 1 whole; 2 holds 4 of 0's 5 (0.8); 4 is in 0 whole.
  EXPECT_EQ(Representatives(c), (std::vector<uint32_t>{0, 0, 2, 0, 0, 5}));
}

// decided(d) comes every kDecidedStep documents in input order and at the
// end, when decisions [0, d) are final; in another order only at the end.
TEST(ClusterGreedyTest, TellsEachDecidedPrefixInInputOrderOnly) {
  const uint32_t n = 2 * kDecidedStep + 10;
  Sets sets(n);
  for (uint32_t d = 0; d < n; ++d) sets[d] = {d % 3, 100 + d};
  Pairs pairs;  // each document a candidate of the one 3 after it
  for (uint32_t d = 0; d + 3 < n; ++d) pairs.push_back({d, d + 3});
  const CandidateGraph graph = CandidateGraph::FromPairs(n, pairs);
  const std::vector<uint32_t> tokens(n, 1);
  for (const DedupKeep keep : {DedupKeep::kFirst, DedupKeep::kLongest}) {
    DedupOptions options;
    options.keep = keep;
    options.threshold = 0.3;  // 1 of 3 shared: each joins the one before
    std::vector<DedupDecision> decisions;
    size_t verified = 0;
    std::vector<uint32_t> told;
    std::vector<std::vector<uint32_t>> prefixes;
    const absl::Status status = ClusterGreedy(
        graph, tokens, options,
        [&](uint32_t doc, std::vector<uint64_t>* buffer)
            -> absl::StatusOr<absl::Span<const uint64_t>> {
          *buffer = sets[doc];
          return absl::MakeConstSpan(*buffer);
        },
        &decisions, &verified,
        [&](uint32_t decided) {
          told.push_back(decided);
          std::vector<uint32_t> prefix;
          for (uint32_t d = 0; d < decided; ++d) {
            prefix.push_back(decisions[d].representative);
          }
          prefixes.push_back(prefix);
        });
    ASSERT_TRUE(status.ok()) << status;
    if (keep == DedupKeep::kFirst) {
      EXPECT_EQ(told,
                (std::vector<uint32_t>{kDecidedStep, 2 * kDecidedStep, n}));
    } else {
      EXPECT_EQ(told, (std::vector<uint32_t>{n}));
    }
    for (const std::vector<uint32_t>& prefix : prefixes) {
      for (uint32_t d = 0; d < prefix.size(); ++d) {
        EXPECT_EQ(prefix[d], decisions[d].representative) << d;
      }
    }
    EXPECT_EQ(decisions[n - 1].representative, (n - 1) % 3);
  }
}

TEST(ClusterGreedyTest, ReaderErrorsAndCancellationStopIt) {
  const CandidateGraph graph = CandidateGraph::FromPairs(6, kPairs);
  std::vector<DedupDecision> decisions;
  size_t verified = 0;
  const std::vector<uint32_t> tokens(6, 1);
  absl::Status status = ClusterGreedy(
      graph, tokens, {},
      [](uint32_t,
         std::vector<uint64_t>*) -> absl::StatusOr<absl::Span<const uint64_t>> {
        return absl::InternalError("cannot read");
      },
      &decisions, &verified);
  EXPECT_EQ(status, absl::InternalError("cannot read"));
  std::atomic<bool> cancel{true};
  DedupOptions options;
  options.cancel = &cancel;
  status = Cluster(kSets, kPairs, tokens, options).status;
  EXPECT_TRUE(absl::IsCancelled(status)) << status;
}

}  // namespace
}  // namespace neardup
