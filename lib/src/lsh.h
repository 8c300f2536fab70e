// Banded locality-sensitive hashing over MinHash sketches.
//
// A sketch of K values is cut into `bands` bands of `rows` consecutive values
// (bands * rows <= K; values past the last band are unused). Two sketches
// whose sets have Jaccard similarity s agree on a whole band with probability
// s^rows, so they share at least one band, and become a candidate pair, with
// probability 1 - (1 - s^rows)^bands: an S-curve that rises around
// (1 / bands)^(1 / rows).
#ifndef NEARDUP_LSH_H_
#define NEARDUP_LSH_H_

#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

#include "absl/types/span.h"

namespace neardup {

struct LshParams {
  int bands = 0;
  int rows = 0;
};

// Returns the (bands, rows) with bands * rows <= num_hashes that minimise
//   false_positive_weight * ∫_0^threshold P(s) ds
//   + false_negative_weight * ∫_threshold^1 (1 - P(s)) ds,
// where P(s) = CandidateProbability(s, {bands, rows}): the method of
// datasketch's MinHashLSH. Ties go to fewer bands, then fewer rows.
// Deterministic (fixed-step integration). Examples, with P at the threshold:
//   (0.8, 128)           -> 9 bands x 13 rows, P(0.8) = 0.40, P(0.9) = 0.93
//   (0.8, 128, 0.1, 0.9) -> 14 x 9,  P(0.8) = 0.87, P(0.7) = 0.44
//   (0.5, 128)           -> 25 x 5,  P(0.5) = 0.55
//   (0.2, 64)            -> 28 x 2,  P(0.2) = 0.68, P(0.1) = 0.25
// Balanced weights put the curve's midpoint at or above the threshold, so
// about half of the pairs right at the threshold are missed; weigh false
// negatives more when recall matters.
// REQUIRES: 0 < threshold < 1, num_hashes >= 1, both weights >= 0.
LshParams ChooseLshParams(double threshold, int num_hashes,
                          double false_positive_weight = 0.5,
                          double false_negative_weight = 0.5);

// Returns 1 - (1 - similarity^rows)^bands: the probability that two sketches
// of sets with this Jaccard similarity share at least one band.
double CandidateProbability(double similarity, LshParams params);

// Returns the 64-bit key of band `band` of `sketch`: XXH3 of the band's
// `rows` values, seeded with the band index, so equal values in different
// bands give different keys.
// REQUIRES: 0 <= band < params.bands; sketch holds bands * rows values.
uint64_t BandKey(const uint32_t* sketch, LshParams params, int band);

// Writes the params.bands keys of `sketch` to keys[0 .. params.bands). Lets a
// caller keep 8 * bands bytes per document instead of the whole sketch.
void BandKeys(const uint32_t* sketch, LshParams params, uint64_t* keys);

// How CandidatePairs buckets items.
// (Named LshOptions, not CandidateOptions: the public API already has a
// neardup::CandidateOptions for Scan.)
struct LshOptions {
  // Bands and rows; see ChooseLshParams. REQUIRES: bands >= 1, rows >= 1.
  LshParams params;
  // A bucket holding more than this many distinct groups is oversized
  // (boilerplate shared by many documents): it contributes only the pairs of
  // its lowest group with each of its other groups, a star instead of a
  // clique, which bounds its output at (size - 1) pairs. Default: 64.
  size_t max_bucket = 64;
  // Worker threads, each bucketing a share of the bands. The result does not
  // depend on it; values below 1 mean 1. Default: 1.
  int threads = 1;
};

struct CandidateStats {
  // Buckets (over all bands) that hold at least two distinct groups.
  size_t buckets = 0;
  // Of those, the buckets with more than max_bucket distinct groups.
  size_t oversized_buckets = 0;
  // Pairs returned.
  size_t pairs = 0;
};

// `sketches` holds n sketches of num_hashes values each, laid out one after
// the other; group[i] is the document that item i belongs to. Returns every
// pair of distinct groups (g1, g2), g1 < g2, whose items share a bucket (equal
// BandKey in the same band) in at least one band, subject to the
// oversized-bucket rule of LshOptions::max_bucket; sorted and unique. Items of
// one group never pair with each other. The result depends only on the
// multiset of (item sketch, group), not on item order or thread count.
//
// Sort-based: for each band, the (key, group) entries of all items are sorted
// and each run of equal keys is one bucket. Memory: 32 bytes per item per
// thread (entries and a radix-sort buffer), plus 8 bytes per pair a thread
// finds (unique across its bands). Time: about 60 ns per item and band on one
// core (1M items x 28 bands in 1.7 s).
//
// REQUIRES: num_hashes >= 1; sketches.size() == group.size() * num_hashes;
// group.size() < 2^32;
// options.params.bands * options.params.rows <= num_hashes.
// `stats` may be null.
std::vector<std::pair<uint32_t, uint32_t>> CandidatePairs(
    absl::Span<const uint32_t> sketches, int num_hashes,
    absl::Span<const uint32_t> group, const LshOptions& options,
    CandidateStats* stats = nullptr);

// As CandidatePairs, but from band keys already computed with BandKeys:
// band_keys holds n rows of options.params.bands keys (options.params.rows is
// not read). If `oversized` is not null, it receives the distinct groups
// (sorted) of every oversized bucket, each member set once, sorted.
// REQUIRES: band_keys.size() == group.size() * options.params.bands.
std::vector<std::pair<uint32_t, uint32_t>> CandidatePairsFromBandKeys(
    absl::Span<const uint64_t> band_keys, absl::Span<const uint32_t> group,
    const LshOptions& options, CandidateStats* stats = nullptr,
    std::vector<std::vector<uint32_t>>* oversized = nullptr);

}  // namespace neardup

#endif  // NEARDUP_LSH_H_
