// Near-identical copies: the stage of Scan that keeps a group of k copies of
// one text from costing k^2 / 2 alignments.
//
// A document is a copy of another, its representative, when its token keys
// hold the representative's whole key sequence contiguously, with at most
// kMaxExtraTokens tokens more at its two ends together (and at most one for
// every 8 of the representative's): the same text stored twice, or with a
// byline, a dateline or a word added. Only representatives are sketched and
// aligned with other documents; each copy is aligned once, with its
// representative, and its passages with other documents are the
// representative's, moved to where the representative's tokens lie in the
// copy (token for token the same keys, so the same words, score and
// counts) and located in the copy's own text. So every copy is reported,
// with exact spans in its own offsets, at the cost of one alignment.
#ifndef NEARDUP_SRC_COPIES_H_
#define NEARDUP_SRC_COPIES_H_

#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

#include "absl/types/span.h"
#include "align.h"
#include "analyze.h"
#include "reuse_clusters.h"

namespace neardup {

inline constexpr uint32_t kMaxExtraTokens = 8;

class Copies {
 public:
  // Finds the copies among texts analysed as `analyzed` (keys only are
  // read). A document's representative is the longest document it can be a
  // copy of that is not itself a copy (of two as long, the one found nearer
  // its start); the representative of identical texts is the first. Documents
  // without tokens are never grouped. Deterministic; linear in the tokens.
  explicit Copies(absl::Span<const AnalyzedText> analyzed);
  // No copies among n documents.
  static Copies None(size_t n);

  // Documents that are copies of another.
  size_t copies() const { return copies_; }
  // d itself, or the document d is a copy of.
  uint32_t representative(size_t d) const { return representative_[d]; }
  bool is_copy(size_t d) const { return representative_[d] != d; }
  // The copies of representative r, in index order (empty for a copy).
  absl::Span<const uint32_t> copies_of(size_t r) const {
    return absl::Span<const uint32_t>(list_).subspan(first_[r],
                                                     first_[r + 1] - first_[r]);
  }
  // The tokens of representative(d) moved to where they lie in d.
  TokenRange Move(size_t d, TokenRange range) const {
    return {range.begin + offset_[d], range.end + offset_[d]};
  }

 private:
  Copies() = default;

  size_t copies_ = 0;
  std::vector<uint32_t> representative_;
  std::vector<uint32_t> offset_;  // where the representative's tokens begin
  std::vector<uint32_t> first_;   // copies_of(r) is list_[first_[r], ...)
  std::vector<uint32_t> list_;
};

// Token passages of one pair of documents, a < b.
struct TokenPair {
  IndexPair documents;
  std::vector<AlignedPassage> passages;
};

// What copies share through their representatives, from the aligned pairs
// `aligned` (sorted, each with passages; the pairs of representatives and
// each copy's pair with its representative).
struct CopyPassages {
  // Reported as pairs: in a group of documents `plan` aligns pair by pair,
  // for a pair of representatives (r, s), the same passages between every
  // document of r's group and every one of s's, and every two copies of one
  // representative (from the copy's own alignment with it). Sorted, a < b,
  // none of them in `aligned`.
  std::vector<TokenPair> pairs;
  // Joined into clusters only: in a clustered group, for each copy x of a
  // representative r, the pair (x, r) with one passage for every distinct
  // token range r has in a passage with another representative (the range
  // moved into x on x's side, the range itself on r's). Sorted, a < b. Each
  // passage's span in r is the span of an aligned passage of r with a
  // third document s, so it joins that passage and its cluster: the copy is
  // a member with the spans the pair (x, s) would give it, without the
  // pairs (x, s) themselves (k copies of r with k partners are k entries
  // for each distinct range, not k^2 pairs).
  std::vector<TokenPair> carried;
  // The pairs whose passages were carried over, not aligned: pairs.size()
  // and, in clustered groups, the pairs (x, s) that `carried` stands for.
  size_t derived_pairs = 0;
};
CopyPassages DeriveCopyPassages(const Copies& copies, const ClusterPlan& plan,
                                const std::vector<TokenPair>& aligned);

}  // namespace neardup

#endif  // NEARDUP_SRC_COPIES_H_
