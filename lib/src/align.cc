#include "align.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <numeric>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "verify.h"

namespace neardup {
namespace {

// Predecessors examined per anchor while chaining (minimap2 uses 50): bounds
// chaining to linear time when one stretch of text has many anchors.
constexpr int kMaxPredecessors = 64;
// Cost per token of difference between the gaps on the two sides, and per
// token skipped on both sides. Small: paraphrase inserts and drops words.
constexpr float kSkewCost = 0.05f;
constexpr float kSkipCost = 0.02f;

struct Anchor {
  uint32_t i;
  uint32_t j;
  float weight;
};

std::vector<Anchor> FindAnchors(absl::Span<const uint64_t> a,
                                absl::Span<const uint64_t> b,
                                int max_occurrences) {
  absl::flat_hash_map<uint64_t, uint32_t> freq_a;
  for (uint64_t key : a) ++freq_a[key];
  // B's positions grouped by key, ascending within a key.
  std::vector<uint32_t> b_order(b.size());
  std::iota(b_order.begin(), b_order.end(), 0u);
  std::sort(b_order.begin(), b_order.end(), [&](uint32_t x, uint32_t y) {
    return b[x] != b[y] ? b[x] < b[y] : x < y;
  });
  absl::flat_hash_map<uint64_t, std::pair<uint32_t, uint32_t>> b_positions;
  for (uint32_t k = 0; k < b_order.size();) {
    uint32_t end = k + 1;
    while (end < b_order.size() && b[b_order[end]] == b[b_order[k]]) ++end;
    if (freq_a.contains(b[b_order[k]])) {
      b_positions[b[b_order[k]]] = {k, end - k};
    }
    k = end;
  }
  const uint64_t max_product =
      static_cast<uint64_t>(max_occurrences) * max_occurrences;
  std::vector<Anchor> anchors;
  for (uint32_t i = 0; i < a.size(); ++i) {
    const auto it = b_positions.find(a[i]);
    if (it == b_positions.end()) continue;
    const auto [first, count] = it->second;
    const uint64_t product = static_cast<uint64_t>(freq_a[a[i]]) * count;
    if (product > max_product) continue;
    const float weight = 1.0f / std::sqrt(static_cast<float>(product));
    for (uint32_t k = first; k < first + count; ++k) {
      anchors.push_back({i, b_order[k], weight});
    }
  }
  return anchors;  // sorted by (i, j)
}

}  // namespace

std::vector<AlignedPassage> AlignPassages(absl::Span<const uint64_t> a,
                                          absl::Span<const uint64_t> b,
                                          const AlignOptions& options) {
  const std::vector<Anchor> anchors =
      FindAnchors(a, b, std::max(1, options.max_occurrences));
  const uint32_t max_gap = static_cast<uint32_t>(std::max(1, options.max_gap));
  const size_t n = anchors.size();

  // Chaining: best[k] is the best score of a chain ending at anchor k.
  std::vector<float> best(n);
  std::vector<int32_t> prev(n, -1);
  for (size_t k = 0; k < n; ++k) {
    const Anchor& cur = anchors[k];
    best[k] = cur.weight;
    int examined = 0;
    for (size_t p = k; p-- > 0 && examined < kMaxPredecessors;) {
      const Anchor& pre = anchors[p];
      if (pre.i + max_gap < cur.i) break;
      if (pre.i == cur.i || pre.j >= cur.j || cur.j - pre.j > max_gap) continue;
      ++examined;
      const uint32_t di = cur.i - pre.i;
      const uint32_t dj = cur.j - pre.j;
      const float skew = static_cast<float>(di > dj ? di - dj : dj - di);
      const float skip = static_cast<float>(std::min(di, dj) - 1);
      const float score =
          best[p] + cur.weight - kSkewCost * skew - kSkipCost * skip;
      if (score > best[k]) {
        best[k] = score;
        prev[k] = static_cast<int32_t>(p);
      }
    }
  }

  // Extraction, best chain end first; each anchor belongs to one chain.
  std::vector<uint32_t> order(n);
  std::iota(order.begin(), order.end(), 0u);
  std::sort(order.begin(), order.end(), [&](uint32_t x, uint32_t y) {
    return best[x] != best[y] ? best[x] > best[y] : x < y;
  });
  std::vector<bool> used(n, false);
  std::vector<AlignedPassage> passages;
  const uint32_t min_anchors =
      static_cast<uint32_t>(std::max(1, options.min_tokens));
  for (uint32_t end : order) {
    if (used[end]) continue;
    uint32_t count = 0;
    int32_t first = static_cast<int32_t>(end);
    for (int32_t x = first; x != -1 && !used[x]; x = prev[x]) {
      used[x] = true;
      first = x;
      ++count;
    }
    if (count < min_anchors) continue;
    AlignedPassage passage;
    passage.anchors = count;
    passage.a = {anchors[first].i, anchors[end].i + 1};
    passage.b = {anchors[first].j, anchors[end].j + 1};
    // Frequent tokens are not anchors; take back identical tokens at the
    // edges so boundaries fall where the shared text really starts and ends.
    while (passage.a.begin > 0 && passage.b.begin > 0 &&
           a[passage.a.begin - 1] == b[passage.b.begin - 1]) {
      --passage.a.begin;
      --passage.b.begin;
    }
    while (passage.a.end < a.size() && passage.b.end < b.size() &&
           a[passage.a.end] == b[passage.b.end]) {
      ++passage.a.end;
      ++passage.b.end;
    }
    const PassageSimilarity similarity =
        MeasurePassage(a.subspan(passage.a.begin, passage.a.size()),
                       b.subspan(passage.b.begin, passage.b.size()));
    if (similarity.dice < options.min_score) continue;
    passage.matched = similarity.matched;
    passage.score = similarity.dice;
    passages.push_back(passage);
  }
  std::sort(passages.begin(), passages.end(),
            [](const AlignedPassage& x, const AlignedPassage& y) {
              return std::tie(x.a.begin, x.b.begin, x.a.end, x.b.end) <
                     std::tie(y.a.begin, y.b.begin, y.a.end, y.b.end);
            });
  return passages;
}

}  // namespace neardup
