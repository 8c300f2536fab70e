// The input stage's second step: each file opened, decompressed if its name
// or its first bytes say so, and recognised as text or JSON Lines.
#include <sys/stat.h>

#include <algorithm>
#include <optional>
#include <string_view>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "input_internal.h"
#include "input_source.h"

namespace neardup {
namespace {

// At most this much of a file is read to tell JSON Lines from text.
constexpr size_t kSniffSize = size_t{1} << 20;
constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";

bool IsJsonlName(std::string_view name) {
  const std::string lower =
      absl::AsciiStrToLower(std::string(StripCompressionSuffix(name)));
  return lower.ends_with(".jsonl") || lower.ends_with(".ndjson") ||
         lower.ends_with(".json");
}

bool HasUtf16Bom(std::string_view s) {
  return s.size() >= 2 && ((s[0] == '\xFF' && s[1] == '\xFE') ||
                           (s[0] == '\xFE' && s[1] == '\xFF'));
}

// Reads from `bytes` into *prefix until it holds `want` bytes or the end.
absl::Status ReadPrefix(ByteSource* bytes, size_t want, std::string* prefix) {
  std::vector<char> chunk(64 * 1024);
  while (prefix->size() < want) {
    absl::StatusOr<size_t> got = bytes->Read(
        chunk.data(), std::min(chunk.size(), want - prefix->size()));
    if (!got.ok()) return got.status();
    if (*got == 0) break;
    prefix->append(chunk.data(), *got);
  }
  return absl::OkStatus();
}

// Reads until *prefix holds its first non-blank line whole (or kSniffSize
// bytes, or all); returns that line, BOM left out.
absl::StatusOr<std::string_view> FirstLine(ByteSource* bytes,
                                           std::string* prefix) {
  std::vector<char> chunk(64 * 1024);
  while (true) {
    std::string_view view(*prefix);
    if (view.starts_with(kUtf8Bom)) view.remove_prefix(kUtf8Bom.size());
    const size_t first = view.find_first_not_of(" \t\r\n");
    if (first != std::string_view::npos) {
      const size_t end = view.find('\n', first);
      if (end != std::string_view::npos) {
        return view.substr(first, end - first);
      }
    }
    if (prefix->size() >= kSniffSize) {
      return view.substr(std::min(first, view.size()));
    }
    absl::StatusOr<size_t> got = bytes->Read(chunk.data(), chunk.size());
    if (!got.ok()) return got.status();
    if (*got == 0) return view.substr(std::min(first, view.size()));
    prefix->append(chunk.data(), *got);
  }
}

}  // namespace

bool IsJsonName(std::string_view name) {
  return absl::AsciiStrToLower(std::string(StripCompressionSuffix(name)))
      .ends_with(".json");
}

std::optional<Problem> NotUtf8Text(std::string_view head, size_t nul) {
  if (HasUtf16Bom(head)) {
    return Problem{"UTF-16 text is not supported",
                   "convert it to UTF-8 (e.g. iconv -f UTF-16 -t UTF-8)"};
  }
  if (nul == std::string_view::npos) return std::nullopt;
  return Problem{absl::StrCat("binary file (NUL byte at offset ", nul, ")"),
                 std::string(kTextAdvice)};
}

absl::StatusOr<std::unique_ptr<ByteSource>> OpenSource(const Source& source,
                                                       std::FILE* stdin_file,
                                                       ReadContext* context,
                                                       bool* jsonl) {
  const bool is_stdin = source.name == "-";
  Compression compression = CompressionOf(source.name);
  // A compressed regular file is decompressed on a thread of its own.
  std::unique_ptr<PrefetchingSource> prefetch;
  struct stat st;
  if (!is_stdin && compression != Compression::kNone &&
      stat(source.name.c_str(), &st) == 0 && S_ISREG(st.st_mode) &&
      static_cast<uint64_t>(st.st_size) >= input_prefetch_min_bytes) {
    prefetch =
        std::make_unique<PrefetchingSource>(&context->stats.stored_bytes);
  }
  std::unique_ptr<ByteSource> bytes;
  if (is_stdin) {
    bytes = NewStdioSource(stdin_file, "-", &context->stats.stored_bytes);
  } else {
    absl::StatusOr<std::unique_ptr<ByteSource>> file = OpenFileSource(
        source.name, prefetch != nullptr ? prefetch->stored_counter()
                                         : &context->stats.stored_bytes);
    if (!file.ok()) return file.status();
    bytes = *std::move(file);
  }
  if (compression == Compression::kNone) {
    std::string magic;
    if (absl::Status s = ReadPrefix(bytes.get(), 4, &magic); !s.ok()) return s;
    compression = CompressionOfMagic(magic);
    bytes = NewPrefixedSource(std::move(magic), std::move(bytes));
  }
  bytes = NewDecompressingSource(compression, std::move(bytes), source.name);
  if (prefetch != nullptr) {
    prefetch->Start(std::move(bytes));
    bytes = std::move(prefetch);
  }
  switch (context->options.format) {
    case InputFormat::kText:
      *jsonl = false;
      return bytes;
    case InputFormat::kJsonl:
      *jsonl = true;
      return bytes;
    case InputFormat::kAuto:
      break;
  }
  if (!is_stdin && IsJsonlName(source.name)) {
    *jsonl = true;
    return bytes;
  }
  std::string prefix;
  absl::StatusOr<std::string_view> first = FirstLine(bytes.get(), &prefix);
  if (!first.ok()) return first.status();
  *jsonl = first->starts_with("{") &&
           (first->size() >= kSniffSize || IsJsonObjectLine(*first));
  if (*jsonl && !is_stdin) {
    context->warnings.push_back(
        {source.name,
         "read as JSON Lines: its first line is a JSON object (set "
         "InputOptions::format to kText to read it as one text)"});
  }
  return NewPrefixedSource(std::move(prefix), std::move(bytes));
}

bool SplittableJsonl(const Source& source, const InputOptions& options,
                     uint64_t min_size, uint64_t* size) {
  struct stat st;
  if (source.name == "-" || stat(source.name.c_str(), &st) != 0 ||
      !S_ISREG(st.st_mode)) {
    return false;
  }
  *size = static_cast<uint64_t>(st.st_size);
  if (*size < min_size || options.format == InputFormat::kText ||
      CompressionOf(source.name) != Compression::kNone) {
    return false;
  }
  if (options.format == InputFormat::kAuto && !IsJsonlName(source.name)) {
    return false;
  }
  absl::StatusOr<std::unique_ptr<ByteSource>> file =
      OpenFileSource(source.name);
  if (!file.ok()) return false;
  char head[4];
  size_t got = 0;
  while (got < sizeof(head)) {
    absl::StatusOr<size_t> n = (*file)->Read(head + got, sizeof(head) - got);
    if (!n.ok() || *n == 0) break;
    got += *n;
  }
  return CompressionOfMagic(std::string_view(head, got)) == Compression::kNone;
}

}  // namespace neardup
