#include "analyze.h"

namespace neardup {

Analyzer::Analyzer(const AnalyzeOptions& options) {
  normalize_options_.fold_case = options.fold_case;
  normalize_options_.strip_marks = options.strip_marks;
  normalize_options_.fold_arabic = options.fold_arabic;
  normalize_options_.fold_digits = options.fold_digits;
  key_options_.match_variants = options.match_variants;
}

void Analyzer::Analyze(std::string_view text, AnalyzedText* out) {
  Normalize(text, normalize_options_, &normalized_);
  Tokenize(normalized_.text, &tokens_);
  out->keys.resize(tokens_.size());
  out->begin.resize(tokens_.size());
  out->end.resize(tokens_.size());
  out->invalid_utf8 = normalized_.invalid_sequences;
  const std::string_view normalized = normalized_.text;
  for (size_t k = 0; k < tokens_.size(); ++k) {
    const Token& token = tokens_[k];
    out->keys[k] = TokenKey(
        normalized.substr(token.begin, token.end - token.begin), key_options_);
    const auto [begin, end] = normalized_.ToOriginal(token.begin, token.end);
    out->begin[k] = begin;
    out->end[k] = end;
  }
}

}  // namespace neardup
