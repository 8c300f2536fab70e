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
// Texts shorter than this many times AlignOptions::min_tokens are short:
// their chains may have as few as AlignOptions::short_text_min_tokens
// anchors. Only there, because taking short chains first would split the
// longer chains that run through them (a chain's score can fall along it).
constexpr size_t kShortTextFactor = 2;

using Anchor = AlignAnchor;

// Merges the two key indexes: every pair of positions with equal keys whose
// key is not too frequent in both texts. Sorted by (i, j).
std::vector<Anchor> FindAnchors(absl::Span<const uint64_t> a_keys,
                                const KeyIndex& a,
                                absl::Span<const uint64_t> b_keys,
                                const KeyIndex& b, int max_occurrences) {
  const uint64_t max_product = AnchorProductLimit(max_occurrences);
  std::vector<Anchor> anchors;
  const std::vector<uint32_t>& x = a.positions;
  const std::vector<uint32_t>& y = b.positions;
  size_t i = 0, j = 0;
  while (i < x.size() && j < y.size()) {
    const uint64_t key = a_keys[x[i]];
    const uint64_t other = b_keys[y[j]];
    if (key < other) {
      ++i;
    } else if (other < key) {
      ++j;
    } else {
      size_t i_end = i + 1, j_end = j + 1;
      while (i_end < x.size() && a_keys[x[i_end]] == key) ++i_end;
      while (j_end < y.size() && b_keys[y[j_end]] == key) ++j_end;
      const uint64_t product = static_cast<uint64_t>(i_end - i) * (j_end - j);
      if (product <= max_product) {
        const float weight = AnchorWeight(product);
        for (size_t p = i; p < i_end; ++p) {
          for (size_t q = j; q < j_end; ++q) {
            anchors.push_back({x[p], y[q], weight, 1});
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
  // The predecessors of anchor k are the kMaxPredecessors anchors before it,
  // back to the first whose i is within max_gap of its own (`near`, which
  // only moves forward as k does) and short of those on its own row
  // (`row`): anchors are sorted by (i, j).
  size_t near = 0, row = 0;
  for (size_t k = 0; k < n; ++k) {
    const Anchor& cur = anchors[k];
    chains.best[k] = cur.weight;
    if (anchors[row].i != cur.i) row = k;
    while (anchors[near].i + max_gap < cur.i) ++near;
    const size_t stop =
        std::max(near, k > kMaxPredecessors ? k - kMaxPredecessors : size_t{0});
    for (size_t p = row; p-- > stop;) {
      const Anchor& pre = anchors[p];
      if (pre.j >= cur.j || cur.j - pre.j > max_gap) continue;
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

// A chain taken for a passage. Extension grows it over identical neighbouring
// tokens; pieces that extension joins are merged into one.
struct Piece {
  uint32_t first = 0;             // index of its first anchor
  uint32_t last = 0;              // ... and of its last
  uint32_t anchors = 0;           // between its trimmed ends
  uint32_t informative = 0;       // not boilerplate, of the untrimmed chain
  uint32_t chain_anchors = 0;     // of the untrimmed chain
  TokenRange anchor_a, anchor_b;  // first anchor to last anchor, inclusive
  TokenRange chain_a, chain_b;    // ... of the untrimmed chain
  TokenRange a, b;                // after extension
};

// Marks of piece_of[]: an anchor in no chain taken yet, and an anchor of a
// chain too short to report.
constexpr int32_t kFree = -1;
constexpr int32_t kDropped = -2;

TokenRange Union(TokenRange x, TokenRange y) {
  return {std::min(x.begin, y.begin), std::max(x.end, y.end)};
}

// The piece that owns the anchor at (i, j), or kFree / kDropped.
int32_t PieceAt(const std::vector<Anchor>& anchors,
                const std::vector<int32_t>& piece_of, uint32_t i, uint32_t j) {
  const auto it = std::lower_bound(
      anchors.begin(), anchors.end(), std::make_pair(i, j),
      [](const Anchor& x, const std::pair<uint32_t, uint32_t>& y) {
        return x.i != y.first ? x.i < y.first : x.j < y.second;
      });
  if (it == anchors.end() || it->i != i || it->j != j) return kFree;
  return piece_of[it - anchors.begin()];
}

// Frequent tokens are not anchors; extension takes back identical tokens at
// the edges of each piece so boundaries fall where the shared text really
// starts and ends. In a long identical stretch the chains break wherever
// more than max_gap frequent tokens separate two anchors; extension then
// runs into the next piece, and the two become one passage. A walk stops at
// the first anchor of a piece that lies wholly beyond (after it on both
// sides, for a walk forward), so the tokens of a diagonal are walked over
// by one piece per direction, and by the few pieces that overlap it (chains
// interleaved around repeated words, which are left as they are): linear,
// however many pieces one identical stretch holds. Two pieces merge when
// each one's walk stopped at the other, so a merged passage is a sequence
// of pieces each wholly after the one before: their anchors never overlap.
// Returns the merged pieces in order of their first member.
std::vector<Piece> ExtendAndMerge(absl::Span<const uint64_t> a,
                                  absl::Span<const uint64_t> b,
                                  const std::vector<Anchor>& anchors,
                                  const std::vector<int32_t>& piece_of,
                                  std::vector<Piece> pieces) {
  // The anchors of every piece, first to last, are known before any walk.
  for (Piece& piece : pieces) {
    const Anchor& first = anchors[piece.first];
    const Anchor& last = anchors[piece.last];
    piece.anchor_a = {first.i, last.i + 1};
    piece.anchor_b = {first.j, last.j + 1};
  }
  // True when piece x ends before piece y begins, on both sides.
  auto ordered = [&pieces](int32_t x, int32_t y) {
    return pieces[x].anchor_a.end <= pieces[y].anchor_a.begin &&
           pieces[x].anchor_b.end <= pieces[y].anchor_b.begin;
  };
  // The piece each walk stopped at, backward and forward, or -1.
  std::vector<int32_t> before(pieces.size(), -1), after(pieces.size(), -1);
  for (size_t p = 0; p < pieces.size(); ++p) {
    Piece& piece = pieces[p];
    const int32_t self = static_cast<int32_t>(p);
    uint32_t i = piece.anchor_a.begin, j = piece.anchor_b.begin;
    while (i > 0 && j > 0 && a[i - 1] == b[j - 1]) {
      const int32_t other = PieceAt(anchors, piece_of, i - 1, j - 1);
      if (other >= 0 && ordered(other, self)) {
        before[p] = other;
        break;
      }
      --i;
      --j;
    }
    piece.a.begin = i;
    piece.b.begin = j;
    i = piece.anchor_a.end;
    j = piece.anchor_b.end;
    while (i < a.size() && j < b.size() && a[i] == b[j]) {
      const int32_t other = PieceAt(anchors, piece_of, i, j);
      if (other >= 0 && ordered(self, other)) {
        after[p] = other;
        break;
      }
      ++i;
      ++j;
    }
    piece.a.end = i;
    piece.b.end = j;
  }
  auto joined = [&](int32_t x) {
    return after[x] >= 0 && before[after[x]] == x;
  };
  std::vector<Piece> merged;
  for (size_t p = 0; p < pieces.size(); ++p) {
    const int32_t head = static_cast<int32_t>(p);
    if (before[p] >= 0 && joined(before[p])) continue;  // not a first piece
    Piece& group = merged.emplace_back(pieces[p]);
    for (int32_t x = head; joined(x);) {
      x = after[x];
      const Piece& piece = pieces[x];
      group.anchors += piece.anchors;
      group.informative += piece.informative;
      group.chain_anchors += piece.chain_anchors;
      group.anchor_a = Union(group.anchor_a, piece.anchor_a);
      group.anchor_b = Union(group.anchor_b, piece.anchor_b);
      group.chain_a = Union(group.chain_a, piece.chain_a);
      group.chain_b = Union(group.chain_b, piece.chain_b);
      group.a = Union(group.a, piece.a);
      group.b = Union(group.b, piece.b);
    }
  }
  return merged;
}

// The anchors of one chain, first to last, without its loose ends: a
// chain's ends may reach out over max_gap tokens to a word that matches by
// chance (a function word in unrelated text just before or after the
// passage), and a passage must start and end where the shared text does.
// The chain is cut into runs, stretches of one diagonal identical on both
// sides (frequent words between anchors included, and identical tokens just
// outside its first and last anchor). A run of L tokens is worth L - 1; the
// unmatched tokens between it and the next run inward (the longer side's)
// cost kEdgeGapCost each. Runs worth less than their gap are peeled off each
// end until one is worth it: a lone matching word is never an edge when
// anything unmatched separates it from the rest, two identical words are
// when at most 4 tokens do. Peeling stops at the first solid run, so the
// loosely aligned inside of a paraphrased passage is left as it is.
constexpr double kEdgeGapCost = 0.25;

std::vector<uint32_t> TrimChain(absl::Span<const uint64_t> a,
                                absl::Span<const uint64_t> b,
                                const std::vector<Anchor>& anchors,
                                std::vector<uint32_t> chain) {
  struct Run {
    size_t first, last;  // indexes into chain
    uint32_t a_begin, a_end, b_begin, b_end;
  };
  std::vector<Run> runs;
  for (size_t k = 0; k < chain.size(); ++k) {
    const Anchor& cur = anchors[chain[k]];
    if (!runs.empty()) {
      Run& run = runs.back();
      const Anchor& pre = anchors[chain[run.last]];
      bool same = cur.i - pre.i == cur.j - pre.j;
      for (uint32_t t = 1; same && pre.i + t < cur.i; ++t) {
        same = a[pre.i + t] == b[pre.j + t];
      }
      if (same) {
        run.last = k;
        run.a_end = cur.i + 1;
        run.b_end = cur.j + 1;
        continue;
      }
    }
    runs.push_back({k, k, cur.i, cur.i + 1, cur.j, cur.j + 1});
  }
  if (runs.size() < 2) return chain;
  // Identical tokens around each run, up to its neighbours.
  for (size_t r = 0; r < runs.size(); ++r) {
    Run& run = runs[r];
    const uint32_t a_floor = r > 0 ? runs[r - 1].a_end : 0;
    const uint32_t b_floor = r > 0 ? runs[r - 1].b_end : 0;
    while (run.a_begin > a_floor && run.b_begin > b_floor &&
           a[run.a_begin - 1] == b[run.b_begin - 1]) {
      --run.a_begin;
      --run.b_begin;
    }
    const uint32_t a_ceiling = r + 1 < runs.size()
                                   ? runs[r + 1].a_begin
                                   : static_cast<uint32_t>(a.size());
    const uint32_t b_ceiling = r + 1 < runs.size()
                                   ? runs[r + 1].b_begin
                                   : static_cast<uint32_t>(b.size());
    while (run.a_end < a_ceiling && run.b_end < b_ceiling &&
           a[run.a_end] == b[run.b_end]) {
      ++run.a_end;
      ++run.b_end;
    }
  }
  auto worth = [](const Run& run) {
    return static_cast<double>(run.a_end - run.a_begin) - 1;
  };
  auto gap = [&runs](size_t r) {  // between runs r and r + 1
    const Run& x = runs[r];
    const Run& y = runs[r + 1];
    const uint32_t a_gap = y.a_begin > x.a_end ? y.a_begin - x.a_end : 0;
    const uint32_t b_gap = y.b_begin > x.b_end ? y.b_begin - x.b_end : 0;
    return kEdgeGapCost * std::max(a_gap, b_gap);
  };
  size_t first = 0, last = runs.size() - 1;
  while (first < last && worth(runs[first]) < gap(first)) ++first;
  while (last > first && worth(runs[last]) < gap(last - 1)) --last;
  return std::vector<uint32_t>(chain.begin() + runs[first].first,
                               chain.begin() + runs[last].last + 1);
}

// Takes chains best end first; each anchor belongs to one chain. Only ends
// of chains long enough to report are considered: a chain taken later is at
// most as long as its best chain was. A chain qualifies by all its anchors
// (Piece::informative counts them), but its piece keeps only those between
// its trimmed ends (TrimChain): the loose ends that paraphrase leaves still
// show that two texts share a passage, they just are not part of it. Sets
// piece_of[k] to the piece anchor k is in, kDropped if its chain was too
// short or it was trimmed off, kFree if it is in none.
std::vector<Piece> TakeChains(absl::Span<const uint64_t> a,
                              absl::Span<const uint64_t> b,
                              const std::vector<Anchor>& anchors,
                              const Chains& chains, uint32_t min_anchors,
                              std::vector<int32_t>* piece_of) {
  const size_t n = anchors.size();
  const std::vector<float>& best = chains.best;
  const std::vector<int32_t>& prev = chains.prev;
  std::vector<uint32_t> order;
  for (uint32_t k = 0; k < n; ++k) {
    if (chains.length[k] >= min_anchors) order.push_back(k);
  }
  std::sort(order.begin(), order.end(), [&](uint32_t x, uint32_t y) {
    return best[x] != best[y] ? best[x] > best[y] : x < y;
  });
  std::vector<Piece> pieces;
  std::vector<int32_t>& owner = *piece_of;
  owner.assign(n, kFree);
  std::vector<uint32_t> chain;
  for (uint32_t end : order) {
    if (owner[end] != kFree) continue;
    chain.clear();
    for (int32_t x = static_cast<int32_t>(end); x != -1 && owner[x] == kFree;
         x = prev[x]) {
      owner[x] = kDropped;
      chain.push_back(static_cast<uint32_t>(x));
    }
    if (chain.size() < min_anchors) continue;
    std::reverse(chain.begin(), chain.end());
    const int32_t id = static_cast<int32_t>(pieces.size());
    Piece& piece = pieces.emplace_back();
    for (uint32_t x : chain) piece.informative += anchors[x].informative;
    piece.chain_anchors = static_cast<uint32_t>(chain.size());
    piece.chain_a = {anchors[chain.front()].i, anchors[chain.back()].i + 1};
    piece.chain_b = {anchors[chain.front()].j, anchors[chain.back()].j + 1};
    const std::vector<uint32_t> kept = TrimChain(a, b, anchors, chain);
    piece.first = kept.front();
    piece.last = kept.back();
    piece.anchors = static_cast<uint32_t>(kept.size());
    for (uint32_t x : kept) owner[x] = id;
  }
  return pieces;
}

// Chains the anchors, takes the chains long enough and extends and merges
// them: the pieces that may become passages. `anchors` as FindAnchors
// returns them, at least min_chain of them.
std::vector<Piece> MergedPieces(absl::Span<const uint64_t> a,
                                absl::Span<const uint64_t> b,
                                const std::vector<Anchor>& anchors,
                                uint32_t min_chain,
                                const AlignOptions& options) {
  std::vector<Piece> pieces;
  std::vector<int32_t> piece_of;
  {
    const Chains chains = ChainAnchors(
        anchors, static_cast<uint32_t>(std::max(1, options.max_gap)));
    pieces = TakeChains(a, b, anchors, chains, min_chain, &piece_of);
  }
  return ExtendAndMerge(a, b, anchors, piece_of, std::move(pieces));
}

// The passages among the merged pieces: those that pass the tests below on
// their similarity, measure(span of a, span of b) (MeasurePassage's).
template <typename Measure>
std::vector<AlignedPassage> PassagesOf(size_t a_size, size_t b_size,
                                       const std::vector<Piece>& merged,
                                       const AlignOptions& options,
                                       Measure measure) {
  const uint32_t min_anchors =
      static_cast<uint32_t>(std::max(1, options.min_tokens));
  const size_t shorter = std::min(a_size, b_size);
  std::vector<AlignedPassage> passages;
  const double covering =
      options.short_text_share * static_cast<double>(shorter);
  for (const Piece& piece : merged) {
    // A passage needs min_anchors matches that are not boilerplate, unless
    // it spans most of the shorter text: a whole shared document (a short
    // post, a headline) is a copy even when short or formulaic.
    const bool covers = static_cast<double>(std::min(
                            piece.a.size(), piece.b.size())) >= covering;
    if (piece.informative < min_anchors && !covers) continue;
    AlignedPassage passage;
    passage.anchors = piece.anchors;
    passage.a = piece.a;
    passage.b = piece.b;
    const PassageSimilarity similarity = measure(passage.a, passage.b);
    // Like min_tokens, min_score judges the whole chain: trimming its loose
    // ends raises the score of what is left, and must not make a sparse
    // chain (shared formulas, chance words) a passage.
    const TokenRange chain_a = Union(piece.chain_a, piece.a);
    const TokenRange chain_b = Union(piece.chain_b, piece.b);
    const double chain_score =
        chain_a.size() == piece.a.size() && chain_b.size() == piece.b.size()
            ? similarity.dice
            : measure(chain_a, chain_b).dice;
    // And the passage as reported must reach min_score too: trimming usually
    // raises the score, but not always (the align fuzzer found a case).
    if (chain_score < options.min_score ||
        similarity.dice < options.min_score) {
      continue;
    }
    // A chain shorter than min_anchors (taken only between short texts)
    // must match most of the shorter text's words, not just span them: two
    // wedding announcements of one template share their frame, not their
    // names.
    if (piece.chain_anchors < min_anchors &&
        static_cast<double>(similarity.matched) < covering) {
      continue;
    }
    passage.matched = similarity.matched;
    passage.score = similarity.dice;
    passages.push_back(passage);
  }
  std::sort(passages.begin(), passages.end(),
            [](const AlignedPassage& x, const AlignedPassage& y) {
              return std::tie(x.a.begin, x.b.begin, x.a.end, x.b.end) <
                     std::tie(y.a.begin, y.b.begin, y.a.end, y.b.end);
            });
  // A passage inside another on both sides is what is left of a chain of
  // repeated words crossing it (what trimming left of it, often a single
  // "in"): the text is already reported as shared in both. (Inside another
  // on one side only is a text repeated in one of them: kept.)
  const auto inside = [](TokenRange x, TokenRange y) {
    return y.begin <= x.begin && x.end <= y.end;
  };
  std::vector<uint8_t> nested(passages.size(), 0);
  for (size_t i = 0; i < passages.size(); ++i) {
    for (size_t j = 0; j < passages.size(); ++j) {
      if (i == j || nested[j]) continue;
      if (inside(passages[i].a, passages[j].a) &&
          inside(passages[i].b, passages[j].b)) {
        nested[i] = 1;
        break;
      }
    }
  }
  size_t kept = 0;
  for (size_t i = 0; i < passages.size(); ++i) {
    if (!nested[i]) passages[kept++] = passages[i];
  }
  passages.resize(kept);
  return passages;
}

// Everything after finding the anchors. Each stage's structures are freed
// before the next begins: on a long text they are several bytes per anchor.
std::vector<AlignedPassage> AlignAnchors(
    absl::Span<const uint64_t> a, absl::Span<const uint64_t> b,
    absl::Span<const uint8_t> a_boilerplate,
    absl::Span<const uint8_t> b_boilerplate, std::vector<Anchor> anchors,
    const AlignOptions& options) {
  const uint32_t min_chain = MinChainAnchors(a.size(), b.size(), options);
  // Most candidate pairs of a scan end here: too few anchors for any chain.
  if (anchors.size() < min_chain) return {};
  if (!a_boilerplate.empty() && !b_boilerplate.empty()) {
    for (Anchor& anchor : anchors) {
      anchor.informative =
          a_boilerplate[anchor.i] && b_boilerplate[anchor.j] ? 0 : 1;
    }
  }
  const std::vector<Piece> merged =
      MergedPieces(a, b, anchors, min_chain, options);
  std::vector<Anchor>().swap(anchors);
  return PassagesOf(a.size(), b.size(), merged, options,
                    [a, b](TokenRange x, TokenRange y) {
                      return MeasurePassage(a.subspan(x.begin, x.size()),
                                            b.subspan(y.begin, y.size()));
                    });
}

}  // namespace

uint32_t MinChainAnchors(size_t a_tokens, size_t b_tokens,
                         const AlignOptions& options) {
  const uint32_t min_anchors =
      static_cast<uint32_t>(std::max(1, options.min_tokens));
  if (std::min(a_tokens, b_tokens) >= kShortTextFactor * min_anchors) {
    return min_anchors;
  }
  return std::clamp<uint32_t>(
      static_cast<uint32_t>(std::max(1, options.short_text_min_tokens)), 1,
      min_anchors);
}

KeyIndex IndexKeys(absl::Span<const uint64_t> keys) {
  // Sorting (key, position) pairs reads memory in order; sorting positions
  // by keys[position] would not. The pairs last only while sorting.
  std::vector<std::pair<uint64_t, uint32_t>> entries(keys.size());
  for (uint32_t k = 0; k < keys.size(); ++k) entries[k] = {keys[k], k};
  std::sort(entries.begin(), entries.end());
  KeyIndex index;
  index.positions.resize(entries.size());
  for (size_t k = 0; k < entries.size(); ++k) {
    index.positions[k] = entries[k].second;
  }
  return index;
}

std::vector<AlignedPassage> AlignPassages(absl::Span<const uint64_t> a,
                                          absl::Span<const uint64_t> b,
                                          const AlignOptions& options) {
  std::vector<Anchor> anchors;
  {
    const KeyIndex a_index = IndexKeys(a), b_index = IndexKeys(b);
    anchors = FindAnchors(a, a_index, b, b_index,
                          std::max(1, options.max_occurrences));
  }
  return AlignAnchors(a, b, {}, {}, std::move(anchors), options);
}

std::vector<AlignedPassage> AlignPassagesOfAnchors(
    absl::Span<const uint64_t> a, absl::Span<const uint64_t> b,
    const std::vector<AlignAnchor>& anchors,
    absl::FunctionRef<PassageSimilarity(TokenRange, TokenRange)> measure,
    const AlignOptions& options) {
  const uint32_t min_chain = MinChainAnchors(a.size(), b.size(), options);
  if (anchors.size() < min_chain) return {};
  return PassagesOf(a.size(), b.size(),
                    MergedPieces(a, b, anchors, min_chain, options), options,
                    measure);
}

std::vector<AlignedPassage> AlignPassages(const AlignInput& a_input,
                                          const AlignInput& b_input,
                                          const AlignOptions& options) {
  return AlignAnchors(
      a_input.keys, b_input.keys, a_input.boilerplate, b_input.boilerplate,
      FindAnchors(a_input.keys, *a_input.index, b_input.keys, *b_input.index,
                  std::max(1, options.max_occurrences)),
      options);
}

}  // namespace neardup
