#include "normalize.h"

#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>

#include <array>
#include <atomic>
#include <cstring>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "utf8.h"

namespace neardup {
namespace {

// What the table says about one code point. Packed in a uint32_t:
// bits 0-1 the kind, bits 2-8 the replacement's length in bytes, bits 9-31
// its offset in the table's string pool.
enum MappingKind : uint32_t {
  kUnchanged = 0,  // Copy the original bytes.
  kDrop = 1,       // Emit nothing.
  kReplace = 2,    // Emit the pool bytes.
  kSpace = 3,      // Emit ' ' unless the output already ends with ' '.
};
constexpr uint32_t kKindMask = 3;
constexpr int kLengthShift = 2;
constexpr uint32_t kLengthMask = 0x7F;
constexpr int kOffsetShift = 9;
constexpr size_t kMaxPoolSize = size_t{1} << (32 - kOffsetShift);
// Upper bound on the bytes emitted for one input character (a replacement,
// a 4-byte character copied whole, or U+FFFD) plus slack for the 4-byte
// unconditional copy below.
constexpr size_t kMaxEmit = kLengthMask + 8;

constexpr uint32_t kMaxCodePoint = 0x10FFFF;
constexpr int kBlockBits = 7;
constexpr uint32_t kBlockSize = 1u << kBlockBits;
constexpr uint32_t kBlockMask = kBlockSize - 1;
constexpr uint32_t kNumBlocks = (kMaxCodePoint + 1) >> kBlockBits;

bool IsWhitespace(UChar32 c) {
  if ((c >= 0x09 && c <= 0x0D) || c == 0x85) return true;
  const int8_t gc = u_charType(c);
  return gc == U_SPACE_SEPARATOR || gc == U_LINE_SEPARATOR ||
         gc == U_PARAGRAPH_SEPARATOR;
}

// The fixed punctuation folds, applied to the original code point before any
// Unicode normalisation (NFKC would turn ″ into ′′). Returns 0 if c is not
// folded.
char FoldPunctuation(UChar32 c) {
  switch (c) {
    case 0x00AB:  // «
    case 0x00BB:  // »
    case 0x201C:  // “
    case 0x201D:  // ”
    case 0x201E:  // „
    case 0x201F:  // ‟
    case 0x2033:  // ″
    case 0x2036:  // ‶
    case 0x2039:  // ‹
    case 0x203A:  // ›
    case 0x301D:  // 〝
    case 0x301E:  // 〞
    case 0x301F:  // 〟
    case 0xFF02:  // ＂
      return '"';
    case 0x0060:  // `
    case 0x00B4:  // ´
    case 0x2018:  // ‘
    case 0x2019:  // ’
    case 0x201A:  // ‚
    case 0x201B:  // ‛
    case 0x2032:  // ′
    case 0x2035:  // ‵
    case 0xFF07:  // ＇
      return '\'';
    case 0x060C:  // ، Arabic comma
      return ',';
    case 0x061B:  // ؛ Arabic semicolon
      return ';';
    case 0x061F:  // ؟ Arabic question mark
      return '?';
    default:
      break;
  }
  if (u_charType(c) == U_DASH_PUNCTUATION) return '-';
  return 0;
}

// The Arabic orthographic fold of one code point of the (already NFKC'd and
// mark-stripped) mapping. Returns 0 to drop the code point.
UChar32 FoldArabic(UChar32 c) {
  switch (c) {
    case 0x0622:      // آ
    case 0x0623:      // أ
    case 0x0625:      // إ
    case 0x0671:      // ٱ
    case 0x0672:      // ٲ
    case 0x0673:      // ٳ
    case 0x0675:      // ٵ
      return 0x0627;  // ا
    case 0x0624:      // ؤ
    case 0x0676:      // ٶ
      return 0x0648;  // و
    case 0x0626:      // ئ
    case 0x0678:      // ٸ
    case 0x0649:      // ى
    case 0x06CC:      // ی Farsi yeh
      return 0x064A;  // ي
    case 0x0629:      // ة
      return 0x0647;  // ه
    case 0x06A9:      // ک keheh
      return 0x0643;  // ك
    case 0x0640:      // tatweel
    case 0x0674:      // high hamza
      return 0;
    default:
      return c;
  }
}

void AppendUtf8(UChar32 c, std::string* out) {
  char buf[4];
  out->append(buf, EncodeUtf8(static_cast<uint32_t>(c), buf));
}

// Per-code-point normalisation for one options combination, computed with
// ICU one block of 128 code points at a time, on the first lookup of a code
// point of that block, and immutable afterwards. Building the whole code
// space up front cost ~500M instructions (3 ICU normalisations per assigned
// code point), a fixed cost larger than de-duplicating a few thousand
// documents; a text touches only a few blocks (Arabic news: ASCII, Latin-1,
// Arabic, General Punctuation).
class NormalizationTable {
 public:
  // The entries of one block, and the replacement bytes they point into.
  struct Block {
    std::array<uint32_t, kBlockSize> entries;
    std::string pool;
  };

  explicit NormalizationTable(const NormalizeOptions& options);
  NormalizationTable(const NormalizationTable&) = delete;
  NormalizationTable& operator=(const NormalizationTable&) = delete;

  // The block holding code point c. Safe to call from several threads.
  const Block& BlockOf(uint32_t c) {
    const Block* block =
        index_[c >> kBlockBits].load(std::memory_order_acquire);
    if (block != nullptr) return *block;
    return Build(c >> kBlockBits);
  }

 private:
  const Block& Build(uint32_t b);
  // Returns the entry for c, appending any replacement to *pool.
  uint32_t MakeEntry(UChar32 c, std::string* pool) const;
  std::string Map(UChar32 c) const;

  const NormalizeOptions options_;
  const icu::Normalizer2* nfkc_cf_ = nullptr;
  const icu::Normalizer2* nfd_ = nullptr;
  const icu::Normalizer2* nfc_ = nullptr;

  std::unique_ptr<std::atomic<const Block*>[]> index_;
  std::mutex mu_;  // Guards building blocks and owned_.
  std::vector<std::unique_ptr<const Block>> owned_;
};

struct IcuNormalizers {
  const icu::Normalizer2* nfkc_cf = nullptr;
  const icu::Normalizer2* nfd = nullptr;
  const icu::Normalizer2* nfc = nullptr;
  UErrorCode error = U_ZERO_ERROR;  // the first failure
};

// Loaded once; ICU owns the instances.
const IcuNormalizers& LoadIcuNormalizers() {
  static const IcuNormalizers normalizers = [] {
    IcuNormalizers loaded;
    const auto load = [&loaded](auto get) -> const icu::Normalizer2* {
      UErrorCode status = U_ZERO_ERROR;
      const icu::Normalizer2* normalizer = get(status);
      if (U_FAILURE(status)) {
        if (U_SUCCESS(loaded.error)) loaded.error = status;
        return nullptr;
      }
      return normalizer;
    };
    loaded.nfkc_cf = load(icu::Normalizer2::getNFKCCasefoldInstance);
    loaded.nfd = load(icu::Normalizer2::getNFDInstance);
    loaded.nfc = load(icu::Normalizer2::getNFCInstance);
    return loaded;
  }();
  return normalizers;
}

NormalizationTable::NormalizationTable(const NormalizeOptions& options)
    : options_(options),
      index_(std::make_unique<std::atomic<const Block*>[]>(kNumBlocks)) {
  // ICU's normalisation data is compiled into libicudata; failing to load it
  // is a broken installation, which NormalizationDataStatus() reports. A
  // normaliser that did not load is skipped.
  const IcuNormalizers& icu = LoadIcuNormalizers();
  nfkc_cf_ = icu.nfkc_cf;
  nfd_ = icu.nfd;
  nfc_ = icu.nfc;
}

const NormalizationTable::Block& NormalizationTable::Build(uint32_t b) {
  std::lock_guard<std::mutex> lock(mu_);
  // Another thread may have built it while this one waited.
  if (const Block* built = index_[b].load(std::memory_order_acquire)) {
    return *built;
  }
  auto block = std::make_unique<Block>();
  for (uint32_t i = 0; i < kBlockSize; ++i) {
    const UChar32 c = static_cast<UChar32>((b << kBlockBits) | i);
    block->entries[i] = MakeEntry(c, &block->pool);
  }
  const Block* built = block.get();
  owned_.push_back(std::move(block));
  index_[b].store(built, std::memory_order_release);
  return *built;
}

uint32_t NormalizationTable::MakeEntry(UChar32 c, std::string* pool) const {
  if (U_IS_SURROGATE(c)) return kUnchanged;  // Never decoded from UTF-8.
  // Most of the code space; skipping the string work saves most of the build.
  if (u_charType(c) == U_UNASSIGNED &&
      !u_hasBinaryProperty(c, UCHAR_DEFAULT_IGNORABLE_CODE_POINT)) {
    return kUnchanged;
  }
  const std::string mapped = Map(c);
  std::string original;
  AppendUtf8(c, &original);
  if (mapped == " ") return kSpace;  // Even ' ' itself: runs collapse.
  if (mapped == original) return kUnchanged;
  if (mapped.empty()) return kDrop;
  // The longest NFKC_Casefold expansion (U+FDFA) is 33 bytes.
  if (mapped.size() > kLengthMask || pool->size() >= kMaxPoolSize) {
    return kUnchanged;  // Never happens with Unicode's data; stay safe.
  }
  const uint32_t offset = static_cast<uint32_t>(pool->size());
  *pool += mapped;
  return kReplace | (static_cast<uint32_t>(mapped.size()) << kLengthShift) |
         (offset << kOffsetShift);
}

std::string NormalizationTable::Map(UChar32 c) const {
  const NormalizeOptions& options = options_;
  if (IsWhitespace(c)) return " ";
  if (const char folded = FoldPunctuation(c)) return std::string(1, folded);
  if (u_hasBinaryProperty(c, UCHAR_DEFAULT_IGNORABLE_CODE_POINT)) return "";
  const int8_t gc = u_charType(c);
  std::string result;
  if (gc == U_UNASSIGNED || gc == U_PRIVATE_USE_CHAR) {
    AppendUtf8(c, &result);
    return result;
  }

  UErrorCode status = U_ZERO_ERROR;
  icu::UnicodeString s(c);
  if (options.fold_case && nfkc_cf_ != nullptr) {
    s = nfkc_cf_->normalize(s, status);
  }
  if (options.strip_marks && nfd_ != nullptr && nfc_ != nullptr) {
    const icu::UnicodeString decomposed = nfd_->normalize(s, status);
    icu::UnicodeString stripped;
    for (int32_t i = 0; i < decomposed.length();) {
      const UChar32 d = decomposed.char32At(i);
      if (u_charType(d) != U_NON_SPACING_MARK) stripped.append(d);
      i += U16_LENGTH(d);
    }
    s = nfc_->normalize(stripped, status);
  }
  if (U_FAILURE(status)) s = icu::UnicodeString(c);  // Unnormalised.

  for (int32_t i = 0; i < s.length();) {
    UChar32 d = s.char32At(i);
    i += U16_LENGTH(d);
    if (options.fold_arabic) {
      d = FoldArabic(d);
      if (d == 0) continue;
    }
    if (options.fold_digits && u_charType(d) == U_DECIMAL_DIGIT_NUMBER) {
      d = '0' + u_charDigitValue(d);
    }
    if (IsWhitespace(d)) d = ' ';
    AppendUtf8(d, &result);
  }
  return result;
}

NormalizationTable& TableFor(const NormalizeOptions& options) {
  const int key = NormalizeOptionsIndex(options);
  // Made on first use of each combination (its blocks on first use of
  // each); never freed.
  static std::once_flag once[kNormalizeOptionCombinations];
  static NormalizationTable* tables[kNormalizeOptionCombinations];
  std::call_once(once[key],
                 [&] { tables[key] = new NormalizationTable(options); });
  return *tables[key];
}

}  // namespace

absl::Status NormalizationDataStatus() {
  const UErrorCode error = LoadIcuNormalizers().error;
  if (U_SUCCESS(error)) return absl::OkStatus();
  return absl::FailedPreconditionError(
      std::string("ICU's normalisation data could not be loaded (") +
      u_errorName(error) + "): the ICU installation is broken");
}

std::pair<uint32_t, uint32_t> NormalizedText::ToOriginal(uint32_t begin,
                                                         uint32_t end) const {
  if (begin >= end) return {origin[begin], origin[begin]};
  const uint32_t last = origin[end - 1];
  // origin[text.size()] is the original's size, greater than any character
  // start, so this stops.
  size_t next = end;
  while (origin[next] == last) ++next;
  return {origin[begin], origin[next]};
}

namespace {

// The normalisation loop. With kOrigin, also fills the offset map: origin is
// resized with text (one more entry), and its last entry is left for the
// caller. Returns the number of invalid sequences.
template <bool kOrigin>
size_t NormalizeInto(std::string_view utf8, const NormalizeOptions& options,
                     std::string* out_text, std::vector<uint32_t>* out_origin) {
  NormalizationTable& table = TableFor(options);
  const uint8_t* const begin = reinterpret_cast<const uint8_t*>(utf8.data());
  const uint8_t* const end = begin + utf8.size();

  size_t capacity = utf8.size() + kMaxEmit;
  out_text->resize(capacity);
  if constexpr (kOrigin) out_origin->resize(capacity + 1);
  char* text = out_text->data();
  uint32_t* origin = kOrigin ? out_origin->data() : nullptr;
  size_t n = 0;
  size_t invalid = 0;

  for (const uint8_t* p = begin; p < end;) {
    if (n + kMaxEmit > capacity) {
      capacity *= 2;
      out_text->resize(capacity);
      text = out_text->data();
      if constexpr (kOrigin) {
        out_origin->resize(capacity + 1);
        origin = out_origin->data();
      }
    }
    const uint32_t start = static_cast<uint32_t>(p - begin);
    uint32_t c;
    int length;
    if (*p < 0x80) {
      c = *p;
      length = 1;
    } else {
      length = DecodeUtf8(p, end, &c);
      if (c == kInvalidCodePoint) {
        memcpy(text + n, "\xEF\xBF\xBD", 3);
        if constexpr (kOrigin)
          origin[n] = origin[n + 1] = origin[n + 2] = start;
        n += 3;
        ++invalid;
        p += length;
        continue;
      }
    }
    const NormalizationTable::Block& block = table.BlockOf(c);
    const uint32_t entry = block.entries[c & kBlockMask];
    // Most characters are copied as they are: tested first.
    if ((entry & kKindMask) == kUnchanged) [[likely]] {
      if (end - p >= 4) [[likely]] {
        // Copy 4 bytes unconditionally; bytes past `length` are
        // overwritten by the next character or cut by the final resize.
        memcpy(text + n, p, 4);
        if constexpr (kOrigin) {
          origin[n] = origin[n + 1] = origin[n + 2] = origin[n + 3] = start;
        }
      } else {
        for (int i = 0; i < length; ++i) {
          text[n + i] = static_cast<char>(p[i]);
          if constexpr (kOrigin) origin[n + i] = start;
        }
      }
      n += length;
      p += length;
      continue;
    }
    switch (entry & kKindMask) {
      case kUnchanged:  // Handled above.
      case kDrop:
        break;
      case kSpace:
        if (n == 0 || text[n - 1] != ' ') {
          text[n] = ' ';
          if constexpr (kOrigin) origin[n] = start;
          ++n;
        }
        break;
      case kReplace: {
        const size_t size = (entry >> kLengthShift) & kLengthMask;
        memcpy(text + n, block.pool.data() + (entry >> kOffsetShift), size);
        if constexpr (kOrigin) {
          for (size_t i = 0; i < size; ++i) origin[n + i] = start;
        }
        n += size;
        break;
      }
    }
    p += length;
  }
  out_text->resize(n);
  if constexpr (kOrigin) out_origin->resize(n + 1);
  return invalid;
}

}  // namespace

void Normalize(std::string_view utf8, const NormalizeOptions& options,
               NormalizedText* out) {
  out->invalid_sequences =
      NormalizeInto<true>(utf8, options, &out->text, &out->origin);
  out->origin.back() = static_cast<uint32_t>(utf8.size());
}

size_t NormalizeText(std::string_view utf8, const NormalizeOptions& options,
                     std::string* text) {
  return NormalizeInto<false>(utf8, options, text, nullptr);
}

CodePointMapping MapCodePoint(uint32_t c, const NormalizeOptions& options) {
  const NormalizationTable::Block& block = TableFor(options).BlockOf(c);
  const uint32_t entry = block.entries[c & kBlockMask];
  CodePointMapping mapping;
  switch (entry & kKindMask) {
    case kUnchanged:
      mapping.kind = CodePointMapping::kUnchanged;
      break;
    case kDrop:
      mapping.kind = CodePointMapping::kDrop;
      break;
    case kSpace:
      mapping.kind = CodePointMapping::kSpace;
      break;
    case kReplace:
      mapping.kind = CodePointMapping::kReplace;
      mapping.replacement = std::string_view(block.pool)
                                .substr(entry >> kOffsetShift,
                                        (entry >> kLengthShift) & kLengthMask);
      break;
  }
  return mapping;
}

NormalizedText Normalize(std::string_view utf8,
                         const NormalizeOptions& options) {
  NormalizedText result;
  Normalize(utf8, options, &result);
  return result;
}

}  // namespace neardup
