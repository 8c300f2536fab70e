#include "candidates.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <string>

#include "shingle.h"

namespace neardup {

absl::Status ValidateSketchOptions(const SketchOptions& options) {
  if (options.shingle < 1 || options.shingle > 1024) {
    return absl::InvalidArgumentError(
        "the shingle length must be in [1, 1024], not " +
        std::to_string(options.shingle));
  }
  if (options.num_hashes < 1 || options.num_hashes > 65536) {
    return absl::InvalidArgumentError("num_hashes must be in [1, 65536], not " +
                                      std::to_string(options.num_hashes));
  }
  const LshParams& p = options.params;
  if (p.bands < 1 || p.rows < 1 ||
      static_cast<int64_t>(p.bands) * p.rows > options.num_hashes) {
    return absl::InvalidArgumentError(
        "LSH bands and rows must be >= 1 with bands * rows <= num_hashes");
  }
  return absl::OkStatus();
}

LshParams LshParamsFor(double threshold, int num_hashes,
                       double false_positive_weight,
                       double false_negative_weight) {
  if (std::isnan(threshold)) threshold = 0.05;
  threshold = std::clamp(threshold, 0.05, 0.95);
  return ChooseLshParams(threshold, num_hashes, false_positive_weight,
                         false_negative_weight);
}

BandSketcher::BandSketcher(const SketchOptions& options,
                           const MinHasher* hasher)
    : options_(options),
      hasher_(hasher),
      sketch_(static_cast<size_t>(options.num_hashes)) {}

void BandSketcher::Sketch(absl::Span<const uint64_t> keys, uint64_t* out) {
  ShingleHashes(keys, options_.shingle, &shingles_);
  hasher_->Sketch(shingles_, sketch_.data());
  BandKeys(sketch_.data(), options_.params, out);
}

std::vector<TokenRange> Windows(size_t tokens, int length, int stride) {
  std::vector<TokenRange> windows;
  const size_t window = static_cast<size_t>(std::max(2, length));
  const size_t step = static_cast<size_t>(std::max(1, stride));
  if (tokens == 0) return windows;
  if (tokens <= window) {
    windows.push_back({0, static_cast<uint32_t>(tokens)});
    return windows;
  }
  for (size_t start = 0;; start += step) {
    const size_t end = std::min(tokens, start + window);
    windows.push_back(
        {static_cast<uint32_t>(start), static_cast<uint32_t>(end)});
    if (end == tokens) break;
  }
  return windows;
}

namespace {

// |union over groups of their member pairs| - |those pairs already in
// `pairs`|, exactly.
//
// Documents in the same groups (a "class": copies of one text usually are)
// are interchangeable here, so the union is counted over classes: the pairs
// inside each class, plus, for each class, its size times the sizes of the
// later classes that share a group with it. Time: a sort of the (document,
// group) memberships and of the documents' lists of groups, plus, for each
// class, (its groups x classes / 64) word operations and a step per later
// class it meets. A group of k copies that fall into few distinct sets of
// buckets costs O(k log k), not the O(k^2) of going document by document.
size_t CappedPairs(const std::vector<CandidateGroup>& groups,
                   const std::vector<std::pair<uint32_t, uint32_t>>& pairs) {
  if (groups.empty()) return 0;
  // (document, group), sorted: each document's groups, in order.
  std::vector<uint64_t> memberships;
  uint32_t max_document = 0;
  for (size_t g = 0; g < groups.size(); ++g) {
    for (const uint32_t d : groups[g].members) {
      memberships.push_back((static_cast<uint64_t>(d) << 32) | g);
      max_document = std::max(max_document, d);
    }
  }
  std::sort(memberships.begin(), memberships.end());
  const auto document_of = [&](size_t k) {
    return static_cast<uint32_t>(memberships[k] >> 32);
  };
  const auto group_of = [&](size_t k) {
    return static_cast<uint32_t>(memberships[k]);
  };
  // Each document's run of memberships [begin, end).
  struct Run {
    size_t begin;
    size_t end;
  };
  std::vector<Run> runs;
  for (size_t begin = 0; begin < memberships.size();) {
    size_t end = begin + 1;
    while (end < memberships.size() && document_of(end) == document_of(begin)) {
      ++end;
    }
    runs.push_back({begin, end});
    begin = end;
  }
  // Classes: runs with equal lists of groups, numbered in the order of the
  // sorted lists.
  const auto run_less = [&](const Run& x, const Run& y) {
    return std::lexicographical_compare(
        memberships.begin() + x.begin, memberships.begin() + x.end,
        memberships.begin() + y.begin, memberships.begin() + y.end,
        [](uint64_t a, uint64_t b) {
          return static_cast<uint32_t>(a) < static_cast<uint32_t>(b);
        });
  };
  std::vector<uint32_t> order(runs.size());
  for (size_t r = 0; r < runs.size(); ++r) order[r] = static_cast<uint32_t>(r);
  std::sort(order.begin(), order.end(),
            [&](uint32_t x, uint32_t y) { return run_less(runs[x], runs[y]); });
  constexpr uint32_t kNone = ~uint32_t{0};
  std::vector<uint32_t> class_of(size_t{max_document} + 1, kNone);
  std::vector<Run> class_groups;  // a representative run of each class
  std::vector<size_t> weight;     // documents in each class
  for (size_t i = 0; i < order.size(); ++i) {
    const Run& run = runs[order[i]];
    if (i == 0 || run_less(runs[order[i - 1]], run)) {
      class_groups.push_back(run);
      weight.push_back(0);
    }
    class_of[document_of(run.begin)] =
        static_cast<uint32_t>(class_groups.size() - 1);
    ++weight.back();
  }
  const size_t num_classes = class_groups.size();
  // The classes of group g, sorted and distinct:
  // group_classes[group_begin[g] .. group_begin[g + 1]).
  std::vector<uint64_t> group_class;
  for (size_t c = 0; c < num_classes; ++c) {
    for (size_t k = class_groups[c].begin; k < class_groups[c].end; ++k) {
      group_class.push_back((static_cast<uint64_t>(group_of(k)) << 32) | c);
    }
  }
  std::sort(group_class.begin(), group_class.end());
  std::vector<size_t> group_begin(groups.size() + 1, 0);
  std::vector<uint32_t> group_classes(group_class.size());
  for (size_t k = 0; k < group_class.size(); ++k) {
    ++group_begin[(group_class[k] >> 32) + 1];
    group_classes[k] = static_cast<uint32_t>(group_class[k]);
  }
  for (size_t g = 0; g < groups.size(); ++g) {
    group_begin[g + 1] += group_begin[g];
  }

  // For each class c, the later classes that share a group with it, as a
  // bitset over classes: a group holding many classes (at least one in 64)
  // is ORed in word by word from its own bitset, a smaller one bit by bit.
  // Copies edited each in its own way make thousands of classes in a few
  // large groups; this keeps their cost at (classes^2 / 64) words.
  const size_t words = (num_classes + 63) / 64;
  constexpr size_t kSparse = ~size_t{0};
  std::vector<size_t> bits_of(groups.size(), kSparse);
  std::vector<uint64_t> group_bits;
  for (size_t g = 0; g < groups.size(); ++g) {
    if ((group_begin[g + 1] - group_begin[g]) * 64 < num_classes) continue;
    bits_of[g] = group_bits.size();
    group_bits.resize(group_bits.size() + words, 0);
    for (size_t k = group_begin[g]; k < group_begin[g + 1]; ++k) {
      group_bits[bits_of[g] + group_classes[k] / 64] |=
          uint64_t{1} << (group_classes[k] % 64);
    }
  }
  // The documents of the classes of each word of the bitset.
  std::vector<size_t> word_weight(words, 0);
  for (size_t c = 0; c < num_classes; ++c) word_weight[c / 64] += weight[c];
  std::vector<uint64_t> later_bits(words);
  const uint32_t* const classes = group_classes.data();
  size_t total = 0;
  for (uint32_t c = 0; c < num_classes; ++c) {
    const size_t first = c / 64;
    std::fill(later_bits.begin() + static_cast<std::ptrdiff_t>(first),
              later_bits.end(), 0);
    for (size_t k = class_groups[c].begin; k < class_groups[c].end; ++k) {
      const uint32_t g = group_of(k);
      if (bits_of[g] != kSparse) {
        const uint64_t* bits = group_bits.data() + bits_of[g];
        for (size_t w = first; w < words; ++w) later_bits[w] |= bits[w];
        continue;
      }
      const uint32_t* end = classes + group_begin[g + 1];
      for (const uint32_t* other =
               std::upper_bound(classes + group_begin[g], end, c);
           other != end; ++other) {
        later_bits[*other / 64] |= uint64_t{1} << (*other % 64);
      }
    }
    // Only the classes after c (2 << 63 is 0: then all of the word's bits).
    later_bits[first] &= ~((uint64_t{2} << (c % 64)) - 1);
    size_t later = 0;
    for (size_t w = first; w < words; ++w) {
      uint64_t bits = later_bits[w];
      if (bits == ~uint64_t{0}) {
        later += word_weight[w];
        continue;
      }
      for (; bits != 0; bits &= bits - 1) {
        later += weight[w * 64 + static_cast<size_t>(std::countr_zero(bits))];
      }
    }
    total += weight[c] * (weight[c] - 1) / 2 + weight[c] * later;
  }

  // Subtract the candidate pairs both of whose documents share a group.
  const auto share_a_group = [&](uint32_t x, uint32_t y) {
    if (x == y) return true;
    const Run& rx = class_groups[x];
    const Run& ry = class_groups[y];
    size_t i = rx.begin, j = ry.begin;
    while (i < rx.end && j < ry.end) {
      if (group_of(i) < group_of(j)) {
        ++i;
      } else if (group_of(j) < group_of(i)) {
        ++j;
      } else {
        return true;
      }
    }
    return false;
  };
  for (const auto& [a, b] : pairs) {
    if (a > max_document || b > max_document) continue;
    const uint32_t x = class_of[a];
    const uint32_t y = class_of[b];
    if (x != kNone && y != kNone && share_a_group(x, y)) --total;
  }
  return total;
}

}  // namespace

namespace {

// True if sorted, distinct `positions` hold `need` positions each at most
// `max_gap` after the one before.
bool HasRun(std::vector<uint32_t>* positions, uint32_t max_gap, size_t need) {
  if (positions->size() < need) return false;
  std::sort(positions->begin(), positions->end());
  size_t run = 1;
  if (run >= need) return true;
  for (size_t k = 1; k < positions->size(); ++k) {
    run = (*positions)[k] - (*positions)[k - 1] <= max_gap ? run + 1 : 1;
    if (run >= need) return true;
  }
  return false;
}

}  // namespace

bool ChainFilter::MayShareChain(const AlignInput& a, const AlignInput& b,
                                const AlignOptions& options) {
  const size_t need = MinChainAnchors(a.keys.size(), b.keys.size(), options);
  const uint64_t max_product =
      static_cast<uint64_t>(std::max(1, options.max_occurrences)) *
      static_cast<uint64_t>(std::max(1, options.max_occurrences));
  const uint32_t max_gap = static_cast<uint32_t>(std::max(1, options.max_gap));
  a_positions_.clear();
  b_positions_.clear();
  const std::vector<uint32_t>& x = a.index->positions;
  const std::vector<uint32_t>& y = b.index->positions;
  size_t i = 0, j = 0;
  while (i < x.size() && j < y.size()) {
    const uint64_t key = a.keys[x[i]];
    const uint64_t other = b.keys[y[j]];
    if (key < other) {
      ++i;
    } else if (other < key) {
      ++j;
    } else {
      size_t i_end = i + 1, j_end = j + 1;
      while (i_end < x.size() && a.keys[x[i_end]] == key) ++i_end;
      while (j_end < y.size() && b.keys[y[j_end]] == key) ++j_end;
      if (static_cast<uint64_t>(i_end - i) * (j_end - j) <= max_product) {
        for (size_t k = i; k < i_end; ++k) {
          if (a.boilerplate.empty() || a.boilerplate[x[k]] == 0) {
            a_positions_.push_back(x[k]);
          }
        }
        for (size_t k = j; k < j_end; ++k) {
          if (b.boilerplate.empty() || b.boilerplate[y[k]] == 0) {
            b_positions_.push_back(y[k]);
          }
        }
      }
      i = i_end;
      j = j_end;
    }
  }
  return HasRun(&a_positions_, max_gap, need) &&
         HasRun(&b_positions_, max_gap, need);
}

Candidates FindCandidates(absl::Span<const uint64_t> band_keys,
                          absl::Span<const uint32_t> owner,
                          const LshOptions& options) {
  Candidates result;
  std::vector<std::vector<uint32_t>> oversized;
  result.pairs = CandidatePairsFromBandKeys(band_keys, owner, options,
                                            &result.stats, &oversized);
  result.groups.reserve(oversized.size());
  for (std::vector<uint32_t>& members : oversized) {
    result.groups.push_back({std::move(members)});
  }
  result.capped_pairs = CappedPairs(result.groups, result.pairs);
  return result;
}

}  // namespace neardup
