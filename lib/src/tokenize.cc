#include "tokenize.h"

#include <unicode/brkiter.h>
#include <unicode/locid.h>
#include <unicode/ubrk.h>
#include <unicode/uchar.h>
#include <unicode/utext.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <memory>
#include <string>

#include "token_key.h"  // with XXH3 inline
#include "utf8.h"

namespace neardup {
namespace {

// A chunk (a maximal run of non-space bytes) made only of characters whose
// WordClass is not kComplex is segmented by the fast path; any kComplex
// character sends the chunk to ICU.
using enum WordClass;

bool IsWordClass(WordClass c) {
  return c == kLetter || c == kNumeric || c == kExtendNumLet;
}

// Blocks whose characters' word segmentation ICU does without dictionaries
// or script-specific rules.
bool InSimpleBlock(UChar32 c) {
  return c <= 0x02FF ||                   // Latin, IPA, spacing modifiers
         (c >= 0x0370 && c <= 0x03FF) ||  // Greek
         (c >= 0x0400 && c <= 0x052F) ||  // Cyrillic
         (c >= 0x0600 && c <= 0x06FF) ||  // Arabic
         (c >= 0x0750 && c <= 0x077F) ||  // Arabic Supplement
         (c >= 0x0870 && c <= 0x08FF) ||  // Arabic Extended-A/B
         (c >= 0x1E00 && c <= 0x1FFF) ||  // Latin/Greek Extended
         (c >= 0x2000 && c <= 0x206F) ||  // General Punctuation
         (c >= 0x20A0 && c <= 0x20CF) ||  // Currency Symbols
         (c >= 0xFB50 && c <= 0xFDFF) ||  // Arabic Presentation Forms-A
         (c >= 0xFE70 && c <= 0xFEFF);    // Arabic Presentation Forms-B
}

WordClass ClassOf(UChar32 c) {
  if (c == ' ') return kSpace;
  if (!InSimpleBlock(c)) return kComplex;
  if (u_hasBinaryProperty(c, UCHAR_EXTENDED_PICTOGRAPHIC)) return kComplex;
  // Differences between ICU's root word rules and UAX #29 Word_Break.
  if (c == '@') return kLetter;
  if (c == ':') return kOther;
  switch (u_getIntPropertyValue(c, UCHAR_WORD_BREAK)) {
    case U_WB_ALETTER:
      return kLetter;
    case U_WB_NUMERIC:
      return kNumeric;
    case U_WB_EXTENDNUMLET:
      return kExtendNumLet;
    case U_WB_MIDLETTER:
      return kMidLetter;
    case U_WB_MIDNUM:
      return kMidNum;
    case U_WB_MIDNUMLET:
      return kMidNumLet;
    case U_WB_SINGLE_QUOTE:
      return kSingleQuote;
    case U_WB_OTHER:
    case U_WB_CR:
    case U_WB_LF:
    case U_WB_NEWLINE:
    case U_WB_WSEGSPACE:
    case U_WB_DOUBLE_QUOTE:
      return kOther;
    default:  // Extend, Format, ZWJ, Hebrew_Letter, Katakana, RI, ...
      return kComplex;
  }
}

// Classes of the BMP; astral code points are kComplex.
class WordClassTable {
 public:
  WordClassTable() {
    for (UChar32 c = 0; c < 0x10000; ++c) {
      classes_[c] = static_cast<uint8_t>(ClassOf(c));
    }
  }
  WordClass operator[](uint32_t c) const {
    return static_cast<WordClass>(classes_[c]);
  }

 private:
  std::array<uint8_t, 0x10000> classes_;
};

const WordClassTable& Classes() {
  static const WordClassTable* const table = new WordClassTable();
  return *table;
}

// Classifies the character at b[pos]; sets *length to its byte length.
inline WordClass Classify(const WordClassTable& classes, const uint8_t* b,
                          size_t n, size_t pos, int* length) {
  if (b[pos] < 0x80) {
    *length = 1;
    return classes[b[pos]];
  }
  uint32_t c;
  *length = DecodeUtf8(b + pos, b + n, &c);
  if (c > 0xFFFF) return kComplex;  // Astral, or ill-formed.
  return classes[c];
}

// Whether "left mid right" stays in one word (UAX #29 WB6/7, WB11/12).
inline bool JoinsAcross(WordClass left, WordClass mid, WordClass right) {
  if (left == kLetter && right == kLetter) {
    return mid == kMidLetter || mid == kMidNumLet || mid == kSingleQuote;
  }
  if (left == kNumeric && right == kNumeric) {
    return mid == kMidNum || mid == kMidNumLet || mid == kSingleQuote;
  }
  return false;
}

// Segments the chunk starting at *pos (a non-space byte) with the fast path,
// appending its word tokens. On success returns true with *pos at the
// chunk's end (a ' ' or n). Returns false if the chunk holds a kComplex
// character; then *pos and the tokens appended are unspecified.
bool TokenizeSimpleChunk(const WordClassTable& classes, const uint8_t* b,
                         size_t n, size_t* pos, std::vector<Token>* out) {
  size_t p = *pos;
  while (p < n) {
    int length;
    const WordClass c = Classify(classes, b, n, p, &length);
    if (c == kSpace) break;
    if (c == kComplex) return false;
    if (!IsWordClass(c)) {
      p += length;
      continue;
    }
    // A word: letters, digits and ExtendNumLet always join each other
    // (WB5, WB8-10, WB13a/b); a single mid character joins two letters or
    // two digits.
    const size_t begin = p;
    WordClass last = c;
    bool has_letter_or_digit = c != kExtendNumLet;
    int characters = 1;
    p += length;
    while (p < n) {
      const WordClass next = Classify(classes, b, n, p, &length);
      if (IsWordClass(next)) {
        last = next;
        has_letter_or_digit |= next != kExtendNumLet;
        ++characters;
        p += length;
        continue;
      }
      if (next >= kMidLetter && next <= kSingleQuote && p + length < n) {
        int after_length;
        const WordClass after =
            Classify(classes, b, n, p + length, &after_length);
        if (JoinsAcross(last, next, after)) {
          last = after;
          characters += 2;
          p += length + after_length;
          continue;
        }
      }
      break;
    }
    // ICU gives a lone ExtendNumLet ("_") no word status, but "__" has it.
    if (has_letter_or_digit || characters >= 2) {
      out->push_back({static_cast<uint32_t>(begin), static_cast<uint32_t>(p)});
    }
  }
  *pos = p;
  return true;
}

// Creating a word break iterator parses ICU's rules; clone one prototype per
// thread instead.
struct WordBreakPrototype {
  const icu::BreakIterator* iterator = nullptr;
  UErrorCode error = U_ZERO_ERROR;
};

const WordBreakPrototype& Prototype() {
  static const WordBreakPrototype prototype = [] {
    WordBreakPrototype loaded;
    icu::BreakIterator* iterator = icu::BreakIterator::createWordInstance(
        icu::Locale::getRoot(), loaded.error);
    if (U_FAILURE(loaded.error)) {
      delete iterator;
    } else {
      loaded.iterator = iterator;
    }
    return loaded;
  }();
  return prototype;
}

// The root word rules are compiled into libicudata; failing to load them is
// a broken installation (see WordBreakDataStatus), and gives nullptr here.
icu::BreakIterator* ThreadWordBreakIterator() {
  const icu::BreakIterator* prototype = Prototype().iterator;
  if (prototype == nullptr) return nullptr;
  thread_local const std::unique_ptr<icu::BreakIterator> iterator(
      prototype->clone());
  // The analyzer treats the thread_local as if it were destroyed on return.
  return iterator.get();  // NOLINT(clang-analyzer-cplusplus.NewDelete)
}

// The fallback when ICU cannot segment: each run of bytes other than ' '.
void AppendSpaceSeparatedWords(std::string_view text, size_t begin, size_t end,
                               std::vector<Token>* out) {
  size_t p = begin;
  while (p < end) {
    while (p < end && text[p] == ' ') ++p;
    const size_t word = p;
    while (p < end && text[p] != ' ') ++p;
    if (p > word) {
      out->push_back({static_cast<uint32_t>(word), static_cast<uint32_t>(p)});
    }
  }
}

// Appends ICU's word tokens of text[begin, end), in text's offsets.
void AppendIcuWords(std::string_view text, size_t begin, size_t end,
                    std::vector<Token>* out) {
  icu::BreakIterator* iterator = ThreadWordBreakIterator();
  UErrorCode status = U_ZERO_ERROR;
  UText utext = UTEXT_INITIALIZER;
  if (iterator != nullptr) {
    utext_openUTF8(&utext, text.data() + begin,
                   static_cast<int64_t>(end - begin), &status);
    iterator->setText(&utext, status);
  }
  if (iterator == nullptr || U_FAILURE(status)) {
    utext_close(&utext);
    AppendSpaceSeparatedWords(text, begin, end, out);
    return;
  }
  int32_t from = iterator->first();
  for (int32_t to = iterator->next(); to != icu::BreakIterator::DONE;
       from = to, to = iterator->next()) {
    const int32_t rule = iterator->getRuleStatus();
    if (rule >= UBRK_WORD_NONE_LIMIT && rule < UBRK_WORD_IDEO_LIMIT) {
      out->push_back({static_cast<uint32_t>(begin + from),
                      static_cast<uint32_t>(begin + to)});
    }
  }
  utext_close(&utext);
}

}  // namespace

absl::Status WordBreakDataStatus() {
  const UErrorCode error = Prototype().error;
  if (U_SUCCESS(error)) return absl::OkStatus();
  return absl::FailedPreconditionError(
      std::string("ICU's word break rules could not be loaded (") +
      u_errorName(error) + "): the ICU installation is broken");
}

WordClass WordClassOf(uint32_t c) {
  return c < 0x10000 ? Classes()[c] : kComplex;
}

void Tokenize(std::string_view normalized, std::vector<Token>* out) {
  out->clear();
  const WordClassTable& classes = Classes();
  const uint8_t* const b = reinterpret_cast<const uint8_t*>(normalized.data());
  const size_t n = normalized.size();

  // ICU segments maximal runs of consecutive complex chunks, region by
  // region. A region starts right after the previous chunk (so it includes
  // the spaces before it, to which a leading combining mark attaches) and
  // ends before a ' '. Both are word boundaries or lie between non-word
  // characters, and no rule looks across a space, so the words equal those
  // of ICU on the whole text.
  bool pending = false;
  size_t region_begin = 0;
  size_t region_end = 0;
  size_t previous_chunk_end = 0;
  size_t pos = 0;
  while (pos < n) {
    if (b[pos] == ' ') {
      ++pos;
      continue;
    }
    const size_t chunk_begin = pos;
    const size_t mark = out->size();
    if (TokenizeSimpleChunk(classes, b, n, &pos, out)) {
      if (pending) {
        // The region's words come before this chunk's.
        const size_t chunk_tokens = out->size() - mark;
        AppendIcuWords(normalized, region_begin, region_end, out);
        std::rotate(out->begin() + mark, out->begin() + mark + chunk_tokens,
                    out->end());
        pending = false;
      }
    } else {
      out->resize(mark);
      const void* space = memchr(b + chunk_begin, ' ', n - chunk_begin);
      pos = space == nullptr ? n : static_cast<const uint8_t*>(space) - b;
      if (!pending) {
        region_begin = previous_chunk_end;
        pending = true;
      }
      region_end = pos;
    }
    previous_chunk_end = pos;
  }
  if (pending) AppendIcuWords(normalized, region_begin, region_end, out);
}

std::vector<Token> Tokenize(std::string_view normalized) {
  std::vector<Token> tokens;
  Tokenize(normalized, &tokens);
  return tokens;
}

void TokenizeWithIcu(std::string_view normalized, std::vector<Token>* out) {
  out->clear();
  AppendIcuWords(normalized, 0, normalized.size(), out);
}

namespace {

constexpr uint32_t kAlef = 0x0627;
constexpr uint32_t kLam = 0x0644;
constexpr uint32_t kWaw = 0x0648;
constexpr uint32_t kBeh = 0x0628;
constexpr uint32_t kKaf = 0x0643;
constexpr uint32_t kFeh = 0x0641;

// Number of code points of the article prefix of cps[0, n), or 0.
size_t ArticleLength(const uint32_t* cps, size_t n) {
  if (n >= 2 && cps[0] == kAlef && cps[1] == kLam) return 2;  // ال
  if (n >= 2 && cps[0] == kLam && cps[1] == kLam) return 2;   // لل
  if (n >= 3 && (cps[0] == kBeh || cps[0] == kKaf || cps[0] == kFeh) &&
      cps[1] == kAlef && cps[2] == kLam) {
    return 3;  // بال كال فال
  }
  return 0;
}

// The fast path of TokenKey, for tokens made only of well-formed 1- and
// 2-byte UTF-8 sequences (Latin, Greek, Cyrillic, Hebrew, Arabic; what
// Arabic news is made of): the prefix rules compare bytes (the letters they
// strip are all 2-byte), and one pass over the rest finds the repeated code
// points. Sets *key and returns true, or returns false (for any other token)
// having decided nothing.

using token_key::SkipPrefixes;

bool TokenKeyShort(const uint8_t* begin, const uint8_t* end, uint64_t* key) {
  // The prefix rules assume a token of 1- and 2-byte sequences, which the
  // pass below checks.
  const uint8_t* const rest = SkipPrefixes(begin, end);

  // As in TokenKeyGeneral: code points that repeat the one before, digits
  // excepted, are dropped; most tokens drop none.
  char form[256];
  const bool fits = end - rest <= static_cast<ptrdiff_t>(sizeof(form));
  size_t size = 0;
  bool dropped = false;
  const uint8_t* run = rest;
  uint32_t previous = kInvalidCodePoint;
  for (const uint8_t* p = rest; p < end;) {
    uint32_t c;
    int length;
    if (*p < 0x80) {
      c = *p;
      length = 1;
    } else if (*p >= 0xC2 && *p < 0xE0 && end - p >= 2 &&
               (p[1] & 0xC0) == 0x80) {
      c = ((*p & 0x1Fu) << 6) | (p[1] & 0x3Fu);
      length = 2;
    } else {
      return false;
    }
    if (c == previous && !(c >= '0' && c <= '9') &&
        u_charType(static_cast<UChar32>(c)) != U_DECIMAL_DIGIT_NUMBER) {
      if (!fits) return false;
      memcpy(form + size, run, static_cast<size_t>(p - run));
      size += static_cast<size_t>(p - run);
      run = p + length;
      dropped = true;
    }
    previous = c;
    p += length;
  }
  if (!dropped) {
    *key = XXH3_64bits(rest, static_cast<size_t>(end - rest));
    return true;
  }
  memcpy(form + size, run, static_cast<size_t>(end - run));
  size += static_cast<size_t>(end - run);
  *key = XXH3_64bits(form, size);
  return true;
}

}  // namespace

uint64_t TokenKeyGeneral(std::string_view token,
                         const TokenKeyOptions& options) {
  if (!options.match_variants) return XXH3_64bits(token.data(), token.size());
  const uint8_t* const begin = reinterpret_cast<const uint8_t*>(token.data());
  const uint8_t* const end = begin + token.size();

  // The prefix rules look at most 6 code points deep, so decode only those;
  // `n` is the token's length in code points, capped at 6.
  constexpr size_t kHead = 6;
  uint32_t head[kHead];
  size_t offset[kHead + 1] = {0};
  size_t n = 0;
  while (n < kHead && begin + offset[n] < end) {
    offset[n + 1] = offset[n] + DecodeUtf8(begin + offset[n], end, &head[n]);
    ++n;
  }
  size_t first = 0;
  if (n - first >= 4 && head[first] == kWaw) ++first;
  const size_t article = ArticleLength(head + first, n - first);
  if (article > 0 && n - first - article >= 2) first += article;

  // The matching form is the rest of the token less every code point that
  // repeats the one before it (digits excepted). Most tokens drop none: then
  // the form is hashed in place; otherwise the runs between dropped code
  // points are copied. The form is never longer than the token.
  const uint8_t* const rest = begin + offset[first];
  constexpr size_t kStackForm = 256;
  char stack_form[kStackForm];
  std::string heap_form;
  char* form = nullptr;
  size_t size = 0;
  const uint8_t* run = rest;  // start of the bytes not yet copied
  uint32_t previous = kInvalidCodePoint;
  // The head's code points are decoded already; the rest of a long token is
  // decoded here.
  size_t index = first;
  for (const uint8_t* p = rest; p < end;) {
    uint32_t c;
    int length;
    if (index < n) {
      c = head[index];
      length = static_cast<int>(offset[index + 1] - offset[index]);
      ++index;
    } else {
      length = DecodeUtf8(p, end, &c);
    }
    // Ill-formed bytes (never in normalised text) are kept as they are.
    if (c == previous && c != kInvalidCodePoint && !(c >= '0' && c <= '9') &&
        u_charType(static_cast<UChar32>(c)) != U_DECIMAL_DIGIT_NUMBER) {
      if (form == nullptr) {
        form = stack_form;
        if (token.size() > kStackForm) {
          heap_form.resize(token.size());
          form = heap_form.data();
        }
      }
      memcpy(form + size, run, static_cast<size_t>(p - run));
      size += static_cast<size_t>(p - run);
      run = p + length;
    }
    previous = c;
    p += length;
  }
  if (form == nullptr) {
    return XXH3_64bits(rest, static_cast<size_t>(end - rest));
  }
  memcpy(form + size, run, static_cast<size_t>(end - run));
  size += static_cast<size_t>(end - run);
  return XXH3_64bits(form, size);
}

uint64_t TokenKeyOfShortSequences(std::string_view token, size_t last_repeat,
                                  const TokenKeyOptions& options) {
  return token_key::KeyOfShortSequences(token, last_repeat, options);
}

uint64_t TokenKey(std::string_view token, const TokenKeyOptions& options) {
  if (!options.match_variants) return XXH3_64bits(token.data(), token.size());
  const uint8_t* const begin = reinterpret_cast<const uint8_t*>(token.data());
  uint64_t key;
  if (TokenKeyShort(begin, begin + token.size(), &key)) return key;
  return TokenKeyGeneral(token, options);
}

}  // namespace neardup
