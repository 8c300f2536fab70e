// AlignPassages on two short key sequences over a small alphabet, so that
// matches, repeats and frequent keys are common. Byte layout: byte 0 picks
// min_tokens, byte 1 max_gap, byte 2 max_occurrences, byte 3 min_score; the
// rest is split at the first 0xFF into the two sequences, whose keys are the
// bytes modulo 16.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <tuple>
#include <vector>

#include "align.h"
#include "fuzz_check.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  constexpr size_t kHeader = 4;
  if (size < kHeader) return 0;
  neardup::AlignOptions options;
  options.min_tokens = data[0] % 8;  // 0 and 1 test the clamp to 1
  options.max_gap = data[1] % 16;
  options.max_occurrences = data[2] % 10;
  options.min_score = (data[3] % 11) / 10.0;

  std::vector<uint64_t> a;
  std::vector<uint64_t> b;
  std::vector<uint64_t>* side = &a;
  for (size_t k = kHeader; k < size; ++k) {
    if (data[k] == 0xFF && side == &a) {
      side = &b;
      continue;
    }
    side->push_back(data[k] % 16);
  }

  const std::vector<neardup::AlignedPassage> passages =
      neardup::AlignPassages(a, b, options);
  for (size_t k = 0; k < passages.size(); ++k) {
    const neardup::AlignedPassage& p = passages[k];
    FUZZ_CHECK(p.a.begin < p.a.end);
    FUZZ_CHECK(p.a.end <= a.size());
    FUZZ_CHECK(p.b.begin < p.b.end);
    FUZZ_CHECK(p.b.end <= b.size());
    FUZZ_CHECK(p.score >= 0 && p.score <= 1);
    FUZZ_CHECK(p.score >= options.min_score);
    // min_tokens is checked on the chain before its loose ends are trimmed
    // (and short texts need fewer), so a reported passage may hold fewer
    // anchors than min_tokens, but never none.
    FUZZ_CHECK(p.anchors >= 1);
    FUZZ_CHECK(p.anchors <= p.a.size() && p.anchors <= p.b.size());
    FUZZ_CHECK(p.matched <= p.a.size() && p.matched <= p.b.size());
    if (k > 0) {
      const neardup::AlignedPassage& q = passages[k - 1];
      FUZZ_CHECK(std::tie(q.a.begin, q.b.begin) <=
                 std::tie(p.a.begin, p.b.begin));
    }
  }

  // The overload with prebuilt indexes is the same computation.
  const neardup::KeyIndex a_index = neardup::IndexKeys(a);
  const neardup::KeyIndex b_index = neardup::IndexKeys(b);
  const std::vector<neardup::AlignedPassage> indexed =
      neardup::AlignPassages({a, &a_index, {}}, {b, &b_index, {}}, options);
  FUZZ_CHECK(indexed.size() == passages.size());
  for (size_t k = 0; k < passages.size(); ++k) {
    FUZZ_CHECK(indexed[k].a.begin == passages[k].a.begin);
    FUZZ_CHECK(indexed[k].a.end == passages[k].a.end);
    FUZZ_CHECK(indexed[k].b.begin == passages[k].b.begin);
    FUZZ_CHECK(indexed[k].b.end == passages[k].b.end);
    FUZZ_CHECK(indexed[k].score == passages[k].score);
  }

  // With boilerplate flags (every third token of each side), passages stay
  // well formed and are a subset of the unflagged ones' starts.
  std::vector<uint8_t> a_flags(a.size()), b_flags(b.size());
  for (size_t k = 0; k < a.size(); ++k) a_flags[k] = k % 3 == 0;
  for (size_t k = 0; k < b.size(); ++k) b_flags[k] = k % 3 == 0;
  const std::vector<neardup::AlignedPassage> flagged = neardup::AlignPassages(
      {a, &a_index, a_flags}, {b, &b_index, b_flags}, options);
  FUZZ_CHECK(flagged.size() <= passages.size());
  for (const neardup::AlignedPassage& p : flagged) {
    FUZZ_CHECK(p.a.begin < p.a.end && p.a.end <= a.size());
    FUZZ_CHECK(p.b.begin < p.b.end && p.b.end <= b.size());
    FUZZ_CHECK(p.score >= options.min_score && p.score <= 1);
  }
  return 0;
}
