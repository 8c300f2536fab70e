// The input stage's text files: a whole file is one document, its path the
// id; and the UTF-8 check every text goes through.
#include <simdjson.h>

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string_view>
#include <utility>

#include "absl/strings/str_cat.h"
#include "input_internal.h"
#include "input_source.h"
#include "utf8.h"

namespace neardup {
namespace {

// Binary files are recognised by a NUL byte in this many leading bytes.
constexpr size_t kBinaryProbeSize = 64 * 1024;
constexpr size_t kReadChunk = size_t{1} << 20;

// A text document's id is its path, which must be UTF-8 for the id to be
// written as JSON: repaired with a warning, or refused with strict_utf8.
// Leaves *id empty if the file is skipped.
absl::Status CheckFileName(const Source& source, ReadContext* context,
                           std::string* id) {
  const Utf8Check check = CheckUtf8(source.name);
  if (check.invalid_bytes == 0) {
    *id = source.name;
    return absl::OkStatus();
  }
  if (context->options.strict_utf8) {
    return context->SkipOrReject(
        source, {"the file name is not valid UTF-8",
                 "rename the file, or clear InputOptions::strict_utf8 to read "
                 "it with U+FFFD in its id"});
  }
  AppendReplacingInvalidUtf8(source.name, id);
  context->warnings.push_back(
      {source.name, absl::StrCat("the file name is not valid UTF-8; its id is "
                                 "written with U+FFFD in place of ",
                                 Bytes(check.invalid_bytes))});
  return absl::OkStatus();
}

}  // namespace

Utf8Check CheckUtf8(std::string_view text) {
  Utf8Check check;
  check.first_invalid = text.size();
  if (simdjson::validate_utf8(text.data(), text.size())) return check;
  const auto* begin = reinterpret_cast<const uint8_t*>(text.data());
  const auto* end = begin + text.size();
  for (const uint8_t* p = begin; p < end;) {
    uint32_t code_point;
    const int length = DecodeUtf8(p, end, &code_point);
    if (code_point == kInvalidCodePoint) {
      if (check.invalid_bytes == 0) check.first_invalid = p - begin;
      check.invalid_bytes += length;
    }
    p += length;
  }
  return check;
}

absl::Status ReadContext::CheckText(const std::string& origin,
                                    std::string_view text) {
  Utf8Check check = CheckUtf8(text);
  if (check.invalid_bytes == 0) return absl::OkStatus();
  ++stats.invalid_utf8;
  const size_t line =
      1 + std::count(text.begin(), text.begin() + check.first_invalid, '\n');
  std::string where = absl::StrCat(origin, ":", line);
  if (options.strict_utf8) {
    return absl::InvalidArgumentError(absl::StrCat(
        where, ": invalid UTF-8 (", Bytes(check.invalid_bytes),
        ", the first at offset ", check.first_invalid,
        ") — convert the text to UTF-8 (e.g. iconv -f CP1256 -t UTF-8), or "
        "clear InputOptions::strict_utf8 to read it with U+FFFD in their "
        "place"));
  }
  warnings.push_back(
      {std::move(where),
       absl::StrCat("invalid UTF-8 (", Bytes(check.invalid_bytes),
                    " replaced by U+FFFD when compared and written)")});
  return absl::OkStatus();
}

absl::StatusOr<bool> ReadTextFile(const Source& source, ByteSource* bytes,
                                  ReadContext* context, InputRecord* record) {
  std::string& text = record->text;
  text.clear();
  size_t size = 0;
  size_t nul = std::string::npos;
  bool probed = false;
  while (true) {
    if (text.size() - size < kReadChunk) {
      text.resize(std::max(2 * text.size(), size + kReadChunk));
    }
    absl::StatusOr<size_t> got =
        bytes->Read(text.data() + size, text.size() - size);
    if (!got.ok()) return got.status();
    if (*got == 0) break;
    size += *got;
    if (!probed && size >= kBinaryProbeSize) {
      probed = true;
      nul = std::string_view(text.data(), kBinaryProbeSize).find('\0');
      if (nul != std::string::npos) break;  // binary: no need to read it all
    }
  }
  text.resize(size);
  // The buffer doubled as it filled: give back the unused part, up to half
  // of it, which the caller would otherwise hold with the text.
  if (text.capacity() - size > size / 8) text.shrink_to_fit();
  context->stats.bytes += size;
  if (!probed) nul = text.find('\0');

  // A file of nothing but white space is as empty as one of no bytes: it
  // is said and counted the same way rather than read as a wordless text.
  const bool blank = text.find_first_not_of(" \t\n\r\f\v") == std::string::npos;
  std::optional<Problem> problem;
  if (size == 0) {
    problem = Problem{"empty file", std::string(kTextAdvice)};
  } else if (blank) {
    problem = Problem{"no text (only white space)", std::string(kTextAdvice)};
  } else {
    problem = NotUtf8Text(text, nul);
  }
  if (problem.has_value()) {
    text.clear();
    if (absl::Status s = context->SkipOrReject(source, *problem); !s.ok()) {
      return s;
    }
    return false;
  }
  std::string id;
  if (absl::Status s = CheckFileName(source, context, &id); !s.ok()) return s;
  if (id.empty()) {
    text.clear();
    return false;  // skipped
  }
  if (absl::Status s = context->CheckText(source.name, text); !s.ok()) {
    return s;
  }
  record->id = std::move(id);
  record->origin = source.name;
  return true;
}

}  // namespace neardup
