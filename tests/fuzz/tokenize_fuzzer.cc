// Tokenize on normalised text (and, since it accepts any bytes, on the raw
// input too). Checks that tokens are non-empty, in order, non-overlapping and
// inside the text, that the fast path agrees with ICU (the header's promise),
// that TokenKey is deterministic, and that the analyzer's fused path gives
// the general path's tokens, keys and spans.
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "analyze.h"
#include "fuzz_check.h"
#include "normalize.h"
#include "tokenize.h"

namespace {

void CheckTokens(std::string_view text) {
  const std::vector<neardup::Token> tokens = neardup::Tokenize(text);
  uint32_t previous_end = 0;
  for (const neardup::Token& token : tokens) {
    FUZZ_CHECK(token.begin < token.end);
    FUZZ_CHECK(token.begin >= previous_end);
    FUZZ_CHECK(token.end <= text.size());
    previous_end = token.end;
  }

  std::vector<neardup::Token> reference;
  neardup::TokenizeWithIcu(text, &reference);
  FUZZ_CHECK(reference.size() == tokens.size());
  for (size_t k = 0; k < tokens.size(); ++k) {
    FUZZ_CHECK(reference[k].begin == tokens[k].begin);
    FUZZ_CHECK(reference[k].end == tokens[k].end);
  }

  for (const bool match_variants : {false, true}) {
    const neardup::TokenKeyOptions options{.match_variants = match_variants};
    for (const neardup::Token& token : tokens) {
      const std::string_view word =
          text.substr(token.begin, token.end - token.begin);
      // A copy in another buffer: the key depends on the bytes only.
      const std::string copy(word);
      FUZZ_CHECK(neardup::TokenKey(word, options) ==
                 neardup::TokenKey(copy, options));
    }
  }
}

void CheckAnalysis(std::string_view text) {
  if (text.size() >= neardup::kMaxTextBytes) return;
  for (const size_t chunk_bytes : {neardup::kAnalyzeChunkBytes, size_t{7}}) {
    neardup::Analyzer analyzer(neardup::AnalyzeOptions(), chunk_bytes);
    neardup::AnalyzedText fused, general;
    analyzer.Analyze(text, &fused);
    analyzer.AnalyzeGeneral(text, &general);
    FUZZ_CHECK(fused.keys == general.keys);
    FUZZ_CHECK(fused.begin == general.begin);
    FUZZ_CHECK(fused.end == general.end);
    FUZZ_CHECK(fused.invalid_utf8 == general.invalid_utf8);
    std::vector<uint64_t> keys;
    analyzer.AnalyzeKeys(text, &keys);
    FUZZ_CHECK(keys == general.keys);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  CheckTokens(neardup::Normalize(input).text);
  CheckTokens(input);
  CheckAnalysis(input);
  return 0;
}
