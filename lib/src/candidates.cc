#include "candidates.h"

#include <algorithm>
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
// `pairs`|. Time: sum over documents in one group of O(1), plus, for a
// document in several groups, the sizes of its groups.
size_t CappedPairs(const std::vector<CandidateGroup>& groups,
                   const std::vector<std::pair<uint32_t, uint32_t>>& pairs) {
  if (groups.empty()) return 0;
  // Groups of each document, as (document, group, position in group).
  struct Membership {
    uint32_t document;
    uint32_t group;
    uint32_t position;
  };
  std::vector<Membership> memberships;
  for (size_t g = 0; g < groups.size(); ++g) {
    const std::vector<uint32_t>& m = groups[g].members;
    for (size_t i = 0; i < m.size(); ++i) {
      memberships.push_back(
          {m[i], static_cast<uint32_t>(g), static_cast<uint32_t>(i)});
    }
  }
  std::sort(memberships.begin(), memberships.end(),
            [](const Membership& x, const Membership& y) {
              return x.document != y.document ? x.document < y.document
                                              : x.group < y.group;
            });
  size_t total = 0;
  std::vector<uint32_t> later;
  for (size_t begin = 0; begin < memberships.size();) {
    size_t end = begin + 1;
    while (end < memberships.size() &&
           memberships[end].document == memberships[begin].document) {
      ++end;
    }
    if (end - begin == 1) {
      const Membership& only = memberships[begin];
      total += groups[only.group].members.size() - 1 - only.position;
    } else {
      later.clear();
      for (size_t k = begin; k < end; ++k) {
        const std::vector<uint32_t>& m = groups[memberships[k].group].members;
        later.insert(later.end(), m.begin() + memberships[k].position + 1,
                     m.end());
      }
      std::sort(later.begin(), later.end());
      total += static_cast<size_t>(std::unique(later.begin(), later.end()) -
                                   later.begin());
    }
    begin = end;
  }
  // Subtract the candidate pairs both of whose documents share a group.
  std::vector<size_t> first(
      memberships.empty() ? 1 : memberships.back().document + size_t{2},
      memberships.size());
  for (size_t k = memberships.size(); k-- > 0;) {
    first[memberships[k].document] = k;
  }
  auto groups_of = [&](uint32_t d, std::vector<uint32_t>* out) {
    out->clear();
    if (d + size_t{1} >= first.size()) return;
    for (size_t k = first[d];
         k < memberships.size() && memberships[k].document == d; ++k) {
      out->push_back(memberships[k].group);
    }
  };
  std::vector<uint32_t> ga, gb;
  for (const auto& [a, b] : pairs) {
    groups_of(a, &ga);
    if (ga.empty()) continue;
    groups_of(b, &gb);
    size_t i = 0, j = 0;
    bool shared = false;
    while (!shared && i < ga.size() && j < gb.size()) {
      if (ga[i] < gb[j]) {
        ++i;
      } else if (gb[j] < ga[i]) {
        ++j;
      } else {
        shared = true;
      }
    }
    total -= shared ? 1 : 0;
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
        a_positions_.insert(a_positions_.end(), x.begin() + i,
                            x.begin() + i_end);
        b_positions_.insert(b_positions_.end(), y.begin() + j,
                            y.begin() + j_end);
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
