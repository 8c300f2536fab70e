#include "analyze.h"

#include <algorithm>

namespace neardup {
namespace {

bool IsAsciiAlnum(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
         (c >= 'A' && c <= 'Z');
}

// True if an Arabic letter U+0627..U+063A or U+0641..U+064A (alef to ghain,
// feh to yeh; not hamza or tatweel) starts at text[p].
bool IsArabicLetterAt(std::string_view text, size_t p) {
  if (p + 1 >= text.size()) return false;
  const auto lead = static_cast<unsigned char>(text[p]);
  const auto trail = static_cast<unsigned char>(text[p + 1]);
  return (lead == 0xD8 && trail >= 0xA7 && trail <= 0xBA) ||
         (lead == 0xD9 && trail >= 0x81 && trail <= 0x8A);
}

// Where the chunk that starts at `begin` ends: the first p >= begin +
// chunk_bytes with text[p - 1] == ' ' and a letter or digit at p, or the end
// of the text. Normalisation maps each code point on its own except that it
// collapses runs of white space, and these letters are never white space,
// dropped or folded into anything else; a word break always falls between a
// space and a letter. So cutting there changes nothing.
size_t ChunkEnd(std::string_view text, size_t begin, size_t chunk_bytes) {
  if (text.size() - begin <= chunk_bytes) return text.size();
  for (size_t p = begin + chunk_bytes; p < text.size(); ++p) {
    if (text[p - 1] == ' ' &&
        (IsAsciiAlnum(text[p]) || IsArabicLetterAt(text, p))) {
      return p;
    }
  }
  return text.size();
}

}  // namespace

Analyzer::Analyzer(const AnalyzeOptions& options, size_t chunk_bytes)
    : chunk_bytes_(std::max<size_t>(1, chunk_bytes)) {
  normalize_options_.fold_case = options.fold_case;
  normalize_options_.strip_marks = options.strip_marks;
  normalize_options_.fold_arabic = options.fold_arabic;
  normalize_options_.fold_digits = options.fold_digits;
  key_options_.match_variants = options.match_variants;
}

void Analyzer::Analyze(std::string_view text, AnalyzedText* out) {
  out->keys.clear();
  out->begin.clear();
  out->end.clear();
  out->invalid_utf8 = 0;
  for (size_t begin = 0; begin < text.size();) {
    const size_t end = ChunkEnd(text, begin, chunk_bytes_);
    AnalyzeChunk(text, begin, end, out);
    if (begin == 0 && end < text.size()) {
      // Reserve for the whole text at the first chunk's density, so that the
      // token arrays are not reallocated (and briefly doubled) as they grow.
      // Reserved but unwritten memory is not resident.
      const double per_byte =
          static_cast<double>(out->size()) / static_cast<double>(end);
      const size_t expected = static_cast<size_t>(
          per_byte * 1.25 * static_cast<double>(text.size()));
      out->keys.reserve(expected);
      out->begin.reserve(expected);
      out->end.reserve(expected);
    }
    begin = end;
  }
}

void Analyzer::AnalyzeKeys(std::string_view text, std::vector<uint64_t>* keys) {
  keys->clear();
  for (size_t begin = 0; begin < text.size();) {
    const size_t end = ChunkEnd(text, begin, chunk_bytes_);
    NormalizeText(text.substr(begin, end - begin), normalize_options_,
                  &normalized_text_);
    Tokenize(normalized_text_, &tokens_);
    const std::string_view normalized = normalized_text_;
    for (const Token& token : tokens_) {
      keys->push_back(
          TokenKey(normalized.substr(token.begin, token.end - token.begin),
                   key_options_));
    }
    begin = end;
  }
}

size_t Analyzer::ScratchBytes() const {
  return normalized_.text.capacity() + normalized_text_.capacity() +
         normalized_.origin.capacity() * sizeof(uint32_t) +
         tokens_.capacity() * sizeof(Token);
}

void Analyzer::AnalyzeChunk(std::string_view text, size_t begin, size_t end,
                            AnalyzedText* out) {
  Normalize(text.substr(begin, end - begin), normalize_options_, &normalized_);
  Tokenize(normalized_.text, &tokens_);
  const size_t first = out->keys.size();
  const size_t count = first + tokens_.size();
  out->keys.resize(count);
  out->begin.resize(count);
  out->end.resize(count);
  out->invalid_utf8 += normalized_.invalid_sequences;
  const std::string_view normalized = normalized_.text;
  const uint32_t base = static_cast<uint32_t>(begin);
  for (size_t k = 0; k < tokens_.size(); ++k) {
    const Token& token = tokens_[k];
    out->keys[first + k] = TokenKey(
        normalized.substr(token.begin, token.end - token.begin), key_options_);
    const auto [token_begin, token_end] =
        normalized_.ToOriginal(token.begin, token.end);
    out->begin[first + k] = base + token_begin;
    out->end[first + k] = base + token_end;
  }
}

}  // namespace neardup
