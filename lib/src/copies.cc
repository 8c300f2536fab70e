#include "copies.h"

#include <algorithm>
#include <numeric>
#include <tuple>

#include "absl/container/flat_hash_map.h"

namespace neardup {
namespace {

// Polynomial hashing of key sequences (mod 2^64): the hash of any stretch
// of a document from its prefix hashes in constant time. A collision only
// costs a comparison of the keys, which decides.
constexpr uint64_t kBase = 0x9e3779b97f4a7c15ULL;

uint64_t Power(uint64_t exponent) {
  uint64_t result = 1, base = kBase;
  for (; exponent > 0; exponent >>= 1) {
    if (exponent & 1) result *= base;
    base *= base;
  }
  return result;
}

// The order of AlignPassages' result.
bool InAlignOrder(const AlignedPassage& u, const AlignedPassage& v) {
  return std::tie(u.a.begin, u.b.begin, u.a.end, u.b.end) <
         std::tie(v.a.begin, v.b.begin, v.a.end, v.b.end);
}

// Passages of (x's representative, y's representative) moved into x and y,
// as a pair (min, max) with its passages in AlignPassages' order.
TokenPair MovePassages(const Copies& copies, uint32_t x, uint32_t y,
                       const std::vector<AlignedPassage>& passages) {
  TokenPair pair;
  pair.documents = {std::min(x, y), std::max(x, y)};
  pair.passages.reserve(passages.size());
  for (const AlignedPassage& passage : passages) {
    AlignedPassage& moved = pair.passages.emplace_back(passage);
    moved.a = copies.Move(x, passage.a);
    moved.b = copies.Move(y, passage.b);
    if (x > y) std::swap(moved.a, moved.b);
  }
  if (x > y) {
    std::sort(pair.passages.begin(), pair.passages.end(), InAlignOrder);
  }
  return pair;
}

}  // namespace

Copies::Copies(absl::Span<const AnalyzedText> analyzed) {
  const size_t n = analyzed.size();
  representative_.resize(n);
  std::iota(representative_.begin(), representative_.end(), 0);
  offset_.assign(n, 0);
  // Shorter documents first, so that a representative is decided before
  // every document that could be its copy.
  std::vector<uint32_t> order;
  for (size_t d = 0; d < n; ++d) {
    if (analyzed[d].size() > 0) order.push_back(static_cast<uint32_t>(d));
  }
  std::stable_sort(order.begin(), order.end(), [&](uint32_t x, uint32_t y) {
    return analyzed[x].size() < analyzed[y].size();
  });
  absl::flat_hash_map<uint64_t, uint32_t> representatives;  // by hash
  // Hashes of the first `most` + 1 and the last `most` + 1 prefixes of a
  // document: all that its stretches without up to `most` tokens at the ends
  // need (a text of 200 MB gets no array of a hash a token).
  std::vector<uint64_t> head, tail;
  for (const uint32_t d : order) {
    const std::vector<uint64_t>& keys = analyzed[d].keys;
    const size_t length = keys.size();
    const size_t most = std::min<size_t>(kMaxExtraTokens, length / 9);
    head.assign(most + 1, 0);
    tail.assign(most + 1, 0);
    uint64_t hash = 0;
    for (size_t t = 0; t <= length; ++t) {
      if (t <= most) head[t] = hash;
      if (t + most >= length) tail[t + most - length] = hash;
      if (t < length) hash = hash * kBase + keys[t];
    }
    bool found = false;
    for (size_t extra = 0; extra <= most && !found; ++extra) {
      const size_t inner = length - extra;
      const uint64_t power = Power(inner);
      for (size_t start = 0; start <= extra; ++start) {
        // Tokens [start, start + inner): prefix start + inner is tail entry
        // start + inner - (length - most).
        const uint64_t stretch =
            tail[start + most - extra] - head[start] * power;
        const auto at = representatives.find(stretch);
        if (at == representatives.end()) continue;
        const std::vector<uint64_t>& other = analyzed[at->second].keys;
        if (other.size() != inner ||
            !std::equal(other.begin(), other.end(), keys.begin() + start)) {
          continue;
        }
        representative_[d] = at->second;
        offset_[d] = static_cast<uint32_t>(start);
        ++copies_;
        found = true;
        break;
      }
    }
    if (!found) representatives.try_emplace(tail[most], d);
  }
  first_.assign(n + 1, 0);
  for (size_t d = 0; d < n; ++d) {
    if (is_copy(d)) ++first_[representative_[d] + 1];
  }
  for (size_t d = 0; d < n; ++d) first_[d + 1] += first_[d];
  list_.resize(copies_);
  std::vector<uint32_t> filled(first_.begin(), first_.end() - 1);
  for (size_t d = 0; d < n; ++d) {
    if (is_copy(d)) list_[filled[representative_[d]]++] = d;
  }
}

Copies Copies::None(size_t n) {
  Copies none;
  none.representative_.resize(n);
  std::iota(none.representative_.begin(), none.representative_.end(), 0);
  none.offset_.assign(n, 0);
  none.first_.assign(n + 1, 0);
  return none;
}

CopyPassages DeriveCopyPassages(const Copies& copies, const ClusterPlan& plan,
                                const std::vector<TokenPair>& aligned) {
  CopyPassages out;
  std::vector<TokenPair>& derived = out.pairs;
  // (representative, a token range of it in a passage with another
  // representative) in clustered groups, for out.carried.
  std::vector<std::tuple<uint32_t, uint32_t, uint32_t>> shared;
  for (const TokenPair& pair : aligned) {
    const auto [a, b] = pair.documents;
    const bool pairwise = !plan.clustered(a);
    if (!copies.is_copy(a) && !copies.is_copy(b)) {
      // Two representatives: their groups' documents share the passages.
      const absl::Span<const uint32_t> a_copies = copies.copies_of(a);
      const absl::Span<const uint32_t> b_copies = copies.copies_of(b);
      if (!pairwise) {
        out.derived_pairs += a_copies.size() + b_copies.size();
        for (const AlignedPassage& passage : pair.passages) {
          if (!a_copies.empty()) {
            shared.emplace_back(a, passage.a.begin, passage.a.end);
          }
          if (!b_copies.empty()) {
            shared.emplace_back(b, passage.b.begin, passage.b.end);
          }
        }
        continue;
      }
      for (const uint32_t x : a_copies) {
        derived.push_back(MovePassages(copies, x, b, pair.passages));
      }
      for (const uint32_t y : b_copies) {
        derived.push_back(MovePassages(copies, a, y, pair.passages));
      }
      for (const uint32_t x : a_copies) {
        for (const uint32_t y : b_copies) {
          derived.push_back(MovePassages(copies, x, y, pair.passages));
        }
      }
      continue;
    }
    if (!pairwise) continue;
    // A copy and its representative: the copy shares the same passages with
    // every later copy of that representative.
    const uint32_t copy = copies.is_copy(a) ? a : b;
    const uint32_t representative = copies.representative(copy);
    if ((copy == a ? b : a) != representative) continue;
    for (const uint32_t other : copies.copies_of(representative)) {
      if (other <= copy) continue;
      TokenPair& moved = derived.emplace_back();
      moved.documents = {copy, other};
      for (const AlignedPassage& passage : pair.passages) {
        AlignedPassage& p = moved.passages.emplace_back(passage);
        const bool copy_first = copy == a;
        p.a = copy_first ? passage.a : passage.b;
        p.b = copies.Move(other, copy_first ? passage.b : passage.a);
      }
      std::sort(moved.passages.begin(), moved.passages.end(), InAlignOrder);
    }
  }
  std::sort(derived.begin(), derived.end(),
            [](const TokenPair& x, const TokenPair& y) {
              return x.documents < y.documents;
            });
  out.derived_pairs += derived.size();

  // Each copy of a clustered representative gets the representative's
  // distinct ranges, once each however many partners share them.
  std::sort(shared.begin(), shared.end());
  shared.erase(std::unique(shared.begin(), shared.end()), shared.end());
  for (size_t first = 0, last = 0; first < shared.size(); first = last) {
    const uint32_t r = std::get<0>(shared[first]);
    while (last < shared.size() && std::get<0>(shared[last]) == r) ++last;
    for (const uint32_t x : copies.copies_of(r)) {
      TokenPair& pair = out.carried.emplace_back();
      pair.documents = {std::min(x, r), std::max(x, r)};
      pair.passages.reserve(last - first);
      for (size_t k = first; k < last; ++k) {
        const TokenRange range = {std::get<1>(shared[k]),
                                  std::get<2>(shared[k])};
        AlignedPassage& passage = pair.passages.emplace_back();
        passage.a = x < r ? copies.Move(x, range) : range;
        passage.b = x < r ? range : copies.Move(x, range);
      }
    }
  }
  std::sort(out.carried.begin(), out.carried.end(),
            [](const TokenPair& x, const TokenPair& y) {
              return x.documents < y.documents;
            });
  return out;
}

}  // namespace neardup
