// Seed-and-chain alignment of two token sequences into shared passages.
//
// Anchors are positions (i, j) where token i of A and token j of B have the
// same key. Tokens frequent in both texts (f_a * f_b > max_occurrences^2)
// are not anchors: they are function words, and skipping them bounds the
// number of anchors by |A| * max_occurrences^2. Anchors are chained as in
// minimap2: a chain is increasing in both i and j, consecutive anchors are at
// most max_gap tokens apart on each side, and the chain score adds each
// anchor's weight 1/sqrt(f_a f_b) and subtracts a cost for uneven gaps.
// Chains are extracted best first, each anchor used once; a chain with at
// least min_tokens anchors is extended over identical neighbouring tokens,
// and chains that extension joins (one identical stretch broken wherever
// more than max_gap frequent tokens separate two anchors) become one. The
// result is a passage when its spans pass `MeasurePassage` (verify.h).
#ifndef NEARDUP_SRC_ALIGN_H_
#define NEARDUP_SRC_ALIGN_H_

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/types/span.h"
#include "neardup/neardup.h"
#include "verify.h"

namespace neardup {

// Token index range [begin, end).
struct TokenRange {
  uint32_t begin = 0;
  uint32_t end = 0;
  uint32_t size() const { return end - begin; }
};

struct AlignedPassage {
  TokenRange a;
  TokenRange b;
  uint32_t anchors = 0;  // chained anchor pairs, boilerplate ones included
  uint32_t matched = 0;  // multiset intersection of the two spans
  double score = 0;      // Dice of the two spans' token multisets
};

// A text's token positions sorted by (key, position): built once per
// document and reused for every pair it is aligned in, so finding anchors is
// a merge. 4 bytes a token: the keys are read from the text's key sequence.
struct KeyIndex {
  std::vector<uint32_t> positions;
};
KeyIndex IndexKeys(absl::Span<const uint64_t> keys);

// The fewest anchors a chain between texts of these lengths must have to be
// taken for a passage: options.min_tokens, or short_text_min_tokens (at most
// min_tokens) when the shorter text has fewer than 2 * min_tokens tokens.
// A pair of texts with no chain this long shares no passage.
uint32_t MinChainAnchors(size_t a_tokens, size_t b_tokens,
                         const AlignOptions& options);

// Returns the passages shared by token-key sequences `a` and `b`, ordered by
// (a.begin, b.begin). Time O(|A| + |B| + anchors * kMaxPredecessors), plus
// sorting the anchors and each passage's tokens (verification).
std::vector<AlignedPassage> AlignPassages(absl::Span<const uint64_t> a,
                                          absl::Span<const uint64_t> b,
                                          const AlignOptions& options);
// One side of an alignment with everything precomputed.
struct AlignInput {
  absl::Span<const uint64_t> keys;
  // == IndexKeys(keys), or that with the positions of keys the other text
  // lacks left out: they make no anchor, and the result is the same.
  const KeyIndex* index = nullptr;
  // Optional, one flag per token: 1 marks collection-level boilerplate (see
  // boilerplate.h). An anchor on boilerplate in both texts still links a
  // chain but does not count toward min_tokens.
  absl::Span<const uint8_t> boilerplate;
};
std::vector<AlignedPassage> AlignPassages(const AlignInput& a,
                                          const AlignInput& b,
                                          const AlignOptions& options);

// An anchor: token i of A and token j of B have the same key, weighing
// 1 / sqrt(f_a * f_b), f_a and f_b its key's occurrences in A and in B.
struct AlignAnchor {
  uint32_t i;
  uint32_t j;
  float weight;
  uint32_t informative;  // 0 for an anchor on boilerplate in both texts
};

// The anchor rule, for AlignPassages and a caller that lists anchors
// itself: a key with f_a * f_b = `product` pairs of occurrences anchors
// them only while product <= AnchorProductLimit(max_occurrences), each
// pair weighing AnchorWeight(product).
inline uint64_t AnchorProductLimit(int max_occurrences) {
  return static_cast<uint64_t>(max_occurrences) *
         static_cast<uint64_t>(max_occurrences);
}
inline float AnchorWeight(uint64_t product) {
  return 1.0f / std::sqrt(static_cast<float>(product));
}
// AlignPassages for a caller that lists the anchors and measures spans
// faster than the general merge of two key indexes and MeasurePassage
// (contamination: one short item against windows of many documents).
// `anchors` must be what AlignPassages would find, no boilerplate: every
// (i, j) with a[i] == b[j] whose key has f_a * f_b <= max_occurrences^2,
// with its weight and informative = 1, sorted by (i, j); measure(x, y) must
// return MeasurePassage(a[x], b[y]). The result is AlignPassages'.
std::vector<AlignedPassage> AlignPassagesOfAnchors(
    absl::Span<const uint64_t> a, absl::Span<const uint64_t> b,
    const std::vector<AlignAnchor>& anchors,
    absl::FunctionRef<PassageSimilarity(TokenRange, TokenRange)> measure,
    const AlignOptions& options);

}  // namespace neardup

#endif  // NEARDUP_SRC_ALIGN_H_
