#include "lsh.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <thread>
#include <utility>
#include <vector>

// Inline XXH3: band keys hash a few bytes each, where a library call would
// cost as much as the hash.
#define XXH_INLINE_ALL
#include "xxhash.h"

namespace neardup {

namespace {

// ∫_lo^hi f(s) ds is taken by composite Simpson's rule over a fixed number
// of steps (ChooseLshParams): deterministic, and accurate to far better than
// the differences between neighbouring (bands, rows) choices for these smooth
// integrands, at the grid points s_i = lo + i * h (s_0 = lo, s_kSteps = hi):
// (f(s_0) + f(s_kSteps) + 4 f(s_1) + 2 f(s_2) + 4 f(s_3) + ...) * h / 3.
constexpr int kIntegrationSteps = 256;  // even

struct BandEntry {
  uint64_t key;
  uint32_t group;
};

inline uint64_t PackPair(uint32_t a, uint32_t b) {
  return (static_cast<uint64_t>(a) << 32) | b;
}

// Sorts and deduplicates pairs[from, end) and merges them into the sorted
// unique prefix pairs[0, from).
void MergeNewPairs(std::vector<uint64_t>* pairs, size_t from) {
  const auto middle = pairs->begin() + static_cast<std::ptrdiff_t>(from);
  std::sort(middle, pairs->end());
  const auto new_end = std::unique(middle, pairs->end());
  std::inplace_merge(pairs->begin(), middle, new_end);
  pairs->erase(std::unique(pairs->begin(), new_end), pairs->end());
}

struct EntryLess {
  bool operator()(const BandEntry& x, const BandEntry& y) const {
    return x.key != y.key ? x.key < y.key : x.group < y.group;
  }
};

// Sorts `*entries` by (key, group), using `*scratch` as a buffer. One pass of
// most-significant-digit radix partitioning on the top bits of the key (band
// keys are uniform hashes, so the parts are even), then a comparison sort of
// each part while it is in cache: about half the time of std::sort of the
// whole array at a million items.
void SortEntries(std::vector<BandEntry>* entries,
                 std::vector<BandEntry>* scratch,
                 std::vector<uint32_t>* offsets) {
  const size_t n = entries->size();
  int bits = 0;
  while (bits < 16 && (n >> bits) > 256) ++bits;
  if (bits == 0) {
    std::sort(entries->begin(), entries->end(), EntryLess());
    return;
  }
  const int shift = 64 - bits;
  const size_t parts = size_t{1} << bits;
  offsets->assign(parts + 1, 0);
  uint32_t* offset = offsets->data();
  for (const BandEntry& e : *entries) ++offset[(e.key >> shift) + 1];
  for (size_t p = 0; p < parts; ++p) offset[p + 1] += offset[p];
  scratch->resize(n);
  BandEntry* out = scratch->data();
  // offset[p] is where part p's next entry goes; afterwards it is the end of
  // part p, i.e. the start of part p + 1.
  for (const BandEntry& e : *entries) out[offset[e.key >> shift]++] = e;
  size_t begin = 0;
  for (size_t p = 0; p < parts; ++p) {
    const size_t end = offset[p];
    std::sort(out + begin, out + end, EntryLess());
    begin = end;
  }
  entries->swap(*scratch);
}

// Buckets the items of one band. `entries` holds one (key, group) per item;
// it is sorted here. Appends the band's pairs to `pairs` (keeping it sorted
// and unique) and adds to the bucket counts of `stats`.
void BucketBand(std::vector<BandEntry>* entries,
                std::vector<BandEntry>* scratch, std::vector<uint32_t>* offsets,
                size_t max_bucket, std::vector<uint32_t>* groups,
                std::vector<uint64_t>* pairs, CandidateStats* stats,
                std::vector<std::vector<uint32_t>>* oversized) {
  SortEntries(entries, scratch, offsets);
  const size_t old_size = pairs->size();
  const size_t n = entries->size();
  const BandEntry* e = entries->data();
  for (size_t begin = 0; begin < n;) {
    size_t end = begin + 1;
    while (end < n && e[end].key == e[begin].key) ++end;
    if (end - begin >= 2) {
      groups->clear();
      for (size_t i = begin; i < end; ++i) {
        if (groups->empty() || groups->back() != e[i].group) {
          groups->push_back(e[i].group);
        }
      }
      const size_t size = groups->size();
      if (size >= 2) {
        ++stats->buckets;
        const uint32_t* g = groups->data();
        if (size > max_bucket) {
          ++stats->oversized_buckets;
          if (oversized != nullptr) oversized->push_back(*groups);
          for (size_t j = 1; j < size; ++j) {
            pairs->push_back(PackPair(g[0], g[j]));
          }
        } else {
          for (size_t i = 0; i + 1 < size; ++i) {
            for (size_t j = i + 1; j < size; ++j) {
              pairs->push_back(PackPair(g[i], g[j]));
            }
          }
        }
      }
    }
    begin = end;
  }
  MergeNewPairs(pairs, old_size);
}

// Shared driver: key(item, band) gives the key of an item in a band.
template <typename KeyFn>
std::vector<std::pair<uint32_t, uint32_t>> CandidatePairsImpl(
    size_t num_items, int bands, absl::Span<const uint32_t> group,
    const LshOptions& options, KeyFn key, CandidateStats* stats,
    std::vector<std::vector<uint32_t>>* oversized) {
  const int threads = std::max(1, std::min(options.threads, bands));
  std::vector<std::vector<uint64_t>> thread_pairs(threads);
  std::vector<CandidateStats> thread_stats(threads);
  std::vector<std::vector<std::vector<uint32_t>>> thread_groups(threads);
  auto work = [&](int t) {
    std::vector<BandEntry> entries;
    std::vector<BandEntry> scratch;
    std::vector<uint32_t> offsets;
    std::vector<uint32_t> groups;
    for (int band = t; band < bands; band += threads) {
      entries.resize(num_items);
      for (size_t i = 0; i < num_items; ++i) {
        entries[i] = BandEntry{key(i, band), group[i]};
      }
      BucketBand(&entries, &scratch, &offsets, options.max_bucket, &groups,
                 &thread_pairs[t], &thread_stats[t],
                 oversized != nullptr ? &thread_groups[t] : nullptr);
    }
  };
  if (threads == 1) {
    work(0);
  } else {
    std::vector<std::thread> workers;
    workers.reserve(threads);
    for (int t = 0; t < threads; ++t) workers.emplace_back(work, t);
    for (std::thread& worker : workers) worker.join();
  }

  std::vector<uint64_t> merged = std::move(thread_pairs[0]);
  CandidateStats total = thread_stats[0];
  for (int t = 1; t < threads; ++t) {
    const size_t from = merged.size();
    merged.insert(merged.end(), thread_pairs[t].begin(), thread_pairs[t].end());
    std::vector<uint64_t>().swap(thread_pairs[t]);
    MergeNewPairs(&merged, from);
    total.buckets += thread_stats[t].buckets;
    total.oversized_buckets += thread_stats[t].oversized_buckets;
  }

  if (oversized != nullptr) {
    // The same member set often fills a bucket in many bands: keep one.
    oversized->clear();
    for (auto& groups : thread_groups) {
      for (auto& g : groups) oversized->push_back(std::move(g));
    }
    std::sort(oversized->begin(), oversized->end());
    oversized->erase(std::unique(oversized->begin(), oversized->end()),
                     oversized->end());
  }

  std::vector<std::pair<uint32_t, uint32_t>> result;
  result.reserve(merged.size());
  for (const uint64_t p : merged) {
    result.emplace_back(static_cast<uint32_t>(p >> 32),
                        static_cast<uint32_t>(p));
  }
  total.pairs = result.size();
  if (stats != nullptr) *stats = total;
  return result;
}

}  // namespace

LshParams ChooseLshParams(double threshold, int num_hashes,
                          double false_positive_weight,
                          double false_negative_weight) {
  // The integrals of CandidateProbability over [0, threshold] and
  // [threshold, 1] for every (bands, rows), summed in that order
  // (s_0, s_kSteps, then s_1 .. s_kSteps-1), with s^rows multiplied up from
  // s^(rows - 1) and (1 - s^rows)^bands for all bands multiplied up from
  // bands - 1, instead of two pows per (bands, rows) and grid point. The
  // products differ from pow's in the last bits only, far below the gaps
  // between neighbouring choices; lsh_test compares the choice with the
  // direct search over a grid of thresholds, sketch sizes and weights. The
  // direct search cost ~55M instructions, a fixed cost at the start of every
  // dedup run; this costs ~5M.
  constexpr int kSteps = kIntegrationSteps;
  const auto grid = [](double lo, double hi) {
    const double h = (hi - lo) / kSteps;
    std::vector<double> points(kSteps + 1);
    points[0] = lo;
    points[kSteps] = hi;
    for (int i = 1; i < kSteps; ++i) points[i] = lo + i * h;
    return std::make_pair(points, h);
  };
  const auto [low_points, low_h] = grid(0.0, threshold);
  const auto [high_points, high_h] = grid(threshold, 1.0);
  // The grid points in summation order, with their Simpson weights.
  std::vector<int> order;
  order.reserve(kSteps + 1);
  order.push_back(0);
  order.push_back(kSteps);
  for (int i = 1; i < kSteps; ++i) order.push_back(i);
  const auto weight = [](int i) {
    return i == 0 || i == kSteps ? 1.0 : (i % 2 == 1 ? 4.0 : 2.0);
  };
  // Per bands - 1 for the current rows: the running sums.
  const auto max_bands = static_cast<size_t>(num_hashes);
  std::vector<double> low_sums(max_bands);
  std::vector<double> high_sums(max_bands);
  // error[(bands - 1) * num_hashes + rows - 1]
  std::vector<double> error(static_cast<size_t>(num_hashes) *
                            static_cast<size_t>(num_hashes));
  // s^rows at every grid point, multiplied up from s^(rows - 1).
  std::vector<double> low_powers(kSteps + 1, 1.0);
  std::vector<double> high_powers(kSteps + 1, 1.0);
  for (int rows = 1; rows <= num_hashes; ++rows) {
    const int bands_here = num_hashes / rows;
    for (int i = 0; i <= kSteps; ++i) {
      low_powers[i] *= low_points[i];
      high_powers[i] *= high_points[i];
    }
    for (size_t n = 0; n < order.size(); ++n) {
      const int i = order[n];
      const double w = weight(i);
      const double low_miss = 1.0 - low_powers[i];
      const double high_miss = 1.0 - high_powers[i];
      double low_product = 1.0;
      double high_product = 1.0;
      for (int b = 0; b < bands_here; ++b) {
        low_product *= low_miss;
        high_product *= high_miss;
        const double low_sample = 1.0 - low_product;
        const double high_sample = 1.0 - (1.0 - high_product);
        if (n == 0) {
          low_sums[b] = low_sample;
          high_sums[b] = high_sample;
        } else if (n == 1) {
          low_sums[b] += low_sample;
          high_sums[b] += high_sample;
        } else {
          low_sums[b] += w * low_sample;
          high_sums[b] += w * high_sample;
        }
      }
    }
    for (int b = 0; b < bands_here; ++b) {
      const double false_positive = low_sums[b] * low_h / 3;
      const double false_negative = high_sums[b] * high_h / 3;
      error[static_cast<size_t>(b) * num_hashes + rows - 1] =
          false_positive_weight * false_positive +
          false_negative_weight * false_negative;
    }
  }
  // The first minimum in (bands, rows) order.
  LshParams best{1, 1};
  double best_error = INFINITY;
  for (int bands = 1; bands <= num_hashes; ++bands) {
    for (int rows = 1; rows * bands <= num_hashes; ++rows) {
      const double e =
          error[static_cast<size_t>(bands - 1) * num_hashes + rows - 1];
      if (e < best_error) {
        best_error = e;
        best = {bands, rows};
      }
    }
  }
  return best;
}

double CandidateProbability(double similarity, LshParams params) {
  return 1.0 - std::pow(1.0 - std::pow(similarity, params.rows), params.bands);
}

uint64_t BandKey(const uint32_t* sketch, LshParams params, int band) {
  return XXH3_64bits_withSeed(
      sketch + static_cast<size_t>(band) * params.rows,
      static_cast<size_t>(params.rows) * sizeof(uint32_t),
      static_cast<uint64_t>(band));
}

void BandKeys(const uint32_t* sketch, LshParams params, uint64_t* keys) {
  for (int band = 0; band < params.bands; ++band) {
    keys[band] = BandKey(sketch, params, band);
  }
}

std::vector<std::pair<uint32_t, uint32_t>> CandidatePairs(
    absl::Span<const uint32_t> sketches, int num_hashes,
    absl::Span<const uint32_t> group, const LshOptions& options,
    CandidateStats* stats) {
  const LshParams params = options.params;
  assert(params.bands >= 1 && params.rows >= 1 &&
         params.bands * params.rows <= num_hashes);
  assert(sketches.size() == group.size() * num_hashes);
  const uint32_t* data = sketches.data();
  return CandidatePairsImpl(
      group.size(), params.bands, group, options,
      [data, num_hashes, params](size_t item, int band) {
        return BandKey(data + item * num_hashes, params, band);
      },
      stats, nullptr);
}

std::vector<std::pair<uint32_t, uint32_t>> CandidatePairsFromBandKeys(
    absl::Span<const uint64_t> band_keys, absl::Span<const uint32_t> group,
    const LshOptions& options, CandidateStats* stats,
    std::vector<std::vector<uint32_t>>* oversized) {
  const int bands = options.params.bands;
  assert(bands >= 1 && band_keys.size() == group.size() * bands);
  const uint64_t* data = band_keys.data();
  return CandidatePairsImpl(
      group.size(), bands, group, options,
      [data, bands](size_t item, int band) {
        return data[item * bands + band];
      },
      stats, oversized);
}

}  // namespace neardup
