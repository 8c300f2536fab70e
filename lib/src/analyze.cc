#include "analyze.h"

#include <unicode/uchar.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cstring>
#include <memory>
#include <mutex>

#include "token_key.h"
#include "utf8.h"

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

// Whether the text can be cut at p (0 < p < text.size()): text[p - 1] == ' '
// and a letter or digit at p. Normalisation maps each code point on its own
// except that it collapses runs of white space, and these letters are never
// white space, dropped or folded into anything else; a word break always
// falls between a space and a letter. So the analysis of the text is that of
// text[0, p) followed by that of text[p, size).
bool IsCut(std::string_view text, size_t p) {
  return text[p - 1] == ' ' &&
         (IsAsciiAlnum(text[p]) || IsArabicLetterAt(text, p));
}

// The first cut p with from <= p < end, or end. REQUIRES: from > 0.
size_t NextCut(std::string_view text, size_t from, size_t end) {
  for (size_t p = from; p < end; ++p) {
    if (IsCut(text, p)) return p;
  }
  return end;
}

// Where the chunk that starts at `begin` ends: the first cut at or after
// begin + chunk_bytes, or the end of the text.
size_t ChunkEnd(std::string_view text, size_t begin, size_t chunk_bytes) {
  if (text.size() - begin <= chunk_bytes) return text.size();
  return NextCut(text, begin + chunk_bytes, text.size());
}

// The fused path reads one character at a time and looks up what
// normalisation makes of it and, for that output, the word break class
// Tokenize's fast path gives it: one 32-bit entry per code point.
//   bits 0-15  word and mid classes: the output's bytes, as memcpy stores
//              them from a uint16_t;
//   bits 16-17 ... and its length, 1 or 2 bytes, never more than the input's;
//   bits 18-21 the class: a WordClass value, or kDropped; kComplex (0) means
//              the general path must handle the character;
//   bit 22     the output is a decimal digit (never a repeated letter);
//   bit 23     the class is a word class (letter, number, '_');
//   bit 24     the input may start a cut (an ASCII letter or digit or an
//              Arabic letter: see IsCut);
//   bit 25     the entry is made (0 is "not yet");
//   bit 26     the character is 2 bytes long in the text (set in the
//              entries of pairs of bytes that are one character);
//   bit 27     ... and a word character other than a digit whose output
//              is 2 bytes too (most Arabic letters): the fast path's case.
constexpr uint32_t kOutBytesMask = 0xFFFF;
constexpr int kOutLengthShift = 16;
constexpr int kClassShift = 18;
constexpr uint32_t kClassMask = 0xF;
constexpr uint32_t kClassBits = kClassMask << kClassShift;
constexpr uint32_t kDigitBit = 1u << 22;
constexpr uint32_t kWordBit = 1u << 23;
constexpr uint32_t kCutBit = 1u << 24;
constexpr uint32_t kMadeBit = 1u << 25;
constexpr int kTwoBytesShift = 26;
constexpr uint32_t kTwoBytesBit = 1u << kTwoBytesShift;
constexpr uint32_t kPlainTwoBytesBit = 1u << 27;

constexpr uint32_t kGeneral = static_cast<uint32_t>(WordClass::kComplex);
constexpr uint32_t kLetter = static_cast<uint32_t>(WordClass::kLetter);
constexpr uint32_t kNumeric = static_cast<uint32_t>(WordClass::kNumeric);
constexpr uint32_t kMidLetter = static_cast<uint32_t>(WordClass::kMidLetter);
constexpr uint32_t kMidNum = static_cast<uint32_t>(WordClass::kMidNum);
constexpr uint32_t kSingleQuote =
    static_cast<uint32_t>(WordClass::kSingleQuote);
constexpr uint32_t kDropped = static_cast<uint32_t>(WordClass::kSpace) + 1;
static_assert(kGeneral == 0 && kLetter == 1 && kNumeric == 2 &&
                  static_cast<uint32_t>(WordClass::kExtendNumLet) == 3 &&
                  kMidLetter == 4 && kSingleQuote == 7,
              "the fused path tests classes by range");
static_assert(kDropped <= kClassMask);

// Word characters (letters, digits, '_') are classes 1-3; the characters
// that may join two of them (mid) 4-7.
inline bool IsWordClass(uint32_t c) { return c - 1 < 3; }
inline bool IsMidClass(uint32_t c) { return c - kMidLetter < 4; }

// Whether "left mid right" stays in one word (as in Tokenize).
inline bool JoinsAcross(uint32_t left, uint32_t mid, uint32_t right) {
  if (left != right) return false;
  if (left == kLetter) return mid != kMidNum;
  if (left == kNumeric) return mid != kMidLetter;
  return false;
}

bool IsCutStart(uint32_t c) {
  return (c < 0x80 && IsAsciiAlnum(static_cast<char>(c))) ||
         (c >= 0x0627 && c <= 0x063A) || (c >= 0x0641 && c <= 0x064A);
}

int Utf8Length(uint32_t c) {
  return c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
}

uint32_t MakeEntry(uint32_t c, const NormalizeOptions& options) {
  uint32_t entry = kMadeBit | (IsCutStart(c) ? kCutBit : 0);
  const CodePointMapping mapping = MapCodePoint(c, options);
  uint32_t out = c;
  switch (mapping.kind) {
    case CodePointMapping::kDrop:
      return entry | kDropped << kClassShift;
    case CodePointMapping::kSpace:
      return entry | static_cast<uint32_t>(WordClass::kSpace) << kClassShift;
    case CodePointMapping::kUnchanged:
      break;
    case CodePointMapping::kReplace: {
      const auto* r =
          reinterpret_cast<const uint8_t*>(mapping.replacement.data());
      const size_t size = mapping.replacement.size();
      // Several code points (ß -> ss, … -> ...): the general path.
      if (static_cast<size_t>(DecodeUtf8(r, r + size, &out)) != size ||
          out == kInvalidCodePoint) {
        return entry;
      }
      break;
    }
  }
  const WordClass word_class = WordClassOf(out);
  const auto cls = static_cast<uint32_t>(word_class);
  // ' ' comes only from kSpace mappings.
  if (word_class == WordClass::kComplex || word_class == WordClass::kSpace) {
    return entry;
  }
  if (IsWordClass(cls) || IsMidClass(cls)) {
    // Token bytes: at most 2 per character and never more than the input's,
    // so a token fits in the text's length (and TokenKeyOfShortSequences
    // applies). A lone ExtendNumLet is no word; '_' is the only one below
    // U+0800, and the fused path tells it by its byte.
    if (out >= 0x800 || Utf8Length(out) > Utf8Length(c) ||
        (word_class == WordClass::kExtendNumLet && out != '_')) {
      return entry;
    }
    char bytes[4] = {0, 0, 0, 0};
    const int length = EncodeUtf8(out, bytes);
    uint16_t packed;
    memcpy(&packed, bytes, 2);
    entry |= static_cast<uint32_t>(length) << kOutLengthShift;
    entry |= packed;
    if (u_charType(static_cast<UChar32>(out)) == U_DECIMAL_DIGIT_NUMBER) {
      entry |= kDigitBit;
    }
    if (IsWordClass(cls)) entry |= kWordBit;
  }
  return entry | cls << kClassShift;
}

// The index of the two bytes at p in FusedTable's pairs: one load.
inline uint32_t PairIndex(const uint8_t* p) {
  uint16_t pair;
  memcpy(&pair, p, 2);
  return pair;
}

}  // namespace

// The entries for one NormalizeOptions, made on first use (as the
// normalisation table's blocks are) and immutable afterwards: ASCII; the
// pairs of bytes, indexed by the two bytes as one native uint16_t, which
// hold the entry of the character the pair starts with when that is ASCII
// (made with the table) or a 2-byte character (so that one lookup of the
// two bytes at p, without a test of the first, gives any of those, and
// needs no validation: the pairs that are no well-formed character have
// kGeneral entries); the other BMP code points by blocks of 64, looked up
// after decoding (3-byte characters are a few per thousand in Arabic news:
// quotes, dashes).
class FusedTable {
 public:
  explicit FusedTable(const NormalizeOptions& options)
      : options_(options),
        pairs_(std::make_unique<std::atomic<uint32_t>[]>(kPairs)),
        blocks_(std::make_unique<std::atomic<const uint32_t*>[]>(kBlocks)) {
    for (uint32_t lead = 0; lead < 0x80; ++lead) {
      const uint32_t entry = MakeEntry(lead, options_);
      ascii_[lead].store(entry, std::memory_order_relaxed);
      for (uint32_t trail = 0; trail < 0x100; ++trail) {
        const uint8_t pair[2] = {static_cast<uint8_t>(lead),
                                 static_cast<uint8_t>(trail)};
        pairs_[PairIndex(pair)].store(entry, std::memory_order_relaxed);
      }
    }
  }
  FusedTable(const FusedTable&) = delete;
  FusedTable& operator=(const FusedTable&) = delete;

  // The entries of the ASCII bytes (ascii[byte]) and of the pairs of bytes
  // (pairs[PairIndex(p)]), or 0 where not made yet. Entries are made once
  // and never change, so a relaxed load sees 0 or the final value.
  struct Entries {
    const std::atomic<uint32_t>* ascii;
    const std::atomic<uint32_t>* pairs;
  };
  Entries entries() const { return {ascii_.data(), pairs_.get()}; }

  // A character's entry and its length in the text.
  struct Character {
    uint32_t entry;
    uint32_t length;
  };

  // The character at p (p < end), when the entries above gave one of class
  // kGeneral: makes what is not made yet; decodes characters of 3 and 4
  // bytes; of class kGeneral for ill-formed bytes. Thread-safe.
  Character Resolve(const uint8_t* p, const uint8_t* end);

 private:
  // The entry of c, decoded from p (kInvalidCodePoint: ill-formed).
  uint32_t EntryOf(uint32_t c, const uint8_t* p);
  uint32_t Ascii(uint32_t byte) const {
    return ascii_[byte].load(std::memory_order_relaxed);
  }
  uint32_t Pair(const uint8_t* p) const {
    return pairs_[PairIndex(p)].load(std::memory_order_relaxed);
  }

  static constexpr size_t kPairs = 0x10000;
  static constexpr size_t kBlocks = 0x10000 >> 6;  // BMP, by 64

  const NormalizeOptions options_;
  std::array<std::atomic<uint32_t>, 0x80> ascii_{};
  const std::unique_ptr<std::atomic<uint32_t>[]> pairs_;
  const std::unique_ptr<std::atomic<const uint32_t*>[]> blocks_;
  std::mutex mu_;  // Guards making entries and blocks_owned_.
  std::vector<std::unique_ptr<uint32_t[]>> blocks_owned_;
};

FusedTable::Character FusedTable::Resolve(const uint8_t* p,
                                          const uint8_t* end) {
  uint32_t c;
  const auto length = static_cast<uint32_t>(DecodeUtf8(p, end, &c));
  return {EntryOf(c, p), length};
}

uint32_t FusedTable::EntryOf(uint32_t c, const uint8_t* p) {
  if (c == kInvalidCodePoint) return kMadeBit;
  if (c < 0x80) return Ascii(c);  // made with the table
  if (c < 0x800) {
    if (const uint32_t entry = Pair(p); entry != 0) return entry;
    std::lock_guard<std::mutex> lock(mu_);
    const uint32_t lead = p[0];
    for (uint32_t trail = 0; trail < 0x100; ++trail) {
      const uint8_t pair[2] = {static_cast<uint8_t>(lead),
                               static_cast<uint8_t>(trail)};
      if (Pair(pair) != 0) continue;
      uint32_t entry = kMadeBit;
      if ((trail & 0xC0) == 0x80) {
        entry = MakeEntry(((lead & 0x1F) << 6) | (trail & 0x3F), options_) |
                kTwoBytesBit;
        if ((entry & (kWordBit | kDigitBit)) == kWordBit &&
            ((entry >> kOutLengthShift) & 3) == 2) {
          entry |= kPlainTwoBytesBit;
        }
      }
      pairs_[PairIndex(pair)].store(entry, std::memory_order_relaxed);
    }
    return Pair(p);
  }
  if (c >= 0x10000) return MakeEntry(c, options_);
  // The block pointer is published with release after its entries are
  // written, and read with acquire.
  const uint32_t* block = blocks_[c >> 6].load(std::memory_order_acquire);
  if (block == nullptr) {
    std::lock_guard<std::mutex> lock(mu_);
    block = blocks_[c >> 6].load(std::memory_order_acquire);
    if (block == nullptr) {
      auto made = std::make_unique<uint32_t[]>(64);
      const uint32_t first = c & ~uint32_t{63};
      for (uint32_t d = 0; d < 64; ++d) {
        // Surrogates are never decoded: their entries are never read.
        made[d] = (first + d >= 0xD800 && first + d < 0xE000)
                      ? kMadeBit
                      : MakeEntry(first + d, options_);
      }
      block = made.get();
      blocks_owned_.push_back(std::move(made));
      blocks_[c >> 6].store(block, std::memory_order_release);
    }
  }
  return block[c & 63];
}

namespace {

FusedTable* FusedTableFor(const NormalizeOptions& options) {
  const int key = NormalizeOptionsIndex(options);
  // Made on first use of each combination; never freed.
  static std::once_flag once[kNormalizeOptionCombinations];
  static FusedTable* tables[kNormalizeOptionCombinations];
  std::call_once(once[key], [&] { tables[key] = new FusedTable(options); });
  return tables[key];
}

inline uint32_t ClassOf(uint32_t entry) {
  return (entry >> kClassShift) & kClassMask;
}

// The entry of the character at p (p < last), as the pairs have it: 0 if not
// made yet, and of class kGeneral for any character of more than 2 bytes or
// ill-formed (then the length is unknown): FusedTable::Resolve tells those
// apart.
inline uint32_t PairEntry(const FusedTable::Entries& entries,
                          const uint8_t* p) {
  return entries.pairs[PairIndex(p)].load(std::memory_order_relaxed);
}

// The length in the text of a character whose entry is not of class
// kGeneral.
inline uint32_t LengthOf(uint32_t entry) {
  return 1 + ((entry >> kTwoBytesShift) & 1);
}

// The entry of the character at p (p < end), as the table has it (see
// PairEntry). `last` is end - 1.
inline FusedTable::Character Peek(const FusedTable::Entries& entries,
                                  const uint8_t* p, const uint8_t* last) {
  if (p < last) [[likely]] {
    const uint32_t entry = PairEntry(entries, p);
    return {entry, LengthOf(entry)};
  }
  // The last byte: a pair cannot be read.
  const uint32_t lead = *p;
  if (lead < 0x80) {
    return {entries.ascii[lead].load(std::memory_order_relaxed), 1};
  }
  return {0, 1};
}

// The entry of the character at p (p < end), with Resolve's answer for those
// Peek does not know: of class kGeneral if the general path must handle the
// character.
inline FusedTable::Character Lookup(FusedTable* table,
                                    const FusedTable::Entries& entries,
                                    const uint8_t* p, const uint8_t* end) {
  const FusedTable::Character c = Peek(entries, p, end - 1);
  if ((c.entry & kClassBits) == 0) [[unlikely]] {
    return table->Resolve(p, end);
  }
  return c;
}

// Appends the output bytes of a word or mid entry at buffer[w]; returns
// their length. Writes 2 bytes whatever the length.
inline size_t AppendOutput(uint32_t entry, char* buffer, size_t w) {
  const auto bytes = static_cast<uint16_t>(entry);
  memcpy(buffer + w, &bytes, 2);
  return (entry >> kOutLengthShift) & 3;
}

// The fused path over text[from, to), a chunk or the rest of one: appends
// each token's key to *keys and, with kSpans, its span to *begins and *ends.
// Returns `to` when done. Returns the position of the first character it
// cannot handle otherwise, having set *cut to the last cut at or before that
// character (or `from`) and removed the tokens at or after *cut: the caller
// analyses text[*cut, next cut) by the general path and calls again from
// there. REQUIRES: `buffer` holds to - from + 2 bytes; `from` is 0 or a cut;
// from < to.
template <bool kSpans>
size_t AnalyzeFused(FusedTable* table, const TokenKeyOptions& key_options,
                    std::string_view text, size_t from, size_t to, char* buffer,
                    std::vector<uint64_t>* keys, std::vector<uint32_t>* begins,
                    std::vector<uint32_t>* ends, size_t* cut) {
  const auto* const b = reinterpret_cast<const uint8_t*>(text.data());
  const uint8_t* const start = b + from;
  const uint8_t* const end = b + to;
  const uint8_t* const last = end - 1;
  // In locals, which the stores to `buffer` (a char*) cannot change.
  const FusedTable::Entries entries = table->entries();
  const uint8_t* last_cut = start;
  size_t tokens_at_cut = keys->size();
  const auto stop = [&](const uint8_t* p) {
    *cut = static_cast<size_t>(last_cut - b);
    keys->resize(tokens_at_cut);
    if constexpr (kSpans) {
      begins->resize(tokens_at_cut);
      ends->resize(tokens_at_cut);
    }
    return static_cast<size_t>(p - b);
  };
  const uint8_t* p = start;
  for (;;) {
    // Between words: skip what is not a word character.
    FusedTable::Character c;
    for (;;) {
      if (p == end) return to;
      c = Lookup(table, entries, p, end);
      if ((c.entry & kWordBit) != 0) break;
      if ((c.entry & kClassBits) == 0) return stop(p);
      p += c.length;
    }
    if ((c.entry & kCutBit) != 0 && p != start && p[-1] == ' ') {
      last_cut = p;
      tokens_at_cut = keys->size();
    }

    // A word: its normalised bytes go to buffer[0, w). last_repeat is the
    // offset of the last character equal to the one before it (digits
    // excepted), as TokenKeyOfShortSequences wants it.
    const uint8_t* const word_begin = p;
    // The entry of the last character of the word so far; its output is
    // what a repeat is compared with.
    uint32_t last_entry = c.entry;
    size_t w = AppendOutput(c.entry, buffer, 0);
    size_t last_repeat = 0;
    const uint8_t* word_end;  // where the next output byte's source starts
    p += c.length;
    for (;;) {
      if (p < last) [[likely]] {
        const uint32_t entry = PairEntry(entries, p);
        if ((entry & kPlainTwoBytesBit) != 0) [[likely]] {
          // As below, for a letter of 2 bytes in and out.
          if (((entry ^ last_entry) & kOutBytesMask) == 0) [[unlikely]] {
            last_repeat = w;
          }
          last_entry = entry;
          AppendOutput(entry, buffer, w);
          w += 2;
          p += 2;
          continue;
        }
        if ((entry & kWordBit) != 0) {
          // Most characters are word characters in the middle of the text:
          // one lookup each, and no test of what else they could be. A
          // repeat of the character before counts unless it is a digit.
          if (((entry & (kOutBytesMask | kDigitBit)) ^
               (last_entry & kOutBytesMask)) == 0) [[unlikely]] {
            last_repeat = w;
          }
          last_entry = entry;
          w += AppendOutput(entry, buffer, w);
          p += LengthOf(entry);
          continue;
        }
        c = {entry, LengthOf(entry)};
      } else if (p == end) {
        word_end = end;
        break;
      } else {
        c = Peek(entries, p, last);
      }
      if ((c.entry & kClassBits) == 0) [[unlikely]] {
        c = table->Resolve(p, end);
        if ((c.entry & kClassBits) == 0) return stop(p);
      }
      if ((c.entry & kWordBit) == 0) {
        const uint32_t cls = ClassOf(c.entry);
        if (cls == kDropped) {
          p += c.length;
          continue;
        }
        if (!IsMidClass(cls)) {
          // A space or another character that breaks words.
          word_end = p;
          p += c.length;
          break;
        }
        // A mid character joins if the next character normalisation keeps
        // is of the class of the word character before it.
        const uint8_t* next = p + c.length;
        FusedTable::Character after = {0, 0};
        while (next != end) {
          after = Lookup(table, entries, next, end);
          if ((after.entry & kClassBits) == 0) return stop(next);
          if (ClassOf(after.entry) != kDropped) break;
          next += after.length;
        }
        if (next == end ||
            !JoinsAcross(ClassOf(last_entry), cls, ClassOf(after.entry))) {
          word_end = p;
          p = next;
          break;
        }
        // The mid character, then the one after it as below. A mid
        // character never equals a word character: no repeat.
        w += AppendOutput(c.entry, buffer, w);
        last_entry = c.entry;
        c = after;
        p = next;
      }
      if (((c.entry ^ last_entry) & kOutBytesMask) == 0) [[unlikely]] {
        if ((c.entry & kDigitBit) == 0) last_repeat = w;
      }
      last_entry = c.entry;
      w += AppendOutput(c.entry, buffer, w);
      p += c.length;
    }
    // A lone '_' is no word.
    if (w == 1 && buffer[0] == '_') continue;
    keys->push_back(token_key::KeyOfShortSequences(std::string_view(buffer, w),
                                                   last_repeat, key_options));
    if constexpr (kSpans) {
      begins->push_back(static_cast<uint32_t>(word_begin - b));
      ends->push_back(static_cast<uint32_t>(word_end - b));
    }
  }
}

}  // namespace

Analyzer::Analyzer(const AnalyzeOptions& options, size_t chunk_bytes)
    : chunk_bytes_(std::max<size_t>(1, chunk_bytes)) {
  normalize_options_.fold_case = options.fold_case;
  normalize_options_.strip_marks = options.strip_marks;
  normalize_options_.fold_arabic = options.fold_arabic;
  normalize_options_.fold_digits = options.fold_digits;
  key_options_.match_variants = options.match_variants;
  fused_ = FusedTableFor(normalize_options_);
}

void Analyzer::Analyze(std::string_view text, AnalyzedText* out) {
  AnalyzeText(text, /*general=*/false, out);
}

void Analyzer::AnalyzeGeneral(std::string_view text, AnalyzedText* out) {
  AnalyzeText(text, /*general=*/true, out);
}

void Analyzer::AnalyzeKeys(std::string_view text, std::vector<uint64_t>* keys) {
  AnalyzeTextKeys(text, /*general=*/false, keys);
}

void Analyzer::AnalyzeKeysGeneral(std::string_view text,
                                  std::vector<uint64_t>* keys) {
  AnalyzeTextKeys(text, /*general=*/true, keys);
}

void Analyzer::AnalyzeText(std::string_view text, bool general,
                           AnalyzedText* out) {
  out->keys.clear();
  out->begin.clear();
  out->end.clear();
  out->invalid_utf8 = 0;
  for (size_t begin = 0; begin < text.size();) {
    const size_t end = ChunkEnd(text, begin, chunk_bytes_);
    if (general) {
      AnalyzeChunk(text, begin, end, out);
    } else {
      AnalyzeChunkFused(text, begin, end, &out->keys, out);
    }
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

void Analyzer::AnalyzeTextKeys(std::string_view text, bool general,
                               std::vector<uint64_t>* keys) {
  keys->clear();
  for (size_t begin = 0; begin < text.size();) {
    const size_t end = ChunkEnd(text, begin, chunk_bytes_);
    if (general) {
      AnalyzeKeysChunk(text, begin, end, keys);
    } else {
      AnalyzeChunkFused(text, begin, end, keys, nullptr);
    }
    begin = end;
  }
}

size_t Analyzer::ScratchBytes() const {
  return normalized_.text.capacity() + normalized_text_.capacity() +
         normalized_.origin.capacity() * sizeof(uint32_t) +
         tokens_.capacity() * sizeof(Token) + token_buffer_.capacity();
}

void Analyzer::AnalyzeChunkFused(std::string_view text, size_t begin,
                                 size_t end, std::vector<uint64_t>* keys,
                                 AnalyzedText* spans) {
  if (token_buffer_.size() < end - begin + 2) {
    token_buffer_.resize(end - begin + 2);
  }
  for (size_t from = begin; from < end;) {
    size_t cut = from;
    const size_t stopped =
        spans != nullptr ? AnalyzeFused<true>(fused_, key_options_, text, from,
                                              end, token_buffer_.data(), keys,
                                              &spans->begin, &spans->end, &cut)
                         : AnalyzeFused<false>(fused_, key_options_, text, from,
                                               end, token_buffer_.data(), keys,
                                               nullptr, nullptr, &cut);
    if (stopped == end) return;
    // The piece from the last cut to the next one, by the general path.
    const size_t next = NextCut(text, stopped + 1, end);
    if (spans != nullptr) {
      AnalyzeChunk(text, cut, next, spans);
    } else {
      AnalyzeKeysChunk(text, cut, next, keys);
    }
    from = next;
  }
}

void Analyzer::AnalyzeKeysChunk(std::string_view text, size_t begin, size_t end,
                                std::vector<uint64_t>* keys) {
  NormalizeText(text.substr(begin, end - begin), normalize_options_,
                &normalized_text_);
  Tokenize(normalized_text_, &tokens_);
  const std::string_view normalized = normalized_text_;
  for (const Token& token : tokens_) {
    keys->push_back(TokenKey(
        normalized.substr(token.begin, token.end - token.begin), key_options_));
  }
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
