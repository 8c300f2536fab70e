#include "locate.h"

#include "utf8.h"

namespace neardup {
namespace {

TextSpan ByteSpan(const AnalyzedText& text, TokenRange range) {
  TextSpan span;
  span.begin = span.char_begin = text.begin[range.begin];
  span.end = span.char_end = text.end[range.end - 1];
  return span;
}

}  // namespace

Passage UnlocatedPassage(const AlignedPassage& aligned) {
  Passage passage;
  passage.score = aligned.score;
  passage.a_tokens = aligned.a.size();
  passage.b_tokens = aligned.b.size();
  passage.aligned = aligned.anchors;
  passage.matched = aligned.matched;
  return passage;
}

void LocateSpans(std::string_view text, const AnalyzedText& analyzed,
                 const std::vector<TokenRange>& ranges,
                 const std::vector<TextSpan*>& spans) {
  std::vector<uint32_t*> chars;
  chars.reserve(2 * spans.size());
  for (size_t i = 0; i < ranges.size(); ++i) {
    *spans[i] = ByteSpan(analyzed, ranges[i]);
    chars.push_back(&spans[i]->char_begin);
    chars.push_back(&spans[i]->char_end);
  }
  ByteToCodePointOffsets(text, chars);
}

std::vector<Passage> LocatePassages(const std::vector<AlignedPassage>& aligned,
                                    std::string_view a_text,
                                    const AnalyzedText& a,
                                    std::string_view b_text,
                                    const AnalyzedText& b) {
  std::vector<Passage> passages;
  passages.reserve(aligned.size());
  std::vector<uint32_t*> a_chars, b_chars;
  for (const AlignedPassage& found : aligned) {
    Passage& passage = passages.emplace_back(UnlocatedPassage(found));
    passage.a = ByteSpan(a, found.a);
    passage.b = ByteSpan(b, found.b);
  }
  // Pointers are taken after the vector stops growing.
  for (Passage& passage : passages) {
    a_chars.push_back(&passage.a.char_begin);
    a_chars.push_back(&passage.a.char_end);
    b_chars.push_back(&passage.b.char_begin);
    b_chars.push_back(&passage.b.char_end);
  }
  ByteToCodePointOffsets(a_text, a_chars);
  ByteToCodePointOffsets(b_text, b_chars);
  return passages;
}

}  // namespace neardup
