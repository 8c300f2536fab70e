#include "cluster.h"

#include <algorithm>
#include <numeric>

#include "dedup_internal.h"

namespace neardup {
namespace {

// Documents are compared at "threshold" with this slack, so that a
// similarity computed as, say, 4.0 / 5.0 is not lost to rounding.
constexpr double kSimilarityEpsilon = 1e-9;
constexpr uint32_t kUnvisited = 0xFFFFFFFFu;

}  // namespace

CandidateGraph CandidateGraph::FromPairs(
    uint32_t documents, absl::Span<const std::pair<uint32_t, uint32_t>> pairs) {
  CandidateGraph graph;
  std::vector<uint64_t>& begin = graph.begin;
  begin.assign(uint64_t{documents} + 1, 0);
  for (const auto& [a, b] : pairs) {
    ++begin[a + 1];
    ++begin[b + 1];
  }
  for (uint32_t d = 0; d < documents; ++d) begin[d + 1] += begin[d];
  graph.neighbors.resize(begin[documents]);
  std::vector<uint64_t> fill(begin.begin(), begin.end() - 1);
  for (const auto& [a, b] : pairs) {
    graph.neighbors[fill[a]++] = b;
    graph.neighbors[fill[b]++] = a;
  }
  return graph;
}

absl::Status ClusterGreedy(const CandidateGraph& graph,
                           absl::Span<const uint32_t> tokens,
                           const DedupOptions& options, SetReader set_of,
                           std::vector<DedupDecision>* decisions,
                           size_t* verified_pairs) {
  return ClusterGreedy(graph, tokens, options, set_of, decisions,
                       verified_pairs, [](uint32_t) {});
}

absl::Status ClusterGreedy(const CandidateGraph& graph,
                           absl::Span<const uint32_t> tokens,
                           const DedupOptions& options, SetReader set_of,
                           std::vector<DedupDecision>* decisions,
                           size_t* verified_pairs, DecidedPrefix decided) {
  const uint32_t n = graph.documents();
  // Priority order: input order, or most tokens first.
  std::vector<uint32_t> order(n);
  std::iota(order.begin(), order.end(), 0u);
  if (options.keep == DedupKeep::kLongest) {
    std::stable_sort(order.begin(), order.end(), [&](uint32_t x, uint32_t y) {
      return tokens[x] > tokens[y];
    });
  }
  std::vector<uint32_t> rank(n);
  for (uint32_t p = 0; p < n; ++p) rank[order[p]] = p;

  decisions->assign(n, DedupDecision{});
  std::vector<uint32_t> representative(n, kUnvisited);
  std::vector<uint32_t> candidates;
  std::vector<uint64_t> set_buffer, other_buffer;
  const double threshold = options.threshold - kSimilarityEpsilon;
  const bool index_order = options.keep == DedupKeep::kFirst;
  for (uint32_t p = 0; p < n; ++p) {
    if (p % 1024 == 0 && options.cancel != nullptr && options.cancel->load()) {
      return absl::CancelledError("de-duplication was cancelled");
    }
    // Documents [0, p) are decided: the rest come later in index order.
    if (index_order && p % kDecidedStep == 0 && p > 0) decided(p);
    const uint32_t doc = order[p];
    candidates.clear();
    for (uint64_t k = graph.begin[doc]; k < graph.begin[doc + 1]; ++k) {
      const uint32_t other = graph.neighbors[k];
      if (representative[other] == kUnvisited) continue;  // comes later
      candidates.push_back(rank[representative[other]]);
    }
    std::sort(candidates.begin(), candidates.end());
    candidates.erase(std::unique(candidates.begin(), candidates.end()),
                     candidates.end());
    DedupDecision& decision = (*decisions)[doc];
    decision = {1.0, doc, true};
    representative[doc] = doc;
    if (candidates.empty()) continue;
    absl::StatusOr<absl::Span<const uint64_t>> set = set_of(doc, &set_buffer);
    if (!set.ok()) return set.status();
    for (uint32_t candidate_rank : candidates) {
      const uint32_t candidate = order[candidate_rank];
      absl::StatusOr<absl::Span<const uint64_t>> other =
          set_of(candidate, &other_buffer);
      if (!other.ok()) return other.status();
      ++*verified_pairs;
      const double similarity = SetSimilarity(*set, *other, options.mode);
      if (similarity >= threshold) {
        decision = {similarity, candidate, false};
        representative[doc] = candidate;
        break;
      }
    }
  }
  decided(n);
  return absl::OkStatus();
}

size_t DuplicateClusters(const std::vector<DedupDecision>& decisions) {
  std::vector<uint8_t> has_duplicate(decisions.size(), 0);
  for (const DedupDecision& decision : decisions) {
    if (!decision.kept) has_duplicate[decision.representative] = 1;
  }
  return static_cast<size_t>(
      std::count(has_duplicate.begin(), has_duplicate.end(), 1));
}

}  // namespace neardup
