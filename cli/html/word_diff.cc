#include "word_diff.h"

#include <algorithm>
#include <string>
#include <utility>

#include "absl/container/flat_hash_map.h"

namespace neardup::cli {
namespace {

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
    const size_t length = DecodeForDisplay(text, pos, &cp);
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

}  // namespace

WordDiff DiffPassageWords(std::string_view a, ByteRange span_a,
                          std::string_view b, ByteRange span_b) {
  const std::vector<Word> a_words = SplitWords(a, span_a);
  const std::vector<Word> b_words = SplitWords(b, span_b);
  std::vector<bool> a_unmatched, b_unmatched;
  MarkOutsideCommonSubsequence(a_words, b_words, &a_unmatched, &b_unmatched);
  return {UnmatchedRanges(a_words, a_unmatched),
          UnmatchedRanges(b_words, b_unmatched)};
}

}  // namespace neardup::cli
