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

// Not thread-safe: one Analyzer per thread. Reuses its buffers across calls,
// so analysing millions of documents does not allocate per document.
class Analyzer {
 public:
  explicit Analyzer(const AnalyzeOptions& options);

  // REQUIRES: text.size() < kMaxTextBytes.
  void Analyze(std::string_view text, AnalyzedText* out);

 private:
  NormalizeOptions normalize_options_;
  TokenKeyOptions key_options_;
  NormalizedText normalized_;
  std::vector<Token> tokens_;
};

}  // namespace neardup

#endif  // NEARDUP_SRC_ANALYZE_H_
