#include "neardup/input.h"

#include <simdjson.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <optional>
#include <string_view>
#include <system_error>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "input_internal.h"
#include "input_source.h"
#include "utf8.h"

namespace neardup {
namespace {

namespace fs = std::filesystem;

// Binary files are recognised by a NUL byte in this many leading bytes.
constexpr size_t kBinaryProbeSize = 64 * 1024;
constexpr size_t kReadChunk = size_t{1} << 20;
constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";

// One file (or standard input) to read.
struct Source {
  std::string name;  // the path to open, used in ids and messages; "-": stdin
  int dir = -1;      // index into Rep::dirs, or -1 if named explicitly
};

struct Directory {
  std::string name;
  size_t usable = 0;  // files that yielded at least one record
};

// What is wrong with a file or a JSON Lines record, and what the user can
// do about it.
struct Problem {
  std::string what;
  std::string advice;
};

constexpr std::string_view kTextAdvice =
    "give UTF-8 text files or JSON Lines (.jsonl) files";

bool IsJsonlName(std::string_view name) {
  name = StripCompressionSuffix(name);
  return name.ends_with(".jsonl") || name.ends_with(".ndjson") ||
         name.ends_with(".json");
}

bool IsBlank(std::string_view s) {
  return s.find_first_not_of(" \t\r\n") == std::string_view::npos;
}

bool HasUtf16Bom(std::string_view s) {
  return s.size() >= 2 && ((s[0] == '\xFF' && s[1] == '\xFE') ||
                           (s[0] == '\xFE' && s[1] == '\xFF'));
}

Problem Utf16Problem() {
  return {"UTF-16 text is not supported",
          "convert it to UTF-8 (e.g. iconv -f UTF-16 -t UTF-8)"};
}

// Bytes that cannot be UTF-8 text: a UTF-16 byte order mark at the start
// (tested first: UTF-16 is full of NULs), or a NUL byte, found at `nul`.
std::optional<Problem> NotUtf8Text(std::string_view head, size_t nul) {
  if (HasUtf16Bom(head)) return Utf16Problem();
  if (nul == std::string_view::npos) return std::nullopt;
  return Problem{absl::StrCat("binary file (NUL byte at offset ", nul, ")"),
                 std::string(kTextAdvice)};
}

// "1 byte", "3 bytes".
std::string Bytes(size_t n) {
  return absl::StrCat(n, n == 1 ? " byte" : " bytes");
}

// "dir" + "a/b.txt" -> "dir/a/b.txt", with exactly one '/' between them.
std::string JoinPath(std::string dir, const std::string& relative) {
  while (dir.size() > 1 && dir.back() == '/') dir.pop_back();
  if (dir == "/") return absl::StrCat("/", relative);
  return absl::StrCat(dir, "/", relative);
}

absl::Status ListDirectory(const std::string& dir,
                           std::vector<std::string>* relative_paths) {
  std::error_code ec;
  const fs::path root(dir);
  fs::recursive_directory_iterator it(root, ec);
  for (; !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    const fs::path& path = it->path();
    if (absl::StartsWith(path.filename().native(), ".")) {
      if (it->is_directory(ec)) it.disable_recursion_pending();
      ec.clear();
      continue;
    }
    // is_regular_file follows symbolic links.
    if (!it->is_regular_file(ec)) {
      ec.clear();
      continue;
    }
    relative_paths->push_back(path.lexically_relative(root).generic_string());
  }
  if (ec) {
    return absl::Status(
        absl::ErrnoToStatusCode(ec.value()),
        absl::StrCat(dir, ": cannot list directory (", ec.message(),
                     ") — check its permissions"));
  }
  // std::string compares bytes as unsigned char, i.e. byte-wise.
  std::sort(relative_paths->begin(), relative_paths->end());
  return absl::OkStatus();
}

absl::Status CheckReadable(const std::string& path) {
  std::error_code ec;
  fs::file_status status = fs::status(path, ec);
  if (ec || !fs::exists(status)) {
    return absl::NotFoundError(
        absl::StrCat(path, ": no such file or directory — check the path"));
  }
  // access() rather than a trial open: opening and closing a pipe such as
  // <(zcat x.gz) would make its writer fail.
  if (::access(path.c_str(), R_OK) != 0) {
    const int error = errno;
    return absl::Status(
        absl::ErrnoToStatusCode(error),
        absl::StrCat(path, ": cannot read (", std::strerror(error),
                     ") — check its permissions"));
  }
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

struct InputReader::Rep {
  InputOptions options;
  std::FILE* stdin_file = nullptr;
  std::vector<Source> sources;
  std::vector<Directory> dirs;
  size_t next_source = 0;

  // The JSON Lines file being read, if any.
  std::unique_ptr<LineReader> lines;
  size_t current_source = 0;
  uint64_t line_number = 0;
  size_t source_records = 0;
  size_t source_skipped = 0;  // bad records skipped in this file
  size_t bytes_counted = 0;   // of lines->bytes_read(), already in stats
  simdjson::dom::parser parser;
  // The line being parsed with invalid UTF-8 replaced, and how many bytes
  // were replaced (0: the line was valid and parsed in place).
  std::string repaired;
  size_t repaired_bytes = 0;
  // Id -> where it was first seen (source index, line number).
  absl::flat_hash_map<std::string, std::pair<size_t, uint64_t>> seen_ids;

  std::vector<InputWarning> warnings;
  InputStats stats;
  absl::Status status;

  absl::StatusOr<bool> NextRecord(InputRecord* record);
  absl::StatusOr<bool> NextJsonlRecord(InputRecord* record);
  std::optional<Problem> ParseJsonlRecord(size_t start, InputRecord* record);
  absl::StatusOr<std::unique_ptr<ByteSource>> OpenSource(const Source& source,
                                                         bool* jsonl);
  absl::StatusOr<bool> ReadTextFile(const Source& source,
                                    std::unique_ptr<ByteSource> bytes,
                                    InputRecord* record);
  absl::Status CheckText(const std::string& origin, std::string_view text,
                         bool count_lines);
  absl::Status SkipOrReject(const Source& source, const Problem& problem);
  absl::Status FinishSource(size_t index, bool usable);
  std::string Origin(size_t source, uint64_t line) const {
    return absl::StrCat(sources[source].name, ":", line);
  }
};

InputReader::InputReader(std::unique_ptr<Rep> rep) : rep_(std::move(rep)) {}
InputReader::~InputReader() = default;

absl::StatusOr<std::unique_ptr<InputReader>> InputReader::Open(
    std::vector<std::string> paths, const InputOptions& options) {
  return InputReaderInternal::Open(std::move(paths), options, stdin);
}

absl::StatusOr<std::unique_ptr<InputReader>> InputReaderInternal::Open(
    std::vector<std::string> paths, const InputOptions& options,
    std::FILE* stdin_file) {
  auto rep = std::make_unique<InputReader::Rep>();
  rep->options = options;
  rep->stdin_file = stdin_file;
  for (std::string& path : paths) {
    if (path == "-") {
      rep->sources.push_back({std::move(path), -1});
      continue;
    }
    if (absl::Status s = CheckReadable(path); !s.ok()) return s;
    std::error_code ec;
    if (!fs::is_directory(path, ec)) {
      rep->sources.push_back({std::move(path), -1});
      continue;
    }
    std::vector<std::string> relative_paths;
    if (absl::Status s = ListDirectory(path, &relative_paths); !s.ok()) {
      return s;
    }
    if (relative_paths.empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat(path,
                       ": no files in directory (hidden files are skipped) "
                       "— check the path"));
    }
    const int dir = static_cast<int>(rep->dirs.size());
    for (const std::string& relative : relative_paths) {
      rep->sources.push_back({JoinPath(path, relative), dir});
    }
    rep->dirs.push_back({std::move(path)});
  }
  // The total, for progress displays: known only if every input is a
  // regular file.
  size_t total = 0;
  for (const Source& source : rep->sources) {
    std::error_code ec;
    const fs::path path(source.name);
    if (source.name == "-" || !fs::is_regular_file(path, ec)) {
      total = 0;
      break;
    }
    const uintmax_t size = fs::file_size(path, ec);
    if (ec) {
      total = 0;
      break;
    }
    total += size;
  }
  rep->stats.total_stored_bytes = total;
  return std::unique_ptr<InputReader>(new InputReader(std::move(rep)));
}

absl::StatusOr<bool> InputReader::Next(InputRecord* record) {
  if (!rep_->status.ok()) return rep_->status;
  absl::StatusOr<bool> more = rep_->NextRecord(record);
  if (!more.ok()) {
    rep_->status = more.status();
    rep_->lines.reset();
  } else if (*more) {
    ++rep_->stats.records;
  }
  return more;
}

std::vector<InputWarning> InputReader::TakeWarnings() {
  std::vector<InputWarning> warnings;
  warnings.swap(rep_->warnings);
  return warnings;
}

const InputStats& InputReader::stats() const { return rep_->stats; }

absl::StatusOr<bool> InputReader::Rep::NextRecord(InputRecord* record) {
  while (true) {
    if (lines != nullptr) {
      absl::StatusOr<bool> more = NextJsonlRecord(record);
      if (!more.ok()) return more;
      if (*more) {
        ++source_records;
        return true;
      }
      lines.reset();
      if (absl::Status s = FinishSource(current_source, source_records > 0);
          !s.ok()) {
        return s;
      }
      continue;
    }
    if (next_source == sources.size()) return false;
    const size_t index = next_source++;
    const Source& source = sources[index];
    bool jsonl = false;
    absl::StatusOr<std::unique_ptr<ByteSource>> bytes =
        OpenSource(source, &jsonl);
    if (!bytes.ok()) return bytes.status();
    ++stats.files;
    if (jsonl) {
      lines = std::make_unique<LineReader>(*std::move(bytes));
      current_source = index;
      line_number = 0;
      bytes_counted = 0;
      source_records = 0;
      source_skipped = 0;
      continue;
    }
    absl::StatusOr<bool> usable =
        ReadTextFile(source, *std::move(bytes), record);
    if (!usable.ok()) return usable.status();
    if (absl::Status s = FinishSource(index, *usable); !s.ok()) return s;
    if (*usable) return true;
  }
}

absl::StatusOr<std::unique_ptr<ByteSource>> InputReader::Rep::OpenSource(
    const Source& source, bool* jsonl) {
  if (source.name != "-") {
    absl::StatusOr<std::unique_ptr<ByteSource>> bytes =
        OpenFileSource(source.name, &stats.stored_bytes);
    if (!bytes.ok()) return bytes.status();
    *jsonl = IsJsonlName(source.name);
    return NewDecompressingSource(CompressionOf(source.name), *std::move(bytes),
                                  source.name);
  }
  // Standard input is JSON Lines if its first non-blank byte is '{'.
  std::unique_ptr<ByteSource> bytes =
      NewStdioSource(stdin_file, "-", &stats.stored_bytes);
  std::string prefix;
  std::vector<char> chunk(64 * 1024);
  while (true) {
    absl::StatusOr<size_t> got = bytes->Read(chunk.data(), chunk.size());
    if (!got.ok()) return got.status();
    if (*got == 0) break;
    prefix.append(chunk.data(), *got);
    std::string_view view(prefix);
    if (view.starts_with(kUtf8Bom)) view.remove_prefix(kUtf8Bom.size());
    size_t first = view.find_first_not_of(" \t\r\n");
    if (first != std::string_view::npos) {
      *jsonl = view[first] == '{';
      break;
    }
  }
  return NewPrefixedSource(std::move(prefix), std::move(bytes));
}

absl::StatusOr<bool> InputReader::Rep::ReadTextFile(
    const Source& source, std::unique_ptr<ByteSource> bytes,
    InputRecord* record) {
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
  stats.bytes += size;
  if (!probed) nul = text.find('\0');

  const std::optional<Problem> problem =
      size == 0 ? Problem{"empty file", std::string(kTextAdvice)}
                : NotUtf8Text(text, nul);
  if (problem.has_value()) {
    text.clear();
    if (absl::Status s = SkipOrReject(source, *problem); !s.ok()) return s;
    return false;
  }
  if (absl::Status s = CheckText(source.name, text, true); !s.ok()) return s;
  record->id = source.name;
  record->origin = source.name;
  record->raw.clear();
  record->from_jsonl = false;
  return true;
}

absl::Status InputReader::Rep::CheckText(const std::string& origin,
                                         std::string_view text,
                                         bool count_lines) {
  Utf8Check check = CheckUtf8(text);
  if (check.invalid_bytes == 0) return absl::OkStatus();
  ++stats.invalid_utf8;
  std::string where = origin;
  if (count_lines) {
    size_t line =
        1 + std::count(text.begin(), text.begin() + check.first_invalid, '\n');
    where = absl::StrCat(origin, ":", line);
  }
  if (options.strict_utf8) {
    return absl::InvalidArgumentError(absl::StrCat(
        where, ": invalid UTF-8 (", Bytes(check.invalid_bytes),
        ", the first at offset ", check.first_invalid,
        ") — convert the text to UTF-8 (e.g. iconv -f CP1256 -t UTF-8), or "
        "run without --strict to read it with U+FFFD in their place"));
  }
  warnings.push_back(
      {std::move(where),
       absl::StrCat("invalid UTF-8 (", Bytes(check.invalid_bytes),
                    " replaced by U+FFFD when compared)")});
  return absl::OkStatus();
}

absl::StatusOr<bool> InputReader::Rep::NextJsonlRecord(InputRecord* record) {
  std::string& raw = record->raw;
  while (true) {
    absl::StatusOr<bool> more = lines->ReadLine(&raw);
    stats.bytes += lines->bytes_read() - bytes_counted;
    bytes_counted = lines->bytes_read();
    if (!more.ok()) return more;
    const Source& source = sources[current_source];
    if (!*more) {
      if (source_records > 0 || source_skipped > 0) return false;
      const Problem problem =
          line_number == 0
              ? Problem{"empty file",
                        "check the path; JSON Lines files hold one JSON "
                        "object per line"}
              : Problem{"no records (only blank lines)",
                        "put one JSON object per line"};
      if (absl::Status s = SkipOrReject(source, problem); !s.ok()) return s;
      return false;
    }
    ++line_number;
    // A "\r" before the "\n" stays in `raw` (JSON reads it as whitespace),
    // so that raw + "\n" is the line as it was.
    size_t start = 0;
    if (line_number == 1) {
      if (const std::optional<Problem> problem =
              NotUtf8Text(raw, raw.find('\0'));
          problem.has_value()) {
        if (absl::Status s = SkipOrReject(source, *problem); !s.ok()) return s;
        return false;
      }
      if (raw.starts_with(kUtf8Bom)) start = kUtf8Bom.size();
    }
    if (IsBlank(std::string_view(raw).substr(start))) continue;

    std::optional<Problem> bad = ParseJsonlRecord(start, record);
    if (!bad.has_value()) {
      if (repaired_bytes > 0) {
        ++stats.invalid_utf8;
        warnings.push_back(
            {record->origin,
             absl::StrCat("invalid UTF-8 (", Bytes(repaired_bytes),
                          " replaced by U+FFFD)")});
      }
      // JSON strings are valid UTF-8 (simdjson validates them); this check
      // only guards that promise.
      absl::Status s = CheckText(record->origin, record->text, false);
      if (!s.ok()) return s;
      return true;
    }
    std::string origin = Origin(current_source, line_number);
    if (!options.skip_bad) {
      return absl::InvalidArgumentError(
          absl::StrCat(origin, ": ", bad->what, " — ", bad->advice));
    }
    ++stats.skipped_bad;
    ++source_skipped;
    warnings.push_back(
        {std::move(origin), absl::StrCat("skipped: ", bad->what)});
  }
}

std::optional<Problem> InputReader::Rep::ParseJsonlRecord(size_t start,
                                                          InputRecord* record) {
  std::string& raw = record->raw;
  // The parser reads up to SIMDJSON_PADDING bytes past the end.
  raw.reserve(raw.size() + simdjson::SIMDJSON_PADDING);
  simdjson::dom::element doc;
  simdjson::error_code error =
      parser.parse(raw.data() + start, raw.size() - start, false).get(doc);
  repaired_bytes = 0;
  if (error == simdjson::UTF8_ERROR) {
    if (options.strict_utf8) {
      const Utf8Check check = CheckUtf8(raw);
      return Problem{
          absl::StrCat("invalid UTF-8 (", Bytes(check.invalid_bytes),
                       ", the first at offset ", check.first_invalid,
                       " of the line)"),
          "convert the file to UTF-8 (e.g. iconv -f CP1256 -t UTF-8), run "
          "without --strict to read it with U+FFFD in their place, or pass "
          "--skip-bad to skip such lines"};
    }
    // Parse a copy in which every maximal ill-formed subpart is one U+FFFD,
    // as the normaliser reads it; raw stays the bytes of the line.
    repaired.clear();
    repaired_bytes = AppendReplacingInvalidUtf8(
        std::string_view(raw).substr(start), &repaired);
    repaired.reserve(repaired.size() + simdjson::SIMDJSON_PADDING);
    error = parser.parse(repaired.data(), repaired.size(), false).get(doc);
  }
  if (error) {
    return Problem{
        absl::StrCat("not valid JSON (", simdjson::error_message(error), ")"),
        "fix the line, or pass --skip-bad to skip bad lines"};
  }
  simdjson::dom::object object;
  if (doc.get_object().get(object)) {
    return Problem{"not a JSON object",
                   "put one JSON object per line, or pass --skip-bad to "
                   "skip bad lines"};
  }
  const std::string& text_field = options.text_field;
  simdjson::dom::element text;
  if (object.at_key(text_field).get(text)) {
    return Problem{absl::StrCat("no \"", text_field, "\" field"),
                   "use --text-field to choose the field"};
  }
  std::string_view text_value;
  if (text.get_string().get(text_value)) {
    return Problem{absl::StrCat("field \"", text_field, "\" is not a string"),
                   "use --text-field to choose the field holding the text"};
  }

  const std::string& id_field = options.id_field;
  simdjson::dom::element id;
  std::string& id_value = record->id;
  if (object.at_key(id_field).get(id) || id.is_null()) {
    id_value = Origin(current_source, line_number);
  } else if (std::string_view s; !id.get_string().get(s)) {
    if (s.empty()) {
      return Problem{absl::StrCat("field \"", id_field, "\" is empty"),
                     "give every record an id, or use --id-field to choose "
                     "the field"};
    }
    id_value.assign(s);
  } else if (int64_t i; !id.get_int64().get(i)) {
    id_value = absl::StrCat(i);
  } else if (uint64_t u; !id.get_uint64().get(u)) {
    id_value = absl::StrCat(u);
  } else {
    return Problem{
        absl::StrCat("field \"", id_field, "\" is not a string or an integer"),
        "use --id-field to choose the field"};
  }
  auto [it, inserted] =
      seen_ids.try_emplace(id_value, current_source, line_number);
  if (!inserted) {
    return Problem{
        absl::StrCat("duplicate id \"", id_value, "\" in field \"", id_field,
                     "\" (first seen at ",
                     Origin(it->second.first, it->second.second), ")"),
        "ids must be unique; use --id-field to choose another field, or "
        "--skip-bad to skip repeats"};
  }
  record->text.assign(text_value);
  record->origin = Origin(current_source, line_number);
  record->from_jsonl = true;
  return std::nullopt;
}

// A file named by the user that holds no document is an error; one found
// under a directory is skipped with a warning, as ripgrep skips binary files.
absl::Status InputReader::Rep::SkipOrReject(const Source& source,
                                            const Problem& problem) {
  if (source.dir < 0) {
    return absl::InvalidArgumentError(
        absl::StrCat(source.name, ": ", problem.what, " — ", problem.advice));
  }
  ++stats.skipped_files;
  warnings.push_back({source.name, absl::StrCat("skipped: ", problem.what)});
  return absl::OkStatus();
}

absl::Status InputReader::Rep::FinishSource(size_t index, bool usable) {
  const int dir = sources[index].dir;
  if (dir < 0) return absl::OkStatus();
  if (usable) ++dirs[dir].usable;
  const bool last =
      index + 1 == sources.size() || sources[index + 1].dir != dir;
  if (last && dirs[dir].usable == 0) {
    return absl::InvalidArgumentError(absl::StrCat(
        dirs[dir].name,
        ": no usable files in directory (all are empty, binary, UTF-16 or "
        "without records) — check the path"));
  }
  return absl::OkStatus();
}

}  // namespace neardup
