#include "lexicon.h"

#include <zlib.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace neardup {
namespace {

absl::Status FileError(const std::string& path, std::string_view what) {
  return absl::NotFoundError(absl::StrCat(path, ": ", std::string(what)));
}

absl::StatusOr<std::string> ReadPlainFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return FileError(path, std::strerror(errno));
  std::ostringstream contents;
  contents << in.rdbuf();
  if (in.bad()) return FileError(path, "read error");
  return std::move(contents).str();
}

// gzread reads gzip and, transparently, uncompressed files.
absl::StatusOr<std::string> ReadMaybeGzipFile(const std::string& path) {
  gzFile file = gzopen(path.c_str(), "rb");
  if (file == nullptr) return FileError(path, std::strerror(errno));
  std::string text;
  char buffer[1 << 16];
  int read = 0;
  while ((read = gzread(file, buffer, sizeof buffer)) > 0) {
    text.append(buffer, static_cast<size_t>(read));
  }
  int error = Z_OK;
  const std::string message = read < 0 ? gzerror(file, &error) : "";
  gzclose(file);
  if (read < 0) {
    return absl::DataLossError(
        absl::StrCat(path, ": not a readable gzip file (", message, ")"));
  }
  return text;
}

std::string_view StripSpaces(std::string_view text) {
  while (!text.empty() && absl::ascii_isspace(text.front()))
    text.remove_prefix(1);
  while (!text.empty() && absl::ascii_isspace(text.back()))
    text.remove_suffix(1);
  return text;
}

int DictdDigit(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}

}  // namespace

bool DecodeDictdNumber(std::string_view digits, uint32_t* value) {
  if (digits.empty()) return false;
  uint64_t result = 0;
  for (char c : digits) {
    const int digit = DictdDigit(c);
    if (digit < 0) return false;
    result = result * 64 + static_cast<uint64_t>(digit);
    if (result > 0xFFFFFFFFu) return false;
  }
  *value = static_cast<uint32_t>(result);
  return true;
}

absl::StatusOr<std::vector<DictdEntry>> ReadDictd(
    const std::string& index_path, const std::string& dict_path) {
  absl::StatusOr<std::string> index = ReadPlainFile(index_path);
  if (!index.ok()) return index.status();
  absl::StatusOr<std::string> text = ReadMaybeGzipFile(dict_path);
  if (!text.ok()) return text.status();
  std::vector<DictdEntry> entries;
  size_t line_number = 0;
  for (absl::string_view piece : absl::StrSplit(*index, '\n')) {
    std::string_view line(piece.data(), piece.size());
    ++line_number;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty()) continue;
    std::vector<std::string_view> fields;
    for (absl::string_view field :
         absl::StrSplit(absl::string_view(line.data(), line.size()), '\t')) {
      fields.emplace_back(field.data(), field.size());
    }
    uint32_t offset = 0, length = 0;
    if (fields.size() < 3 || !DecodeDictdNumber(fields[1], &offset) ||
        !DecodeDictdNumber(fields[2], &length)) {
      return absl::DataLossError(
          absl::StrCat(index_path, ":", line_number,
                       ": not a dictd index line (headword, tab, offset, "
                       "tab, length)"));
    }
    if (uint64_t{offset} + length > text->size()) {
      return absl::DataLossError(absl::StrCat(
          index_path, ":", line_number, ": entry lies beyond the end of ",
          dict_path, " (", text->size(), " bytes uncompressed)"));
    }
    if (fields[0].starts_with("00database") ||
        fields[0].starts_with("00-database")) {
      continue;
    }
    entries.push_back({std::string(fields[0]), text->substr(offset, length)});
  }
  return entries;
}

std::vector<std::string_view> FreeDictSenses(std::string_view definition) {
  std::vector<std::string_view> senses;
  bool first = true;
  for (absl::string_view piece : absl::StrSplit(
           absl::string_view(definition.data(), definition.size()), '\n')) {
    std::string_view line(piece.data(), piece.size());
    if (first) {
      first = false;
      continue;
    }
    line = StripSpaces(line);
    size_t digits = 0;
    while (digits < line.size() && absl::ascii_isdigit(line[digits])) ++digits;
    if (digits > 0 && digits + 1 < line.size() && line[digits] == '.' &&
        line[digits + 1] == ' ') {
      line = StripSpaces(line.substr(digits + 2));
    }
    if (!line.empty()) senses.push_back(line);
  }
  return senses;
}

}  // namespace neardup
