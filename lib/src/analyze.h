// Analysis of one document: normalise, tokenise and key every token, keeping
// each token's span in the original text. Everything after this stage works
// on token keys; spans come back only when passages are reported.
#ifndef NEARDUP_SRC_ANALYZE_H_
#define NEARDUP_SRC_ANALYZE_H_

#include <cstddef>
#include <cstdint>
#include <string>
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

class FusedTable;

// Not thread-safe: one Analyzer per thread. Reuses its buffers across calls,
// so analysing millions of documents does not allocate per document.
//
// Analyze and AnalyzeKeys read the text once: a fused path normalises,
// segments and keys together the characters whose normalisation is a single
// code point, dropped or a space, and whose word break class needs no ICU
// (ASCII, Latin-1, Greek, Cyrillic, Arabic letters, digits and punctuation,
// the common quotes, dashes and spaces, ...). Around anything else it cuts
// the text where the result cannot change (after a ' ' before an ASCII
// letter or digit or an Arabic letter, as for chunks) and runs the general
// path (Normalize, Tokenize, TokenKey) on that piece alone. The results equal
// those of AnalyzeGeneral and AnalyzeKeysGeneral, the general path on the
// whole text.
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

  // The same results by the general path alone (three passes: Normalize,
  // Tokenize, TokenKey), chunk by chunk: the reference the fused path is
  // tested against. Slower.
  void AnalyzeGeneral(std::string_view text, AnalyzedText* out);
  void AnalyzeKeysGeneral(std::string_view text, std::vector<uint64_t>* keys);

  // Bytes held by the reusable buffers (normalised text, offset map,
  // tokens) after the longest chunk analysed so far.
  size_t ScratchBytes() const;

 private:
  // Analyze/AnalyzeGeneral and AnalyzeKeys/AnalyzeKeysGeneral: the text
  // chunk by chunk, by the fused path or (general) the general path alone.
  void AnalyzeText(std::string_view text, bool general, AnalyzedText* out);
  void AnalyzeTextKeys(std::string_view text, bool general,
                       std::vector<uint64_t>* keys);
  // Appends the tokens of text[begin, end) to *out, by the general path.
  void AnalyzeChunk(std::string_view text, size_t begin, size_t end,
                    AnalyzedText* out);
  // Appends the keys of text[begin, end) to *keys, by the general path.
  void AnalyzeKeysChunk(std::string_view text, size_t begin, size_t end,
                        std::vector<uint64_t>* keys);
  // Appends the keys of text[begin, end) to *keys, and with spans (then
  // keys == &spans->keys) their spans and invalid sequences to *spans, by
  // the fused path and the general path on the pieces it cannot handle.
  void AnalyzeChunkFused(std::string_view text, size_t begin, size_t end,
                         std::vector<uint64_t>* keys, AnalyzedText* spans);

  NormalizeOptions normalize_options_;
  TokenKeyOptions key_options_;
  size_t chunk_bytes_;
  FusedTable* fused_;         // shared by the Analyzers of these options
  std::string token_buffer_;  // the fused path's current token
  NormalizedText normalized_;
  std::string normalized_text_;  // AnalyzeKeys's
  std::vector<Token> tokens_;
};

}  // namespace neardup

#endif  // NEARDUP_SRC_ANALYZE_H_
