// MinHash sketches of shingle sets: one-permutation hashing with optimal
// densification.
//
// Method (Li, Owen & Zhang 2012; Shrivastava 2017). Each shingle is hashed
// once with a seeded 64-bit mixer. The high bits pick one of K bins, the low
// 32 bits are the value, and each bin keeps its minimum value. Bins that no
// shingle reached are filled by "optimal densification": empty bin i probes
// bins h(i, 1), h(i, 2), ... (h a seeded hash, fixed per MinHasher) and copies
// the value of the first non-empty bin it finds. Because the probe sequence
// depends only on i and the seed, two sets whose sketches share a non-empty
// bin pattern fill their empty bins the same way, which keeps
// P[sketch_a[i] == sketch_b[i]] = J(a, b) for every i.
//
// Why not classic K-hash MinHash: it costs K hashes per shingle (here about
// 175 M shingles/s at K = 128) where OPH costs one, and its error is no
// better. EstimateJaccard over K bins is unbiased; its standard deviation is
// about sqrt(J (1 - J) / K) (0.044 at J = 0.5, K = 128), like K independent
// permutations, and slightly above that when the set has fewer shingles than
// bins, because densified bins copy each other. Values collide by chance with
// probability about 2^-32 per bin, a bias too small to see.
#ifndef NEARDUP_MINHASH_H_
#define NEARDUP_MINHASH_H_

#include <cstddef>
#include <cstdint>
#include <vector>

#include "absl/types/span.h"

namespace neardup {

struct MinHashOptions {
  // Number of 32-bit values (bins) in a sketch; more values, smaller error.
  // Default: 128. MinHasher clamps it into [1, 65536] (the bitmap Sketch
  // keeps on the stack and the 16-bit probe table hold no more), so a bad
  // value can never overflow memory; the public entry points reject values
  // outside [1, kMaxNumHashes] before it gets here (neardup/options.h).
  int num_hashes = 128;
  // Seed of the shingle hash and of the densification probes. Sketches are
  // comparable only when made with the same seed and num_hashes.
  uint64_t seed = 0x6e656172647570ULL;
};

// Sketches shingle sets. Thread-safe: Sketch() is const and keeps no state
// between calls.
class MinHasher {
 public:
  // The value of every bin of the sketch of an empty set. No bin of a
  // non-empty set's sketch ever holds it (such values are lowered by one), so
  // an empty sketch matches other empty sketches in every bin and other
  // sketches in none.
  static constexpr uint32_t kEmptyValue = 0xffffffffu;

  // num_hashes() is options.num_hashes clamped into [1, 65536].
  // Precomputes the first densification probes of every bin: 16 bytes per
  // bin (2 KB at K = 128).
  explicit MinHasher(const MinHashOptions& options);

  MinHasher(const MinHasher&) = default;
  MinHasher& operator=(const MinHasher&) = default;
  MinHasher(MinHasher&&) = default;
  MinHasher& operator=(MinHasher&&) = default;

  int num_hashes() const { return num_hashes_; }
  uint64_t seed() const { return seed_; }

  // Writes num_hashes() values to sketch[0 .. num_hashes()). The sketch is a
  // function of the SET of shingles: order and repeats do not matter. An
  // empty `shingles` gives num_hashes() copies of kEmptyValue.
  // REQUIRES: sketch points to num_hashes() writable values.
  void Sketch(absl::Span<const uint64_t> shingles, uint32_t* sketch) const;

  // Convenience: returns the sketch as a vector.
  std::vector<uint32_t> Sketch(absl::Span<const uint64_t> shingles) const;

 private:
  // Index of the bin that empty bin `bin` reads at densification probe
  // `attempt` (1-based).
  uint32_t Probe(uint32_t bin, uint32_t attempt) const;

  int num_hashes_;
  uint64_t seed_;
  // Mixer keys derived from seed_.
  uint64_t shingle_key_;
  uint32_t probe_key_;
  // probe_table_[bin * kTableProbes + a] == Probe(bin, a + 1).
  static constexpr int kTableProbes = 8;
  std::vector<uint16_t> probe_table_;
};

// Returns the share of positions where `a` and `b` hold equal values: the
// MinHash estimate of the Jaccard similarity of the sets they sketch. Two
// empty spans give 0.
// REQUIRES: a.size() == b.size(); both made by MinHashers with equal options.
double EstimateJaccard(absl::Span<const uint32_t> a,
                       absl::Span<const uint32_t> b);

// One-byte signatures (b-bit MinHash, b = 8; Li & Koenig 2010): the low
// byte of each of a sketch's k values. Two sets of Jaccard similarity J have
// each byte equal with probability J + (1 - J) / 256.

// How many of the k bytes at a and b are equal.
int EqualBytes(const uint8_t* a, const uint8_t* b, int k);

// The estimate of J from k one-byte values of which `equal` are equal:
// (equal / k - 1/256) / (1 - 1/256), clamped into [0, 1].
double EstimateFromEqualBytes(int equal, int k);

// Deciding which candidates to verify from their one-byte signatures: a
// candidate is verified unless its signature has so few bytes equal to the
// query's that a pair whose similarity is `threshold` would have as few with
// probability at most `skip_chance` (counting the equal bytes as
// binomial(n, p), p = threshold + (1 - threshold) / 256; a pair above the
// threshold has as few with less probability still). n is the number of
// values that vary independently: k, or fewer when the smaller set has
// fewer shingles than bins (densified bins copy others; counted then as
// one per shingle, which errs towards verifying).
class VerifyCut {
 public:
  VerifyCut(double threshold, int k, double skip_chance);

  // Whether a pair with `equal` of the k bytes equal, whose smaller set has
  // `shingles` distinct shingles, is verified. A count below the true one
  // errs towards verifying, one above it towards skipping.
  bool Verify(int equal, size_t shingles);

  // The least number of equal bytes of n independent ones for which a pair
  // is verified: the largest m with P(binomial(n, p) < m) <= skip_chance.
  int LeastEqual(int n);

 private:
  double p_;
  int k_;
  double skip_chance_;
  std::vector<int> least_;  // by n, made on first use; -1 if not yet
};

}  // namespace neardup

#endif  // NEARDUP_MINHASH_H_
