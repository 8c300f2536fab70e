#include "minhash.h"

#include <algorithm>
#include <bit>
#include <cstddef>

namespace neardup {

namespace {

// MurmurHash3's 64-bit finaliser: a bijection with full avalanche, so
// distinct shingles get distinct hashes and every output bit depends on every
// input bit.
inline uint64_t Mix64(uint64_t x) {
  x ^= x >> 33;
  x *= 0xff51afd7ed558ccdULL;
  x ^= x >> 33;
  x *= 0xc4ceb9fe1a85ec53ULL;
  x ^= x >> 33;
  return x;
}

// MurmurHash3's 32-bit finaliser.
inline uint32_t Mix32(uint32_t x) {
  x ^= x >> 16;
  x *= 0x85ebca6bu;
  x ^= x >> 13;
  x *= 0xc2b2ae35u;
  x ^= x >> 16;
  return x;
}

// Maps a uniform 32-bit value to [0, n) without division (Lemire).
inline uint32_t Reduce(uint32_t x, uint32_t n) {
  return static_cast<uint32_t>((static_cast<uint64_t>(x) * n) >> 32);
}

// Densification probes per empty bin before falling back to a circular scan.
// With at least a quarter of the bins non-empty, the fallback is needed with
// probability (3/4)^32 < 1e-4 per empty bin; it bounds the cost of sketching
// a set of a few shingles at O(K * (kMaxProbes + K / 64)) instead of O(K^2).
constexpr int kMaxProbes = 32;

// Largest bitmap of bins kept on the stack: 65536 bins.
constexpr int kMaxBitmapWords = 1024;

}  // namespace

MinHasher::MinHasher(const MinHashOptions& options)
    : num_hashes_(options.num_hashes),
      seed_(options.seed),
      shingle_key_(Mix64(options.seed ^ 0x5348494e474c45ULL)),
      probe_key_(static_cast<uint32_t>(Mix64(options.seed ^ 0x50524f4245ULL))) {
}

void MinHasher::Sketch(absl::Span<const uint64_t> shingles,
                       uint32_t* sketch) const {
  const uint32_t k = static_cast<uint32_t>(num_hashes_);
  std::fill(sketch, sketch + k, kEmptyValue);
  if (shingles.empty()) return;

  // One hash per shingle: the high half picks the bin, the low half is the
  // value, lowered by one when it would equal kEmptyValue.
  const uint64_t key = shingle_key_;
  for (const uint64_t shingle : shingles) {
    const uint64_t h = Mix64(shingle ^ key);
    const uint32_t bin = Reduce(static_cast<uint32_t>(h >> 32), k);
    const uint32_t value = std::min(static_cast<uint32_t>(h), kEmptyValue - 1);
    sketch[bin] = std::min(sketch[bin], value);
  }

  // Which bins the shingles reached. Densification reads only these, never a
  // bin it filled itself.
  uint64_t filled[kMaxBitmapWords];
  const uint32_t words = (k + 63) / 64;
  std::fill(filled, filled + words, 0);
  uint32_t num_filled = 0;
  for (uint32_t i = 0; i < k; ++i) {
    const bool is_filled = sketch[i] != kEmptyValue;
    filled[i >> 6] |= static_cast<uint64_t>(is_filled) << (i & 63);
    num_filled += is_filled;
  }
  if (num_filled == k) return;

  auto is_filled = [&filled](uint32_t bin) {
    return (filled[bin >> 6] >> (bin & 63)) & 1;
  };
  for (uint32_t i = 0; i < k; ++i) {
    if (is_filled(i)) continue;
    // Optimal densification: probe h(i, 1), h(i, 2), ... The probe sequence
    // depends only on i and the seed.
    const uint32_t base = i * 0x9e3779b1u ^ probe_key_;
    uint32_t source = k;
    for (uint32_t attempt = 1; attempt <= kMaxProbes; ++attempt) {
      const uint32_t probe = Reduce(Mix32(base + attempt * 0x85ebca77u), k);
      if (is_filled(probe)) {
        source = probe;
        break;
      }
    }
    if (source == k) {
      // Fallback: the first filled bin at or after a seeded start, circularly.
      uint32_t bin = Reduce(Mix32(base), k);
      uint32_t word = bin >> 6;
      uint64_t bits = filled[word] & (~uint64_t{0} << (bin & 63));
      while (bits == 0) {
        word = word + 1 == words ? 0 : word + 1;
        bits = filled[word];
      }
      source = word * 64 + static_cast<uint32_t>(std::countr_zero(bits));
    }
    sketch[i] = sketch[source];
  }
}

std::vector<uint32_t> MinHasher::Sketch(
    absl::Span<const uint64_t> shingles) const {
  std::vector<uint32_t> sketch(num_hashes_);
  Sketch(shingles, sketch.data());
  return sketch;
}

double EstimateJaccard(absl::Span<const uint32_t> a,
                       absl::Span<const uint32_t> b) {
  if (a.empty()) return 0.0;
  size_t equal = 0;
  for (size_t i = 0; i < a.size(); ++i) equal += a[i] == b[i];
  return static_cast<double>(equal) / static_cast<double>(a.size());
}

}  // namespace neardup
