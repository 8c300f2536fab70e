// Analysis of one document: normalise, tokenise and key every token, keeping
// each token's span in the original text. Everything after this stage works
// on token keys; spans come back only when passages are reported.
#ifndef NEARDUP_SRC_ANALYZE_H_
#define NEARDUP_SRC_ANALYZE_H_

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "neardup/neardup.h"
#include "normalize.h"
#include "tokenize.h"

namespace neardup {

// Offsets are 32-bit: a text must be shorter than this many bytes.
inline constexpr size_t kMaxTextBytes = 0xFFFFFFFFu;

struct AnalyzedText {
  std::vector<uint64_t> keys;   // matching key of each token
  std::vector<uint32_t> begin;  // original byte offset where each token starts
  std::vector<uint32_t> end;    // ... and ends (exclusive)
  size_t invalid_utf8 = 0;      // ill-formed sequences read as U+FFFD

  size_t size() const { return keys.size(); }
};

// A text longer than this is analysed in pieces of about this size, cut
// where the result cannot change (see Analyzer::Analyze).
inline constexpr size_t kAnalyzeChunkBytes = size_t{1} << 20;

// Not thread-safe: one Analyzer per thread. Reuses its buffers across calls,
// so analysing millions of documents does not allocate per document.
class Analyzer {
 public:
  explicit Analyzer(const AnalyzeOptions& options,
                    size_t chunk_bytes = kAnalyzeChunkBytes);

  // Replaces *out with the analysis of `text`. A long text is normalised and
  // tokenised in chunks of about chunk_bytes, each ending with an ASCII space
  // followed by an ASCII letter or digit or an Arabic letter: no character
  // folds into its neighbours there and a word always ends, so the result is
  // that of the whole text at once, while the buffers (5 bytes per byte of
  // text for the normalised text and its offset map, 8 per token) hold one
  // chunk. A text without such a place (no spaces, or only other scripts) is
  // one chunk.
  // REQUIRES: text.size() < kMaxTextBytes.
  void Analyze(std::string_view text, AnalyzedText* out);

  // Replaces *keys with Analyze(text).keys, computed without the offset map
  // and token spans (about a third less work): for callers that need no
  // spans, as dedup. REQUIRES: text.size() < kMaxTextBytes.
  void AnalyzeKeys(std::string_view text, std::vector<uint64_t>* keys);

  // Bytes held by the reusable buffers (normalised text, offset map,
  // tokens) after the longest chunk analysed so far.
  size_t ScratchBytes() const;

 private:
  // Appends the tokens of text[begin, end) to *out.
  void AnalyzeChunk(std::string_view text, size_t begin, size_t end,
                    AnalyzedText* out);

  NormalizeOptions normalize_options_;
  TokenKeyOptions key_options_;
  size_t chunk_bytes_;
  NormalizedText normalized_;
  std::string normalized_text_;  // AnalyzeKeys's
  std::vector<Token> tokens_;
};

}  // namespace neardup

#endif  // NEARDUP_SRC_ANALYZE_H_
