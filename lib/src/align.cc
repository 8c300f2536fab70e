#include "align.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <tuple>
#include <utility>

#include "verify.h"

namespace neardup {
namespace {

// Predecessors examined per anchor while chaining (minimap2 uses 50): bounds
// chaining to linear time when one stretch of text has many anchors.
constexpr size_t kMaxPredecessors = 64;
// Cost per token of difference between the gaps on the two sides, and per
// token skipped on both sides. Small: paraphrase inserts and drops words.
constexpr float kSkewCost = 0.05f;
constexpr float kSkipCost = 0.02f;
// A passage spanning this share of the shorter text is reported even when
// its matches are collection-level boilerplate.
constexpr double kWholeDocumentShare = 0.8;

struct Anchor {
  uint32_t i;
  uint32_t j;
  float weight;
  uint32_t informative;  // 0 for an anchor on boilerplate in both texts
};

// Merges the two key indexes: every pair of positions with equal keys whose
// key is not too frequent in both texts. Sorted by (i, j).
std::vector<Anchor> FindAnchors(const KeyIndex& a, const KeyIndex& b,
                                int max_occurrences) {
  const uint64_t max_product =
      static_cast<uint64_t>(max_occurrences) * max_occurrences;
  std::vector<Anchor> anchors;
  const auto& x = a.entries;
  const auto& y = b.entries;
  size_t i = 0, j = 0;
  while (i < x.size() && j < y.size()) {
    if (x[i].first < y[j].first) {
      ++i;
    } else if (y[j].first < x[i].first) {
      ++j;
    } else {
      const uint64_t key = x[i].first;
      size_t i_end = i, j_end = j;
      while (i_end < x.size() && x[i_end].first == key) ++i_end;
      while (j_end < y.size() && y[j_end].first == key) ++j_end;
      const uint64_t product = static_cast<uint64_t>(i_end - i) * (j_end - j);
      if (product <= max_product) {
        const float weight = 1.0f / std::sqrt(static_cast<float>(product));
        for (size_t p = i; p < i_end; ++p) {
          for (size_t q = j; q < j_end; ++q) {
            anchors.push_back({x[p].second, y[q].second, weight, 1});
          }
        }
      }
      i = i_end;
      j = j_end;
    }
  }
  std::sort(anchors.begin(), anchors.end(),
            [](const Anchor& p, const Anchor& q) {
              return p.i != q.i ? p.i < q.i : p.j < q.j;
            });
  return anchors;
}

// Best chain ending at each anchor: its score, the previous anchor (-1 for
// none) and its number of anchors.
struct Chains {
  std::vector<float> best;
  std::vector<int32_t> prev;
  std::vector<uint32_t> length;
};

Chains ChainAnchors(const std::vector<Anchor>& anchors, uint32_t max_gap) {
  const size_t n = anchors.size();
  Chains chains{std::vector<float>(n), std::vector<int32_t>(n, -1),
                std::vector<uint32_t>(n, 1)};
  for (size_t k = 0; k < n; ++k) {
    const Anchor& cur = anchors[k];
    chains.best[k] = cur.weight;
    const size_t stop = k > kMaxPredecessors ? k - kMaxPredecessors : 0;
    for (size_t p = k; p-- > stop;) {
      const Anchor& pre = anchors[p];
      if (pre.i + max_gap < cur.i) break;
      if (pre.i == cur.i || pre.j >= cur.j || cur.j - pre.j > max_gap) continue;
      const uint32_t di = cur.i - pre.i;
      const uint32_t dj = cur.j - pre.j;
      const float skew = static_cast<float>(di > dj ? di - dj : dj - di);
      const float skip = static_cast<float>(std::min(di, dj) - 1);
      const float score =
          chains.best[p] + cur.weight - kSkewCost * skew - kSkipCost * skip;
      if (score > chains.best[k]) {
        chains.best[k] = score;
        chains.prev[k] = static_cast<int32_t>(p);
        chains.length[k] = chains.length[p] + 1;
      }
    }
  }
  return chains;
}

}  // namespace

KeyIndex IndexKeys(absl::Span<const uint64_t> keys) {
  KeyIndex index;
  index.entries.reserve(keys.size());
  for (uint32_t k = 0; k < keys.size(); ++k) {
    index.entries.push_back({keys[k], k});
  }
  std::sort(index.entries.begin(), index.entries.end());
  return index;
}

std::vector<AlignedPassage> AlignPassages(absl::Span<const uint64_t> a,
                                          absl::Span<const uint64_t> b,
                                          const AlignOptions& options) {
  const KeyIndex a_index = IndexKeys(a), b_index = IndexKeys(b);
  return AlignPassages({a, &a_index, {}}, {b, &b_index, {}}, options);
}

std::vector<AlignedPassage> AlignPassages(const AlignInput& a_input,
                                          const AlignInput& b_input,
                                          const AlignOptions& options) {
  const absl::Span<const uint64_t> a = a_input.keys, b = b_input.keys;
  const uint32_t min_anchors =
      static_cast<uint32_t>(std::max(1, options.min_tokens));
  std::vector<Anchor> anchors = FindAnchors(
      *a_input.index, *b_input.index, std::max(1, options.max_occurrences));
  // Most candidate pairs of a scan end here: too few anchors for any chain.
  if (anchors.size() < min_anchors) return {};
  if (!a_input.boilerplate.empty() && !b_input.boilerplate.empty()) {
    for (Anchor& anchor : anchors) {
      anchor.informative =
          a_input.boilerplate[anchor.i] && b_input.boilerplate[anchor.j] ? 0
                                                                         : 1;
    }
  }
  const Chains chains = ChainAnchors(
      anchors, static_cast<uint32_t>(std::max(1, options.max_gap)));
  const size_t n = anchors.size();
  const std::vector<float>& best = chains.best;
  const std::vector<int32_t>& prev = chains.prev;

  // Extraction, best chain end first; each anchor belongs to one chain. Only
  // ends of chains long enough to report are considered: a chain taken later
  // is at most as long as its best chain was.
  std::vector<uint32_t> order;
  for (uint32_t k = 0; k < n; ++k) {
    if (chains.length[k] >= min_anchors) order.push_back(k);
  }
  std::sort(order.begin(), order.end(), [&](uint32_t x, uint32_t y) {
    return best[x] != best[y] ? best[x] > best[y] : x < y;
  });
  std::vector<bool> used(n, false);
  std::vector<AlignedPassage> passages;
  for (uint32_t end : order) {
    if (used[end]) continue;
    uint32_t count = 0, informative = 0;
    int32_t first = static_cast<int32_t>(end);
    for (int32_t x = first; x != -1 && !used[x]; x = prev[x]) {
      used[x] = true;
      first = x;
      ++count;
      informative += anchors[x].informative;
    }
    if (count < min_anchors) continue;
    AlignedPassage passage;
    passage.anchors = count;
    passage.a = {anchors[first].i, anchors[end].i + 1};
    passage.b = {anchors[first].j, anchors[end].j + 1};
    // Boilerplate matches do not count, unless the passage is most of the
    // shorter text: a whole shared document is a copy even when formulaic.
    const double shorter = static_cast<double>(std::min(a.size(), b.size()));
    const bool whole = std::min(passage.a.size(), passage.b.size()) >=
                       kWholeDocumentShare * shorter;
    if (informative < min_anchors && !whole) continue;
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
