#include "minhash.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstddef>
#include <cstdint>

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
    : num_hashes_(std::clamp(options.num_hashes, 1, kMaxBitmapWords * 64)),
      seed_(options.seed),
      shingle_key_(Mix64(options.seed ^ 0x5348494e474c45ULL)),
      probe_key_(static_cast<uint32_t>(Mix64(options.seed ^ 0x50524f4245ULL))),
      probe_table_(static_cast<size_t>(num_hashes_) * kTableProbes) {
  for (uint32_t bin = 0; bin < static_cast<uint32_t>(num_hashes_); ++bin) {
    for (uint32_t a = 0; a < kTableProbes; ++a) {
      probe_table_[bin * kTableProbes + a] =
          static_cast<uint16_t>(Probe(bin, a + 1));
    }
  }
}

uint32_t MinHasher::Probe(uint32_t bin, uint32_t attempt) const {
  return Reduce(Mix32((bin * 0x9e3779b1u ^ probe_key_) + attempt * 0x85ebca77u),
                static_cast<uint32_t>(num_hashes_));
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
  uint32_t num_filled = 0;
  for (uint32_t word = 0; word < words; ++word) {
    const uint32_t* bins = sketch + word * 64;
    const uint32_t size = std::min<uint32_t>(64, k - word * 64);
    uint64_t bits = 0;
    for (uint32_t j = 0; j < size; ++j) {
      bits |= static_cast<uint64_t>(bins[j] != kEmptyValue) << j;
    }
    filled[word] = bits;
    num_filled += static_cast<uint32_t>(std::popcount(bits));
  }
  if (num_filled == k) return;

  auto densify = [&](auto is_filled) {
    for (uint32_t word = 0; word < words; ++word) {
      uint64_t empty = ~filled[word];
      if (word == words - 1 && k % 64 != 0) {
        empty &= (uint64_t{1} << (k % 64)) - 1;
      }
      for (; empty != 0; empty &= empty - 1) {
        const uint32_t i = word * 64 + std::countr_zero(empty);
        // Optimal densification: the first filled bin among Probe(i, 1),
        // Probe(i, 2), ... The first kTableProbes are tested without
        // branches, because whether a probe hits is a coin toss the CPU
        // cannot predict.
        const uint16_t* probes = &probe_table_[i * kTableProbes];
        uint32_t hits = 0;
        for (int a = 0; a < kTableProbes; ++a) {
          hits |= is_filled(probes[a]) << a;
        }
        uint32_t source = k;
        if (hits != 0) {
          source = probes[std::countr_zero(hits)];
        } else {
          for (uint32_t attempt = kTableProbes + 1; attempt <= kMaxProbes;
               ++attempt) {
            const uint32_t probe = Probe(i, attempt);
            if (is_filled(probe)) {
              source = probe;
              break;
            }
          }
        }
        if (source == k) {
          // Fallback: the first filled bin at or after a seeded start,
          // circularly.
          const uint32_t start = Probe(i, 0);
          uint32_t w = start >> 6;
          uint64_t bits = filled[w] & (~uint64_t{0} << (start & 63));
          while (bits == 0) {
            w = w + 1 == words ? 0 : w + 1;
            bits = filled[w];
          }
          source = w * 64 + static_cast<uint32_t>(std::countr_zero(bits));
        }
        sketch[i] = sketch[source];
      }
    }
  };
  if (words == 1) {
    // K <= 64: the bitmap fits in a register.
    const uint64_t bits = filled[0];
    densify([bits](uint32_t bin) -> uint32_t { return (bits >> bin) & 1; });
  } else {
    densify([&filled](uint32_t bin) -> uint32_t {
      return (filled[bin >> 6] >> (bin & 63)) & 1;
    });
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

int EqualBytes(const uint8_t* a, const uint8_t* b, int k) {
  int equal = 0;
  for (int i = 0; i < k; ++i) equal += a[i] == b[i];
  return equal;
}

double EstimateFromEqualBytes(int equal, int k) {
  const double p = static_cast<double>(equal) / k;
  const double chance = 1.0 / 256;
  return std::clamp((p - chance) / (1 - chance), 0.0, 1.0);
}

VerifyCut::VerifyCut(double threshold, int k, double skip_chance)
    : p_(threshold + (1 - threshold) / 256),
      k_(k),
      skip_chance_(skip_chance),
      least_(static_cast<size_t>(k) + 1, -1) {}

bool VerifyCut::Verify(int equal, size_t shingles) {
  const int n = static_cast<int>(std::min<size_t>(k_, shingles));
  if (n == 0) return true;
  int& least = least_[n];
  if (least < 0) least = LeastEqual(n);
  // equal / k >= least / n, in integers.
  return int64_t{equal} * n >= int64_t{least} * k_;
}

int VerifyCut::LeastEqual(int n) {
  if (p_ >= 1) return n;  // identical sets: every byte equal
  // P(X = m) from P(X = 0) = (1 - p)^n, in logs (it underflows for large n).
  const double log_odds = std::log(p_) - std::log1p(-p_);
  double log_pmf = n * std::log1p(-p_);
  double below = 0;  // P(X <= m)
  for (int m = 0; m < n; ++m) {
    below += std::exp(log_pmf);
    if (below > skip_chance_) return m;
    log_pmf += std::log(static_cast<double>(n - m) / (m + 1)) + log_odds;
  }
  return n;
}

}  // namespace neardup
