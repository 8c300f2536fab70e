// The input stage: the files named (input_listing.cc), each opened,
// decompressed and recognised as text or JSON Lines, then read into records
// (JSON Lines lines through input_jsonl.cc). The skip policy (a named file
// that holds no document is an error, one under a directory a warning) and
// the repeated-id count live here.
#include "neardup/input.h"

#include <simdjson.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string_view>
#include <utility>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "input_internal.h"
#include "input_source.h"
#include "utf8.h"

namespace neardup {
namespace {

// Binary files are recognised by a NUL byte in this many leading bytes.
constexpr size_t kBinaryProbeSize = 64 * 1024;
constexpr size_t kReadChunk = size_t{1} << 20;
// At most this much of a file is read to tell JSON Lines from text.
constexpr size_t kSniffSize = size_t{1} << 20;
constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";

constexpr std::string_view kTextAdvice =
    "give UTF-8 text files or JSON Lines (.jsonl) files";

bool IsJsonlName(std::string_view name) {
  const std::string lower =
      absl::AsciiStrToLower(std::string(StripCompressionSuffix(name)));
  return lower.ends_with(".jsonl") || lower.ends_with(".ndjson") ||
         lower.ends_with(".json");
}

bool IsJsonName(std::string_view name) {
  return absl::AsciiStrToLower(std::string(StripCompressionSuffix(name)))
      .ends_with(".json");
}

bool IsBlank(std::string_view s) {
  return s.find_first_not_of(" \t\r\n") == std::string_view::npos;
}

bool HasUtf16Bom(std::string_view s) {
  return s.size() >= 2 && ((s[0] == '\xFF' && s[1] == '\xFE') ||
                           (s[0] == '\xFE' && s[1] == '\xFF'));
}

// Bytes that cannot be UTF-8 text: a UTF-16 byte order mark at the start
// (tested first: UTF-16 is full of NULs), or a NUL byte, found at `nul`.
std::optional<Problem> NotUtf8Text(std::string_view head, size_t nul) {
  if (HasUtf16Bom(head)) {
    return Problem{"UTF-16 text is not supported",
                   "convert it to UTF-8 (e.g. iconv -f UTF-16 -t UTF-8)"};
  }
  if (nul == std::string_view::npos) return std::nullopt;
  return Problem{absl::StrCat("binary file (NUL byte at offset ", nul, ")"),
                 std::string(kTextAdvice)};
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
  explicit Rep(const InputOptions& o) : options(o), parser(options) {}

  InputOptions options;
  std::FILE* stdin_file = nullptr;
  InputListing listing;
  size_t next_source = 0;

  // The JSON Lines file being read, if any.
  std::unique_ptr<LineReader> lines;
  size_t current_source = 0;
  uint64_t line_number = 0;
  size_t source_records = 0;
  size_t source_skipped = 0;  // bad records skipped in this file
  size_t bytes_counted = 0;   // of lines->bytes_read(), already in stats
  std::string raw;            // the line being parsed
  JsonlParser parser;
  // Every id returned so far, to count repeats.
  absl::flat_hash_set<std::string> seen_ids;

  std::vector<InputWarning> warnings;
  InputStats stats;
  absl::Status status;

  absl::StatusOr<bool> NextRecord(InputRecord* record, std::string* line);
  absl::StatusOr<bool> NextJsonlRecord(InputRecord* record, std::string* line);
  absl::StatusOr<std::unique_ptr<ByteSource>> OpenSource(const Source& source,
                                                         bool* jsonl);
  absl::StatusOr<bool> ReadTextFile(const Source& source,
                                    std::unique_ptr<ByteSource> bytes,
                                    InputRecord* record);
  absl::Status CheckText(const std::string& origin, std::string_view text,
                         bool count_lines);
  absl::Status CheckFileName(const Source& source, std::string* id);
  void CountId(const std::string& id, const std::string& origin);
  absl::Status SkipOrReject(const Source& source, const Problem& problem);
  absl::Status FinishSource(size_t index, bool usable);
  std::string Origin(size_t source, uint64_t line) const {
    return absl::StrCat(listing.sources[source].name, ":", line);
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
  auto rep = std::make_unique<InputReader::Rep>(options);
  rep->stdin_file = stdin_file;
  if (absl::Status s = ListInputs(std::move(paths), stdin_file, &rep->listing);
      !s.ok()) {
    return s;
  }
  return Finish(std::move(rep));
}

absl::StatusOr<std::unique_ptr<InputReader>> InputReaderInternal::OpenRange(
    std::vector<std::string> paths, const InputOptions& options, size_t first,
    size_t end) {
  auto rep = std::make_unique<InputReader::Rep>(options);
  rep->stdin_file = stdin;
  InputListing& listing = rep->listing;
  if (absl::Status s = ListInputs(std::move(paths), stdin, &listing); !s.ok()) {
    return s;
  }
  std::vector<Source>& sources = listing.sources;
  end = std::min(end, sources.size());
  first = std::min(first, end);
  sources.erase(sources.begin() + static_cast<ptrdiff_t>(end), sources.end());
  sources.erase(sources.begin(),
                sources.begin() + static_cast<ptrdiff_t>(first));
  if (first != 0) {
    listing.warnings.clear();
    listing.skipped_files = 0;
    listing.repeated_files = 0;
  }
  return Finish(std::move(rep));
}

std::unique_ptr<InputReader> InputReaderInternal::Finish(
    std::unique_ptr<InputReader::Rep> rep) {
  rep->warnings = std::move(rep->listing.warnings);
  rep->stats.skipped_files = rep->listing.skipped_files;
  rep->stats.repeated_files = rep->listing.repeated_files;
  // The total, for progress displays: known only if every input is a
  // regular file.
  size_t total = 0;
  for (const Source& source : rep->listing.sources) {
    struct stat st;
    if (source.name == "-" || stat(source.name.c_str(), &st) != 0 ||
        !S_ISREG(st.st_mode)) {
      total = 0;
      break;
    }
    total += static_cast<size_t>(st.st_size);
  }
  rep->stats.total_stored_bytes = total;
  return std::unique_ptr<InputReader>(new InputReader(std::move(rep)));
}

absl::StatusOr<bool> InputReader::Next(InputRecord* record, std::string* line) {
  if (!rep_->status.ok()) return rep_->status;
  absl::StatusOr<bool> more = rep_->NextRecord(record, line);
  if (!more.ok()) {
    rep_->status = more.status();
    rep_->lines.reset();
  } else if (*more) {
    ++rep_->stats.records;
    rep_->CountId(record->id, record->origin);
  }
  return more;
}

bool InputReader::Reads(const std::string& path) const {
  struct stat st;
  if (stat(path.c_str(), &st) != 0) return false;
  return rep_->listing.files.contains(FileId{st.st_dev, st.st_ino});
}

std::vector<InputWarning> InputReader::TakeWarnings() {
  std::vector<InputWarning> warnings;
  warnings.swap(rep_->warnings);
  return warnings;
}

const InputStats& InputReader::stats() const { return rep_->stats; }

void InputReader::Rep::CountId(const std::string& id,
                               const std::string& origin) {
  if (seen_ids.insert(id).second) return;
  // The first repeat is named; the rest are counted, for the summary.
  if (++stats.repeated_ids > 1) return;
  warnings.push_back(
      {origin, absl::StrCat("id \"", id,
                            "\" repeats an earlier record's id; records are "
                            "told apart by their origin (path:line), and "
                            "further repeats are only counted")});
}

absl::StatusOr<bool> InputReader::Rep::NextRecord(InputRecord* record,
                                                  std::string* line) {
  while (true) {
    if (lines != nullptr) {
      absl::StatusOr<bool> more = NextJsonlRecord(record, line);
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
    if (next_source == listing.sources.size()) return false;
    const size_t index = next_source++;
    const Source& source = listing.sources[index];
    bool jsonl = false;
    absl::StatusOr<std::unique_ptr<ByteSource>> bytes =
        OpenSource(source, &jsonl);
    if (!bytes.ok()) {
      // A file under a directory that vanished or became unreadable since
      // it was listed is skipped as an unreadable one is.
      if (source.dir < 0 || absl::IsCancelled(bytes.status()) ||
          absl::IsDataLoss(bytes.status())) {
        return bytes.status();
      }
      const std::string message(bytes.status().message());
      if (absl::Status s = SkipOrReject(source, {message, ""}); !s.ok()) {
        return s;
      }
      if (absl::Status s = FinishSource(index, false); !s.ok()) return s;
      continue;
    }
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
    if (*usable) {
      if (line != nullptr) line->clear();
      return true;
    }
  }
}

// Opens a source, decompressing it if its name or its first bytes say so,
// and decides whether it is JSON Lines (see InputFormat).
absl::StatusOr<std::unique_ptr<ByteSource>> InputReader::Rep::OpenSource(
    const Source& source, bool* jsonl) {
  const bool is_stdin = source.name == "-";
  std::unique_ptr<ByteSource> bytes;
  if (is_stdin) {
    bytes = NewStdioSource(stdin_file, "-", &stats.stored_bytes);
  } else {
    absl::StatusOr<std::unique_ptr<ByteSource>> file =
        OpenFileSource(source.name, &stats.stored_bytes);
    if (!file.ok()) return file.status();
    bytes = *std::move(file);
  }
  Compression compression = CompressionOf(source.name);
  if (compression == Compression::kNone) {
    std::string magic;
    if (absl::Status s = ReadPrefix(bytes.get(), 4, &magic); !s.ok()) return s;
    compression = CompressionOfMagic(magic);
    bytes = NewPrefixedSource(std::move(magic), std::move(bytes));
  }
  bytes = NewDecompressingSource(compression, std::move(bytes), source.name);
  switch (options.format) {
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
    warnings.push_back(
        {source.name,
         "read as JSON Lines: its first line is a JSON object (set "
         "InputOptions::format to kText to read it as one text)"});
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
  std::string id;
  if (absl::Status s = CheckFileName(source, &id); !s.ok()) return s;
  if (id.empty()) {
    text.clear();
    return false;  // skipped
  }
  if (absl::Status s = CheckText(source.name, text, true); !s.ok()) return s;
  record->id = std::move(id);
  record->origin = source.name;
  return true;
}

// A text document's id is its path, which must be UTF-8 for the id to be
// written as JSON: repaired with a warning, or refused with strict_utf8.
// Leaves *id empty if the file is skipped.
absl::Status InputReader::Rep::CheckFileName(const Source& source,
                                             std::string* id) {
  const Utf8Check check = CheckUtf8(source.name);
  if (check.invalid_bytes == 0) {
    *id = source.name;
    return absl::OkStatus();
  }
  if (options.strict_utf8) {
    return SkipOrReject(
        source, {"the file name is not valid UTF-8",
                 "rename the file, or clear InputOptions::strict_utf8 to read "
                 "it with U+FFFD in its id"});
  }
  AppendReplacingInvalidUtf8(source.name, id);
  warnings.push_back(
      {source.name, absl::StrCat("the file name is not valid UTF-8; its id is "
                                 "written with U+FFFD in place of ",
                                 Bytes(check.invalid_bytes))});
  return absl::OkStatus();
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
        "clear InputOptions::strict_utf8 to read it with U+FFFD in their "
        "place"));
  }
  warnings.push_back(
      {std::move(where),
       absl::StrCat("invalid UTF-8 (", Bytes(check.invalid_bytes),
                    " replaced by U+FFFD when compared and written)")});
  return absl::OkStatus();
}

absl::StatusOr<bool> InputReader::Rep::NextJsonlRecord(InputRecord* record,
                                                       std::string* line) {
  while (true) {
    absl::StatusOr<bool> more = lines->ReadLine(&raw);
    stats.bytes += lines->bytes_read() - bytes_counted;
    bytes_counted = lines->bytes_read();
    if (!more.ok()) return more;
    const Source& source = listing.sources[current_source];
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
    // A "\r" before the "\n" stays in the line (JSON reads it as
    // whitespace).
    if (line_number == 1) {
      if (const std::optional<Problem> problem =
              NotUtf8Text(raw, raw.find('\0'));
          problem.has_value()) {
        if (absl::Status s = SkipOrReject(source, *problem); !s.ok()) return s;
        return false;
      }
      if (raw.starts_with(kUtf8Bom)) raw.erase(0, kUtf8Bom.size());
    }
    if (IsBlank(raw)) continue;
    const bool first_record = source_records == 0 && source_skipped == 0;
    // A JSON array, or a pretty-printed .json file, is not JSON Lines: the
    // whole file is refused (skipped under a directory), not line by line.
    if (first_record) {
      const size_t first = raw.find_first_not_of(" \t\r");
      std::optional<Problem> problem;
      if (raw[first] == '[') {
        problem = Problem{"a JSON array, not JSON Lines",
                          "convert it to one object per line (e.g. jq -c "
                          "'.[]' FILE > FILE.jsonl)"};
      } else if (IsJsonName(source.name) &&
                 !IsJsonObjectLine(std::string_view(raw).substr(first))) {
        problem = Problem{
            "not JSON Lines (its first line is not a whole "
            "JSON object: pretty-printed JSON?)",
            "convert it to one object per line (e.g. jq -c . "
            "FILE > FILE.jsonl)"};
      }
      if (problem.has_value()) {
        ++source_skipped;  // the file is done with: no "empty file" too
        if (absl::Status s = SkipOrReject(source, *problem); !s.ok()) return s;
        return false;
      }
    }

    const std::string origin = Origin(current_source, line_number);
    std::optional<Problem> bad = parser.Parse(&raw, origin, record);
    if (!bad.has_value()) {
      if (parser.repaired_bytes() > 0) {
        ++stats.invalid_utf8;
        warnings.push_back(
            {record->origin,
             absl::StrCat("invalid UTF-8 (", Bytes(parser.repaired_bytes()),
                          " replaced by U+FFFD)")});
      }
      // JSON strings are valid UTF-8 (simdjson validates them); this check
      // only guards that promise.
      absl::Status s = CheckText(record->origin, record->text, false);
      if (!s.ok()) return s;
      if (line != nullptr) line->assign(parser.line());
      return true;
    }
    if (!options.skip_bad) {
      return absl::InvalidArgumentError(
          absl::StrCat(origin, ": ", bad->what, " — ", bad->advice));
    }
    ++stats.skipped_bad;
    ++source_skipped;
    warnings.push_back({origin, absl::StrCat("skipped: ", bad->what)});
  }
}

// A file named by the user that holds no document is an error; one found
// under a directory is skipped with a warning, as ripgrep skips binary files.
absl::Status InputReader::Rep::SkipOrReject(const Source& source,
                                            const Problem& problem) {
  if (source.dir < 0) {
    return absl::InvalidArgumentError(
        absl::StrCat(source.name, ": ", problem.what,
                     problem.advice.empty() ? "" : " — ", problem.advice));
  }
  ++stats.skipped_files;
  warnings.push_back({source.name, absl::StrCat("skipped: ", problem.what)});
  return absl::OkStatus();
}

absl::Status InputReader::Rep::FinishSource(size_t index, bool usable) {
  const int dir = listing.sources[index].dir;
  if (dir < 0) return absl::OkStatus();
  if (usable) ++listing.dirs[dir].usable;
  const bool last = index + 1 == listing.sources.size() ||
                    listing.sources[index + 1].dir != dir;
  if (last && listing.dirs[dir].usable == 0) {
    return absl::InvalidArgumentError(absl::StrCat(
        listing.dirs[dir].name,
        ": no usable files in directory (all are empty, binary, UTF-16, "
        "unreadable or without records) — check the path"));
  }
  return absl::OkStatus();
}

}  // namespace neardup
