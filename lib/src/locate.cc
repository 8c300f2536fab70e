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
  std::vector<TokenRange> a_ranges, b_ranges;
  for (const AlignedPassage& found : aligned) {
    passages.push_back(UnlocatedPassage(found));
    a_ranges.push_back(found.a);
    b_ranges.push_back(found.b);
  }
  // Pointers are taken after the vector stops growing.
  std::vector<TextSpan*> a_spans, b_spans;
  for (Passage& passage : passages) {
    a_spans.push_back(&passage.a);
    b_spans.push_back(&passage.b);
  }
  LocateSpans(a_text, a, a_ranges, a_spans);
  LocateSpans(b_text, b, b_ranges, b_spans);
  return passages;
}

}  // namespace neardup
