// The candidate stage shared by Scan and Deduplicator:
//
//   token keys of a document (or of one window of it)
//   -> shingles (hashes of runs of `shingle` keys)
//   -> MinHash sketch (num_hashes values)
//   -> LSH band keys (bands x 8 bytes; the sketch itself is not kept)
//   -> candidate pairs of documents that share a band key in some band.
//
// Both callers keep only band keys per item; `dedup` sketches whole
// documents (word 5-grams), `scan` sketches overlapping windows of each
// document (word bigrams) and groups the windows by document.
#ifndef NEARDUP_SRC_CANDIDATES_H_
#define NEARDUP_SRC_CANDIDATES_H_

#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/types/span.h"
#include "align.h"
#include "lsh.h"
#include "minhash.h"

namespace neardup {

// What turns a key sequence into band keys.
struct SketchOptions {
  // Tokens per shingle. REQUIRES: 1 <= shingle <= 1024.
  int shingle = 2;
  // MinHash values per sketch. REQUIRES: 1 <= num_hashes <= 65536.
  int num_hashes = 64;
  uint64_t seed = 0x6e656172647570ULL;
  // Bands and rows; REQUIRES: bands, rows >= 1, bands * rows <= num_hashes.
  LshParams params;
};

// The one check of the options every caller of this stage makes. Returns
// InvalidArgument naming the first bad value. NaN and infinities are caught
// by the callers' own checks of the thresholds the params come from (see
// LshParamsFor).
absl::Status ValidateSketchOptions(const SketchOptions& options);

// Returns ChooseLshParams(threshold, num_hashes, fp, fn) with `threshold`
// clamped to [0.05, 0.95] (NaN counts as 0.05), so that no value reaching
// the stage can make the search degenerate. REQUIRES: 1 <= num_hashes <=
// 65536.
LshParams LshParamsFor(double threshold, int num_hashes,
                       double false_positive_weight,
                       double false_negative_weight);

// Per-thread scratch that turns key sequences into band keys. Not
// thread-safe; make one per worker (they may share one MinHasher).
class BandSketcher {
 public:
  // REQUIRES: ValidateSketchOptions(options).ok(), and hasher made with
  // options.num_hashes and options.seed; it must outlive this object.
  BandSketcher(const SketchOptions& options, const MinHasher* hasher);

  // Writes the params.bands band keys of the shingle set of `keys` to
  // out[0 .. bands). The shingles stay in shingles() until the next call, in
  // order of position, repeats included (the sketch depends only on the set).
  void Sketch(absl::Span<const uint64_t> keys, uint64_t* out);

  const std::vector<uint64_t>& shingles() const { return shingles_; }
  std::vector<uint64_t>* mutable_shingles() { return &shingles_; }
  // The MinHash sketch of the last call (num_hashes values).
  const std::vector<uint32_t>& sketch() const { return sketch_; }

 private:
  SketchOptions options_;
  const MinHasher* hasher_;
  std::vector<uint64_t> shingles_;
  std::vector<uint32_t> sketch_;
};

// Token ranges of the overlapping windows `scan` sketches: windows of
// `length` tokens starting every `stride` tokens, the last one ending at the
// last token; a document of at most `length` tokens is one window. Every
// non-empty document has at least one window, however short: two identical
// 5-word posts must be able to meet in a bucket (whether they are reported is
// the aligner's rule). An empty document has none.
// REQUIRES: length >= 2, stride >= 1 (smaller values are raised to these).
std::vector<TokenRange> Windows(size_t tokens, int length, int stride);

// A set of documents that met in one LSH bucket holding more than
// LshOptions::max_bucket documents (a passage shared by many documents, or
// boilerplate). Only the pairs of members[0] with each other member are in
// Candidates::pairs; every pair of members is a candidate in principle, and
// a caller that reports groups (reuse clusters) can take them from here
// instead of aligning k^2 / 2 pairs. Members are document indexes, sorted
// and distinct; equal member sets from several bands are listed once.
struct CandidateGroup {
  std::vector<uint32_t> members;
};

struct Candidates {
  // Sorted, unique, a < b.
  std::vector<std::pair<uint32_t, uint32_t>> pairs;
  // Sorted by members, unique.
  std::vector<CandidateGroup> groups;
  CandidateStats stats;
  // Pairs of documents that share an oversized bucket but are not in
  // `pairs` (no other band made them candidates): what the cap left out.
  // Counted exactly, as the union over groups of their member pairs, by
  // classes of documents that lie in the same groups (copies of a text do):
  // a group of thousands of copies costs about as much as reading it.
  size_t capped_pairs = 0;
};

// Band keys of n items (n rows of options.params.bands keys) and the
// document each item belongs to -> candidate document pairs and the groups
// of oversized buckets. Deterministic: independent of options.threads.
// REQUIRES: band_keys.size() == owner.size() * options.params.bands.
Candidates FindCandidates(absl::Span<const uint64_t> band_keys,
                          absl::Span<const uint32_t> owner,
                          const LshOptions& options);

// The check between candidate generation and alignment: whether two texts
// could share a passage at all. AlignPassages takes a chain only if it has
// MinChainAnchors() anchors, increasing on both sides, each at most max_gap
// tokens after the one before; an anchor is a position whose key occurs in
// the other text with f_a * f_b <= max_occurrences^2. So a pair passes only
// if, on each side, the positions that could be anchors contain a run of
// that many positions none more than max_gap after the one before. This is
// exact in one direction: a pair it rejects has no passage (the aligner
// would return nothing), so rejecting never loses a pair; it costs a merge
// of the two key indexes and a sort of the shared positions, no chaining.
// Not thread-safe (scratch buffers); make one per worker.
class ChainFilter {
 public:
  // REQUIRES: a.index and b.index are IndexKeys of a.keys and b.keys.
  // Tokens flagged in a.boilerplate or b.boilerplate (if given) are left
  // out: whether the two may share a chain outside them.
  bool MayShareChain(const AlignInput& a, const AlignInput& b,
                     const AlignOptions& options);

 private:
  std::vector<uint32_t> a_positions_;
  std::vector<uint32_t> b_positions_;
};

}  // namespace neardup

#endif  // NEARDUP_SRC_CANDIDATES_H_
