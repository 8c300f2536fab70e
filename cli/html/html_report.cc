#include "html_report.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "html_assets.h"

namespace neardup::cli {
namespace {

constexpr char32_t kReplacement = 0xFFFD;

// Decodes the code point at text[pos]; an ill-formed sequence is one U+FFFD
// per maximal subpart (Unicode 3.9, the WHATWG decoder). Returns its length.
size_t DecodeUtf8(std::string_view text, size_t pos, char32_t* cp) {
  const auto byte = [&](size_t i) {
    return static_cast<unsigned char>(text[pos + i]);
  };
  const unsigned char lead = byte(0);
  if (lead < 0x80) {
    *cp = lead;
    return 1;
  }
  size_t length = 0;
  unsigned char low = 0x80, high = 0xBF;  // allowed range of the 2nd byte
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    if (lead == 0xE0) low = 0xA0;
    if (lead == 0xED) high = 0x9F;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    if (lead == 0xF0) low = 0x90;
    if (lead == 0xF4) high = 0x8F;
  } else {
    *cp = kReplacement;
    return 1;
  }
  char32_t value = lead & (0xFF >> (length + 1));
  for (size_t i = 1; i < length; ++i) {
    if (pos + i >= text.size()) {
      *cp = kReplacement;
      return i;
    }
    const unsigned char c = byte(i);
    const unsigned char lo = i == 1 ? low : 0x80, hi = i == 1 ? high : 0xBF;
    if (c < lo || c > hi) {
      *cp = kReplacement;
      return i;
    }
    value = (value << 6) | (c & 0x3F);
  }
  *cp = value;
  return length;
}

void AppendUtf8(char32_t cp, std::string* out) {
  if (cp < 0x80) {
    out->push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

// Characters shown as a labelled, isolated box: they are invisible or, for
// the bidi controls, would reorder the text that follows them.
bool IsShownAsControl(char32_t cp) {
  return (cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r') ||
         (cp >= 0x7F && cp <= 0x9F) || (cp >= 0x202A && cp <= 0x202E) ||
         (cp >= 0x2066 && cp <= 0x2069);
}

bool IsRightToLeft(char32_t cp) {
  return (cp >= 0x0590 && cp <= 0x08FF) || (cp >= 0xFB1D && cp <= 0xFDFF) ||
         (cp >= 0xFE70 && cp <= 0xFEFF) || (cp >= 0x10800 && cp <= 0x10FFF) ||
         (cp >= 0x1E800 && cp <= 0x1EFFF);
}

bool IsSpaceOrPunctuation(char32_t cp) {
  if (cp < 0x80) {
    return !((cp >= '0' && cp <= '9') || (cp >= 'a' && cp <= 'z') ||
             (cp >= 'A' && cp <= 'Z'));
  }
  return (cp >= 0x80 && cp <= 0xBF) || cp == 0xD7 || cp == 0xF7 ||
         (cp >= 0x2000 && cp <= 0x2BFF) ||  // spaces, punctuation, symbols
         (cp >= 0x3000 && cp <= 0x303F) ||  // CJK punctuation
         (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFF0F) ||
         (cp >= 0xFF1A && cp <= 0xFF20) || cp == 0x060C || cp == 0x061B ||
         cp == 0x061F || (cp >= 0x066A && cp <= 0x066D) || cp == 0x06D4 ||
         cp == 0xFD3E || cp == 0xFD3F || cp == kReplacement ||
         (cp >= 0x1F000 && cp <= 0x1FAFF);  // emoji
}

// Scripts written without spaces: each character is a word.
bool IsOwnWord(char32_t cp) {
  return (cp >= 0x3040 && cp <= 0x30FF) || (cp >= 0x3400 && cp <= 0x9FFF) ||
         (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0x20000 && cp <= 0x2FFFF) ||
         (cp >= 0x0E00 && cp <= 0x0EFF);  // Thai, Lao
}

bool IsArabicMark(char32_t cp) {
  return (cp >= 0x0610 && cp <= 0x061A) || (cp >= 0x064B && cp <= 0x065F) ||
         cp == 0x0670 || (cp >= 0x06D6 && cp <= 0x06ED) || cp == 0x0640;
}

// The display fold of one code point (0: dropped).
char32_t FoldForDiff(char32_t cp) {
  if (cp >= 'A' && cp <= 'Z') return cp + 32;
  if ((cp >= 0xC0 && cp <= 0xDE && cp != 0xD7)) return cp + 32;
  if (cp >= 0x0300 && cp <= 0x036F) return 0;  // combining accents
  if (IsArabicMark(cp)) return 0;
  switch (cp) {
    case 0x0622:
    case 0x0623:
    case 0x0625:
    case 0x0671:
      return 0x0627;
    case 0x0624:
      return 0x0648;
    case 0x0626:
    case 0x0649:
      return 0x064A;
    case 0x0629:
      return 0x0647;
    default:
      break;
  }
  if (cp >= 0x0660 && cp <= 0x0669) return '0' + (cp - 0x0660);
  if (cp >= 0x06F0 && cp <= 0x06F9) return '0' + (cp - 0x06F0);
  return cp;
}

struct Word {
  ByteRange range;
  std::u32string key;
};

// Strips the proclitic و and the article (ال بال كال فال لل) when a word of
// at least two letters is left, then collapses repeated letters.
void FoldVariants(std::u32string* key) {
  auto strip = [key](std::u32string_view prefix) {
    if (key->size() >= prefix.size() + 2 &&
        std::u32string_view(*key).substr(0, prefix.size()) == prefix) {
      key->erase(0, prefix.size());
      return true;
    }
    return false;
  };
  strip(U"\u0648");
  for (std::u32string_view article :
       {U"\u0628\u0627\u0644", U"\u0643\u0627\u0644", U"\u0641\u0627\u0644",
        U"\u0627\u0644", U"\u0644\u0644"}) {
    if (strip(article)) break;
  }
  key->erase(std::unique(key->begin(), key->end()), key->end());
}

std::vector<Word> SplitWords(std::string_view text, ByteRange span) {
  std::vector<Word> words;
  Word current;
  bool in_word = false;
  auto finish = [&](uint32_t at) {
    if (!in_word) return;
    current.range.end = at;
    FoldVariants(&current.key);
    words.push_back(std::move(current));
    current = Word();
    in_word = false;
  };
  size_t pos = span.begin;
  const size_t end = std::min<size_t>(span.end, text.size());
  while (pos < end) {
    char32_t cp;
    const size_t length = DecodeUtf8(text, pos, &cp);
    const auto at = static_cast<uint32_t>(pos);
    if (IsSpaceOrPunctuation(cp) || IsShownAsControl(cp)) {
      finish(at);
    } else if (IsOwnWord(cp)) {
      finish(at);
      words.push_back({{at, static_cast<uint32_t>(pos + length)}, {cp}});
    } else {
      if (!in_word) {
        in_word = true;
        current.range.begin = at;
      }
      if (char32_t folded = FoldForDiff(cp); folded != 0) {
        current.key.push_back(folded);
      }
    }
    pos += length;
  }
  finish(static_cast<uint32_t>(end));
  return words;
}

constexpr size_t kMaxDiffCells = size_t{4} << 20;

// Sets unmatched[i] for the words of `a` (and of `b`) outside a longest
// common subsequence of the two.
void MarkOutsideCommonSubsequence(const std::vector<Word>& a,
                                  const std::vector<Word>& b,
                                  std::vector<bool>* a_unmatched,
                                  std::vector<bool>* b_unmatched) {
  size_t prefix = 0;
  while (prefix < a.size() && prefix < b.size() &&
         a[prefix].key == b[prefix].key) {
    ++prefix;
  }
  size_t suffix = 0;
  while (suffix < a.size() - prefix && suffix < b.size() - prefix &&
         a[a.size() - 1 - suffix].key == b[b.size() - 1 - suffix].key) {
    ++suffix;
  }
  const size_t n = a.size() - prefix - suffix, m = b.size() - prefix - suffix;
  a_unmatched->assign(a.size(), false);
  b_unmatched->assign(b.size(), false);
  if (n == 0 || m == 0 || n * m > kMaxDiffCells) {
    // Multiset comparison: a word is unmatched when the other side has run
    // out of copies of it.
    absl::flat_hash_map<std::u32string_view, int> a_count, b_count;
    for (size_t i = prefix; i < prefix + n; ++i) ++a_count[a[i].key];
    for (size_t j = prefix; j < prefix + m; ++j) ++b_count[b[j].key];
    for (size_t i = prefix; i < prefix + n; ++i) {
      auto it = b_count.find(a[i].key);
      if (it == b_count.end() || it->second == 0) {
        (*a_unmatched)[i] = true;
      } else {
        --it->second;
      }
    }
    for (size_t j = prefix; j < prefix + m; ++j) {
      auto it = a_count.find(b[j].key);
      if (it == a_count.end() || it->second == 0) {
        (*b_unmatched)[j] = true;
      } else {
        --it->second;
      }
    }
    return;
  }
  // lcs[i][j]: LCS length of a[prefix+i..] and b[prefix+j..].
  std::vector<uint32_t> lcs((n + 1) * (m + 1), 0);
  const auto at = [&](size_t i, size_t j) -> uint32_t& {
    return lcs[i * (m + 1) + j];
  };
  for (size_t i = n; i-- > 0;) {
    for (size_t j = m; j-- > 0;) {
      at(i, j) = a[prefix + i].key == b[prefix + j].key
                     ? at(i + 1, j + 1) + 1
                     : std::max(at(i + 1, j), at(i, j + 1));
    }
  }
  size_t i = 0, j = 0;
  while (i < n && j < m) {
    if (a[prefix + i].key == b[prefix + j].key) {
      ++i;
      ++j;
    } else if (at(i + 1, j) >= at(i, j + 1)) {
      (*a_unmatched)[prefix + i++] = true;
    } else {
      (*b_unmatched)[prefix + j++] = true;
    }
  }
  for (; i < n; ++i) (*a_unmatched)[prefix + i] = true;
  for (; j < m; ++j) (*b_unmatched)[prefix + j] = true;
}

std::vector<ByteRange> UnmatchedRanges(const std::vector<Word>& words,
                                       const std::vector<bool>& unmatched) {
  std::vector<ByteRange> ranges;
  for (size_t i = 0; i < words.size(); ++i) {
    if (unmatched[i]) ranges.push_back(words[i].range);
  }
  return ranges;
}

// The marks of one side: a byte is marked when every passage covering it
// marks it (overlapping passages may disagree about a word).
std::vector<ByteRange> MergeMarks(const std::vector<NumberedSpan>& spans,
                                  const std::vector<ByteRange>& marks) {
  std::vector<std::pair<uint32_t, std::pair<int, int>>> events;
  for (const NumberedSpan& span : spans) {
    events.push_back({span.range.begin, {1, 0}});
    events.push_back({span.range.end, {-1, 0}});
  }
  for (const ByteRange& mark : marks) {
    events.push_back({mark.begin, {0, 1}});
    events.push_back({mark.end, {0, -1}});
  }
  std::sort(events.begin(), events.end(),
            [](const auto& x, const auto& y) { return x.first < y.first; });
  std::vector<ByteRange> merged;
  int covered = 0, marked = 0;
  for (size_t k = 0; k < events.size();) {
    const uint32_t at = events[k].first;
    for (; k < events.size() && events[k].first == at; ++k) {
      covered += events[k].second.first;
      marked += events[k].second.second;
    }
    if (k == events.size()) break;
    const uint32_t next = events[k].first;
    if (covered > 0 && marked == covered && next > at) {
      if (!merged.empty() && merged.back().end == at) {
        merged.back().end = next;
      } else {
        merged.push_back({at, next});
      }
    }
  }
  return merged;
}

// Hue of passage `number`: golden-angle steps, so neighbours differ most.
int PassageHue(int number) {
  return static_cast<int>(std::fmod((number - 1) * 137.508, 360.0));
}

// Appends `value` as a JSON string that is safe inside a <script> element:
// < > & are escaped, so neither "</script>" nor "<!--" can appear.
void AppendScriptJsonString(std::string_view value, std::string* out) {
  out->push_back('"');
  for (unsigned char c : value) {
    switch (c) {
      case '"':
        out->append("\\\"");
        break;
      case '\\':
        out->append("\\\\");
        break;
      case '\n':
        out->append("\\n");
        break;
      case '<':
        out->append("\\u003c");
        break;
      case '>':
        out->append("\\u003e");
        break;
      case '&':
        out->append("\\u0026");
        break;
      default:
        if (c < 0x20) {
          absl::StrAppendFormat(out, "\\u%04x", c);
        } else {
          out->push_back(static_cast<char>(c));
        }
    }
  }
  out->push_back('"');
}

std::string Percent(double fraction) {
  return absl::StrFormat("%.0f%%", 100 * fraction);
}

// For <title>, which holds text only: as AppendHtmlText, but each control
// character becomes U+FFFD.
void AppendTitleText(std::string_view text, std::string* out) {
  std::string plain;
  for (size_t pos = 0; pos < text.size();) {
    char32_t cp;
    const size_t length = DecodeUtf8(text, pos, &cp);
    if (IsShownAsControl(cp)) {
      AppendUtf8(kReplacement, &plain);
    } else {
      plain.append(text.substr(pos, length));
    }
    pos += length;
  }
  AppendHtmlText(plain, out);
}

void AppendId(std::string_view id, std::string* out) {
  out->append("<bdi class=\"id\">");
  AppendHtmlText(id, out);
  out->append("</bdi>");
}

}  // namespace

void AppendHtmlText(std::string_view text, std::string* out) {
  size_t pos = 0;
  while (pos < text.size()) {
    const char c = text[pos];
    // Fast path for the common ASCII bytes.
    if (static_cast<unsigned char>(c) >= 0x20 && c != 0x7F &&
        static_cast<unsigned char>(c) < 0x80) {
      switch (c) {
        case '&':
          out->append("&amp;");
          break;
        case '<':
          out->append("&lt;");
          break;
        case '>':
          out->append("&gt;");
          break;
        case '"':
          out->append("&quot;");
          break;
        default:
          out->push_back(c);
      }
      ++pos;
      continue;
    }
    char32_t cp;
    const size_t length = DecodeUtf8(text, pos, &cp);
    if (cp == '\r') {
      out->append("&#13;");
    } else if (IsShownAsControl(cp)) {
      absl::StrAppendFormat(out, "<span class=\"ctl\" data-c=\"U+%04X\">",
                            static_cast<uint32_t>(cp));
      AppendUtf8(cp == 0 ? kReplacement : cp, out);
      out->append("</span>");
    } else if (cp == kReplacement) {
      AppendUtf8(kReplacement, out);
    } else {
      out->append(text.substr(pos, length));
    }
    pos += length;
  }
}

WordDiff DiffPassageWords(std::string_view a, ByteRange span_a,
                          std::string_view b, ByteRange span_b) {
  const std::vector<Word> a_words = SplitWords(a, span_a);
  const std::vector<Word> b_words = SplitWords(b, span_b);
  std::vector<bool> a_unmatched, b_unmatched;
  MarkOutsideCommonSubsequence(a_words, b_words, &a_unmatched, &b_unmatched);
  return {UnmatchedRanges(a_words, a_unmatched),
          UnmatchedRanges(b_words, b_unmatched)};
}

std::string RenderSide(std::string_view text,
                       const std::vector<NumberedSpan>& spans,
                       const std::vector<ByteRange>& marks) {
  const auto size = static_cast<uint32_t>(text.size());
  std::vector<NumberedSpan> opens = spans;
  for (NumberedSpan& span : opens) {
    span.range.end = std::min(span.range.end, size);
    span.range.begin = std::min(span.range.begin, span.range.end);
  }
  // Outer before inner: by start, then longest first.
  std::sort(opens.begin(), opens.end(),
            [](const NumberedSpan& x, const NumberedSpan& y) {
              if (x.range.begin != y.range.begin) {
                return x.range.begin < y.range.begin;
              }
              if (x.range.end != y.range.end) return x.range.end > y.range.end;
              return x.number < y.number;
            });
  std::vector<uint32_t> points = {0, size};
  for (const NumberedSpan& span : opens) {
    points.push_back(span.range.begin);
    points.push_back(span.range.end);
  }
  for (const ByteRange& mark : marks) {
    points.push_back(std::min(mark.begin, size));
    points.push_back(std::min(mark.end, size));
  }
  std::sort(points.begin(), points.end());
  points.erase(std::unique(points.begin(), points.end()), points.end());

  std::string out;
  out.reserve(text.size() + text.size() / 4 + 64 * spans.size());
  std::vector<NumberedSpan> stack;  // open passage elements, outermost first
  const auto open_tag = [&out](const NumberedSpan& span, bool first) {
    absl::StrAppendFormat(&out,
                          "<span class=\"p%s\" data-passage=\"%d\" "
                          "style=\"--h:%d\"%s>",
                          first ? " first" : "", span.number,
                          PassageHue(span.number),
                          first ? " tabindex=\"0\"" : "");
  };
  size_t next_open = 0, next_mark = 0;
  bool mark_open = false;
  uint32_t cursor = 0;
  for (const uint32_t at : points) {
    AppendHtmlText(text.substr(cursor, at - cursor), &out);
    cursor = at;
    if (mark_open) {
      out.append("</mark>");
      mark_open = false;
    }
    // Close the passages that end here; elements opened inside the
    // outermost of them are closed too and reopened as continuations.
    size_t outermost = stack.size();
    for (size_t i = 0; i < stack.size(); ++i) {
      if (stack[i].range.end == at) {
        outermost = i;
        break;
      }
    }
    if (outermost < stack.size()) {
      std::vector<NumberedSpan> reopen;
      for (size_t i = stack.size(); i-- > outermost;) {
        out.append("</span>");
        if (stack[i].range.end != at) reopen.push_back(stack[i]);
      }
      stack.resize(outermost);
      for (size_t i = reopen.size(); i-- > 0;) {
        open_tag(reopen[i], false);
        stack.push_back(reopen[i]);
      }
    }
    for (; next_open < opens.size() && opens[next_open].range.begin == at;
         ++next_open) {
      open_tag(opens[next_open], true);
      if (opens[next_open].range.end == at) {
        out.append("</span>");  // empty passage
      } else {
        stack.push_back(opens[next_open]);
      }
    }
    while (next_mark < marks.size() && marks[next_mark].end <= at) {
      ++next_mark;
    }
    if (next_mark < marks.size() && marks[next_mark].begin <= at && at < size) {
      out.append("<mark class=\"d\">");
      mark_open = true;
    }
  }
  if (mark_open) out.append("</mark>");
  for (size_t i = 0; i < stack.size(); ++i) out.append("</span>");
  return out;
}

std::string_view TextDirection(std::string_view text) {
  const size_t end = std::min<size_t>(text.size(), 64 << 10);
  size_t rtl = 0, ltr = 0;
  for (size_t pos = 0; pos < end;) {
    char32_t cp;
    pos += DecodeUtf8(text, pos, &cp);
    if (IsRightToLeft(cp)) {
      ++rtl;
    } else if (!IsSpaceOrPunctuation(cp) && !IsShownAsControl(cp) &&
               !(cp >= '0' && cp <= '9') && !(cp >= 0x0300 && cp <= 0x036F)) {
      ++ltr;
    }
  }
  return rtl > ltr ? "rtl" : "ltr";
}

HtmlReport::HtmlReport(HtmlReportOptions options)
    : options_(std::move(options)) {}

void HtmlReport::AddPair(const PairView& pair) {
  pairs_.push_back({pair, Coverage(*pair.passages, true, pair.a_text.size()),
                    Coverage(*pair.passages, false, pair.b_text.size())});
}

size_t HtmlReport::pairs_shown() const {
  if (options_.max_pairs == 0) return pairs_.size();
  return std::min(pairs_.size(), options_.max_pairs);
}

std::vector<size_t> HtmlReport::ShownPairs() const {
  std::vector<size_t> order(pairs_.size());
  std::iota(order.begin(), order.end(), 0);
  if (pairs_shown() < pairs_.size()) {
    const auto best = [this](size_t i) {
      return std::max(pairs_[i].a_coverage, pairs_[i].b_coverage);
    };
    std::stable_sort(order.begin(), order.end(),
                     [&](size_t x, size_t y) { return best(x) > best(y); });
    order.resize(pairs_shown());
    std::sort(order.begin(), order.end());
  }
  return order;
}

void HtmlReport::AppendPairView(const Pair& pair, size_t index,
                                std::string* out) const {
  const PairView& view = pair.view;
  const std::vector<Passage>& passages = *view.passages;
  std::vector<NumberedSpan> a_spans, b_spans;
  std::vector<ByteRange> a_marks, b_marks;
  for (size_t i = 0; i < passages.size(); ++i) {
    const Passage& p = passages[i];
    const int number = static_cast<int>(i) + 1;
    a_spans.push_back({number, {p.a.begin, p.a.end}});
    b_spans.push_back({number, {p.b.begin, p.b.end}});
    WordDiff diff = DiffPassageWords(view.a_text, {p.a.begin, p.a.end},
                                     view.b_text, {p.b.begin, p.b.end});
    a_marks.insert(a_marks.end(), diff.a.begin(), diff.a.end());
    b_marks.insert(b_marks.end(), diff.b.begin(), diff.b.end());
  }
  absl::StrAppendFormat(out, "<section class=\"view\" id=\"view-%d\">\n",
                        index + 1);
  out->append("<header class=\"pair-head\">\n");
  if (options_.scan) {
    out->append("<a class=\"back\" href=\"#pairs\">&larr; all pairs</a>\n");
  }
  out->append("<h2>");
  AppendId(view.a_id, out);
  out->append(" <span aria-label=\"and\">&#x21C4;</span> ");
  AppendId(view.b_id, out);
  out->append("</h2>\n<p class=\"stats\">");
  double best = 0, sum = 0;
  for (const Passage& p : passages) {
    best = std::max(best, p.score);
    sum += p.score;
  }
  absl::StrAppendFormat(out,
                        "%d shared passage%s, covering <strong>%s</strong> of "
                        "A and <strong>%s</strong> of B",
                        passages.size(), passages.size() == 1 ? "" : "s",
                        Percent(pair.a_coverage), Percent(pair.b_coverage));
  if (!passages.empty()) {
    absl::StrAppendFormat(out, "; scores: best %.2f, mean %.2f", best,
                          sum / static_cast<double>(passages.size()));
  }
  out->append(".</p>\n");
  if (!passages.empty()) {
    out->append("<ol class=\"legend\">\n");
    for (size_t i = 0; i < passages.size(); ++i) {
      const Passage& p = passages[i];
      const int number = static_cast<int>(i) + 1;
      absl::StrAppendFormat(
          out,
          "<li title=\"A bytes %d-%d, chars %d-%d; B bytes %d-%d, chars "
          "%d-%d\"><button type=\"button\" class=\"goto\" "
          "data-goto=\"%d\" style=\"--h:%d\" aria-label=\"passage %d\">%d"
          "</button> score %.2f, %d words</li>\n",
          p.a.begin, p.a.end, p.a.char_begin, p.a.char_end, p.b.begin, p.b.end,
          p.b.char_begin, p.b.char_end, number, PassageHue(number), number,
          number, p.score, p.aligned);
    }
    out->append("</ol>\n");
  }
  out->append("</header>\n<div class=\"sides\">\n");
  const struct {
    const char* side;
    std::string_view id;
    std::string_view text;
    const std::vector<NumberedSpan>& spans;
    const std::vector<ByteRange>& marks;
  } sides[] = {{"a", view.a_id, view.a_text, a_spans, a_marks},
               {"b", view.b_id, view.b_text, b_spans, b_marks}};
  for (const auto& side : sides) {
    std::vector<ByteRange> marks = side.marks;
    std::sort(marks.begin(), marks.end(),
              [](const ByteRange& x, const ByteRange& y) {
                return x.begin < y.begin;
              });
    const std::string_view dir = TextDirection(side.text);
    absl::StrAppendFormat(out, "<article class=\"side\"><h3>%s: ",
                          side.side[0] == 'a' ? "A" : "B");
    AppendId(side.id, out);
    absl::StrAppendFormat(
        out,
        "</h3>\n<div class=\"text\" data-side=\"%s\" dir=\"%s\" "
        "tabindex=\"-1\">",
        side.side, dir);
    out->append(
        RenderSide(side.text, side.spans, MergeMarks(side.spans, marks)));
    out->append("</div></article>\n");
  }
  out->append("</div>\n</section>\n");
}

void HtmlReport::AppendTable(const std::vector<size_t>& shown,
                             std::string* out) const {
  out->append(
      "<section id=\"pairs\">\n<table class=\"pairs\">\n<thead><tr>"
      "<th data-type=\"num\" aria-sort=\"ascending\"><button "
      "type=\"button\">#</button></th>"
      "<th data-type=\"text\"><button type=\"button\">A</button></th>"
      "<th data-type=\"text\"><button type=\"button\">B</button></th>"
      "<th data-type=\"num\"><button type=\"button\">passages</button></th>"
      "<th data-type=\"num\"><button type=\"button\">A covered</button></th>"
      "<th data-type=\"num\"><button type=\"button\">B covered</button></th>"
      "<th data-type=\"num\"><button type=\"button\">best score</button>"
      "</th></tr></thead>\n<tbody>\n");
  for (size_t k = 0; k < shown.size(); ++k) {
    const Pair& pair = pairs_[shown[k]];
    double best = 0;
    for (const Passage& p : *pair.view.passages) best = std::max(best, p.score);
    // The ids link to the view too, out of the tab order (the number is in).
    const std::string link = absl::StrFormat(
        "<a class=\"row\" href=\"#pair-%d\" tabindex=\"-1\">", k + 1);
    absl::StrAppendFormat(out,
                          "<tr><td data-v=\"%d\"><a href=\"#pair-%d\">%d</a>"
                          "</td><td>%s",
                          k + 1, k + 1, k + 1, link);
    AppendId(pair.view.a_id, out);
    absl::StrAppendFormat(out, "</a></td><td>%s", link);
    AppendId(pair.view.b_id, out);
    absl::StrAppendFormat(
        out,
        "</a></td><td data-v=\"%d\">%d</td><td data-v=\"%.4f\">%s</td>"
        "<td data-v=\"%.4f\">%s</td><td data-v=\"%.4f\">%.2f</td></tr>\n",
        pair.view.passages->size(), pair.view.passages->size(), pair.a_coverage,
        Percent(pair.a_coverage), pair.b_coverage, Percent(pair.b_coverage),
        best, best);
  }
  out->append("</tbody>\n</table>\n</section>\n");
}

std::string HtmlReport::Render(const RunSummary& summary) {
  const std::vector<size_t> shown = ShownPairs();
  std::string out =
      "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta "
      "charset=\"utf-8\">\n<meta name=\"viewport\" "
      "content=\"width=device-width, initial-scale=1\">\n"
      // The report fetches nothing: everything is inline.
      "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src "
      "'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'\">\n"
      "<meta name=\"generator\" content=\"neardup\">\n<title>";
  AppendTitleText(options_.command, &out);
  out.append("</title>\n<style>\n");
  out.append(kHtmlReportCss);
  out.append("</style>\n</head>\n<body");
  absl::StrAppendFormat(&out, " data-report=\"%s\">\n",
                        options_.scan ? "scan" : "compare");
  out.append("<header class=\"top\"><h1>");
  AppendHtmlText(options_.command, &out);
  out.append("</h1>\n<p class=\"summary\">");
  if (options_.scan) {
    absl::StrAppendFormat(
        &out,
        "%d documents, %d candidate pair%s aligned, %d "
        "pair%s sharing %d passage%s",
        summary.documents, summary.Count("candidate_pairs"),
        summary.Count("candidate_pairs") == 1 ? "" : "s",
        summary.Count("pairs"), summary.Count("pairs") == 1 ? "" : "s",
        summary.Count("passages"), summary.Count("passages") == 1 ? "" : "s");
    if (summary.Count("clusters") > 0) {
      absl::StrAppendFormat(
          &out,
          ". <strong class=\"capped\">%d reuse cluster%s (passages shared "
          "by many documents) are not shown here</strong>: "
          "<code>--format jsonl</code> lists them",
          summary.Count("clusters"), summary.Count("clusters") == 1 ? "" : "s");
    }
    if (shown.size() < pairs_.size()) {
      absl::StrAppendFormat(
          &out,
          ". <strong class=\"capped\">Showing %d of the %d pairs</strong> "
          "(those whose better-covered document is covered most; "
          "<code>--html-max-pairs</code> raises the limit)",
          shown.size(), pairs_.size());
    }
    if (summary.input.skipped_files + summary.input.skipped_bad > 0) {
      absl::StrAppendFormat(&out,
                            ". Skipped %d file%s and %d bad line%s (see "
                            "stderr)",
                            summary.input.skipped_files,
                            summary.input.skipped_files == 1 ? "" : "s",
                            summary.input.skipped_bad,
                            summary.input.skipped_bad == 1 ? "" : "s");
    }
    out.append(".");
  } else {
    out.append(
        "Shared passages are coloured and numbered the same on both sides; "
        "words that differ within a passage are underlined.");
  }
  out.append(
      "</p>\n<p class=\"help\">Keys: <kbd>n</kbd>/<kbd>p</kbd> next/previous "
      "passage, <kbd>Enter</kbd> on a passage (or a click) shows its partner "
      "on the other side");
  if (options_.scan) out.append(", <kbd>Esc</kbd> back to the pairs");
  out.append(".</p>\n</header>\n<main>\n");
  if (options_.scan) {
    AppendTable(shown, &out);
    out.append("<div id=\"views\"></div>\n");
    std::string view;
    for (size_t k = 0; k < shown.size(); ++k) {
      view.clear();
      AppendPairView(pairs_[shown[k]], k, &view);
      absl::StrAppendFormat(
          &out, "<script type=\"application/json\" data-pair=\"%d\">", k + 1);
      AppendScriptJsonString(view, &out);
      out.append("</script>\n");
    }
  } else {
    out.append("<div id=\"views\">\n");
    for (size_t k = 0; k < shown.size(); ++k) {
      AppendPairView(pairs_[shown[k]], k, &out);
    }
    out.append("</div>\n");
  }
  out.append("</main>\n<script>\n");
  out.append(kHtmlReportScript);
  out.append("</script>\n</body>\n</html>\n");
  return out;
}

void HtmlReport::Write(FILE* out, const RunSummary& summary) {
  const std::string html = Render(summary);
  std::fwrite(html.data(), 1, html.size(), out);
}

}  // namespace neardup::cli
