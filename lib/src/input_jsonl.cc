// The input stage's JSON Lines files: line by line, each line to an id and
// a text.
#include <cerrno>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "input_internal.h"
#include "input_source.h"
#include "utf8.h"

namespace neardup {
namespace {

constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";

constexpr char kSkipAdvice[] =
    "or set InputOptions::skip_bad to skip bad lines";

// Why a line that is not valid JSON is not: a byte order mark inside it
// (files joined with cat keep each one's mark) is named.
Problem NotJson(std::string_view line, simdjson::error_code error) {
  Problem problem{
      absl::StrCat("not valid JSON (", simdjson::error_message(error), ")"),
      absl::StrCat("fix the line, ", kSkipAdvice)};
  if (const size_t bom = line.find(kUtf8Bom); bom != std::string_view::npos) {
    absl::StrAppend(&problem.what,
                    "; it holds a UTF-8 byte order mark at byte ", bom,
                    " (files joined with cat keep each one's mark at its "
                    "start)");
    problem.advice = absl::StrCat(
        "remove the marks (e.g. sed 's/\\xEF\\xBB\\xBF//g'), ", kSkipAdvice);
  }
  return problem;
}

// The length of the JSON number at the start of `s` (RFC 8259: -?int frac?
// exp?), or 0 if none starts there.
size_t JsonNumberLength(std::string_view s) {
  size_t i = 0;
  const auto digits = [&] {
    const size_t from = i;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
    return i > from;
  };
  if (i < s.size() && s[i] == '-') ++i;
  if (i < s.size() && s[i] == '0') {
    ++i;
  } else if (!digits()) {
    return 0;
  }
  if (i + 1 < s.size() && s[i] == '.' && s[i + 1] >= '0' && s[i + 1] <= '9') {
    ++i;
    digits();
  }
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    size_t j = i + 1;
    if (j < s.size() && (s[j] == '+' || s[j] == '-')) ++j;
    if (j < s.size() && s[j] >= '0' && s[j] <= '9') {
      i = j;
      digits();
    }
  }
  return i;
}

// True if the JSON number `n` fits where simdjson's parser puts it: an
// integer in int64 or uint64, any other number a finite double.
bool NumberFits(std::string_view n) {
  const std::string text(n);
  errno = 0;
  if (n.find_first_of(".eE") == std::string_view::npos) {
    if (n[0] == '-') {
      (void)std::strtoll(text.c_str(), nullptr, 10);
    } else {
      (void)std::strtoull(text.c_str(), nullptr, 10);
    }
    return errno != ERANGE;
  }
  const double value = std::strtod(text.c_str(), nullptr);
  return std::isfinite(value);
}

// The value of the four hex digits at `at`, or -1.
int HexQuad(std::string_view line, size_t at) {
  if (at + 4 > line.size()) return -1;
  int value = 0;
  for (size_t i = at; i < at + 4; ++i) {
    const char c = line[i];
    int digit = -1;
    if (c >= '0' && c <= '9') digit = c - '0';
    if (c >= 'a' && c <= 'f') digit = c - 'a' + 10;
    if (c >= 'A' && c <= 'F') digit = c - 'A' + 10;
    if (digit < 0) return -1;
    value = value * 16 + digit;
  }
  return value;
}

}  // namespace

size_t ReplaceLoneSurrogateEscapes(std::string_view line, std::string* out) {
  out->clear();
  size_t replaced = 0;
  for (size_t i = 0; i < line.size();) {
    if (line[i] != '\\' || i + 1 >= line.size()) {
      out->push_back(line[i++]);
      continue;
    }
    const int unit = line[i + 1] == 'u' ? HexQuad(line, i + 2) : -1;
    if (unit < 0xD800 || unit > 0xDFFF) {  // not a \u escape of a surrogate
      out->append(line.substr(i, 2));
      i += 2;
      continue;
    }
    const int next = unit <= 0xDBFF && i + 12 <= line.size() &&
                             line[i + 6] == '\\' && line[i + 7] == 'u'
                         ? HexQuad(line, i + 8)
                         : -1;
    const bool paired = next >= 0xDC00 && next <= 0xDFFF;
    if (paired) {
      out->append(line.substr(i, 12));
      i += 12;
    } else {
      out->append("\\ufffd");  // one code point, three UTF-8 bytes: as
      ++replaced;              // a lone surrogate would have taken
      i += 6;
    }
  }
  return replaced;
}

namespace {

// `line` with every number outside the parser's range (a 30-digit tweet id,
// 1e400) written as a string of its JSON text, which is valid JSON still:
// a field the tool does not read must not make a record malformed, and an
// id keeps its JSON text.
void QuoteNumbersOutOfRange(std::string_view line, std::string* out) {
  out->clear();
  bool in_string = false;
  for (size_t i = 0; i < line.size();) {
    const char c = line[i];
    if (in_string) {
      out->push_back(c);
      if (c == '\\' && i + 1 < line.size()) {
        out->push_back(line[i + 1]);
        i += 2;
        continue;
      }
      if (c == '"') in_string = false;
      ++i;
      continue;
    }
    if (c == '"') in_string = true;
    if (c == '-' || (c >= '0' && c <= '9')) {
      const size_t length = JsonNumberLength(line.substr(i));
      if (length > 0) {
        const std::string_view number = line.substr(i, length);
        if (NumberFits(number)) {
          out->append(number);
        } else {
          out->push_back('"');
          out->append(number);
          out->push_back('"');
        }
        i += length;
        continue;
      }
    }
    out->push_back(c);
    ++i;
  }
}

}  // namespace

std::string Bytes(size_t n) {
  return absl::StrCat(n, n == 1 ? " byte" : " bytes");
}

bool IsJsonObjectLine(std::string_view line) {
  simdjson::dom::parser parser;
  simdjson::padded_string padded(line);
  simdjson::dom::object object;
  return !parser.parse(padded).get_object().get(object);
}

std::optional<Problem> JsonlParser::Parse(std::string* line,
                                          InputRecord* record) {
  const std::string& origin = record->origin;
  // The parser reads up to SIMDJSON_PADDING bytes past the end (LineReader
  // reserved them).
  line->reserve(line->size() + simdjson::SIMDJSON_PADDING);
  line_ = *line;
  simdjson::dom::element doc;
  simdjson::error_code error =
      parser_.parse(line->data(), line->size(), false).get(doc);
  repaired_bytes_ = 0;
  if (error == simdjson::UTF8_ERROR) {
    if (options_.strict_utf8) {
      const Utf8Check check = CheckUtf8(*line);
      return Problem{
          absl::StrCat("invalid UTF-8 (", Bytes(check.invalid_bytes),
                       ", the first at offset ", check.first_invalid,
                       " of the line)"),
          absl::StrCat("convert the file to UTF-8 (e.g. iconv -f CP1256 -t "
                       "UTF-8), clear InputOptions::strict_utf8 to read it "
                       "with U+FFFD in their place, ",
                       kSkipAdvice)};
    }
    // Parse a copy in which every maximal ill-formed subpart is one U+FFFD,
    // as the normaliser reads it.
    repaired_.clear();
    repaired_bytes_ = AppendReplacingInvalidUtf8(*line, &repaired_);
    repaired_.reserve(repaired_.size() + simdjson::SIMDJSON_PADDING);
    line_ = repaired_;
    error = parser_.parse(repaired_.data(), repaired_.size(), false).get(doc);
  }
  lone_surrogates_ = 0;
  if (error == simdjson::STRING_ERROR) {
    // A \uD83D without its other half (JSON allows it; a JavaScript or
    // Python writer cutting an emoji in two leaves it): parsed from a copy
    // with U+FFFD in its place, as invalid UTF-8 is.
    lone_surrogates_ = ReplaceLoneSurrogateEscapes(line_, &surrogates_fixed_);
    if (lone_surrogates_ > 0 && options_.strict_utf8) {
      return Problem{
          "an escape of half a surrogate pair (e.g. \\ud83d alone), which "
          "is no character",
          absl::StrCat("clear InputOptions::strict_utf8 to read it as U+FFFD, ",
                       kSkipAdvice)};
    }
    if (lone_surrogates_ > 0) {
      surrogates_fixed_.reserve(surrogates_fixed_.size() +
                                simdjson::SIMDJSON_PADDING);
      line_ = surrogates_fixed_;
      error = parser_.parse(line_.data(), line_.size(), false).get(doc);
    }
  }
  if (error == simdjson::NUMBER_ERROR ||
      error == simdjson::NUMBER_OUT_OF_RANGE) {
    // line_ stays what a tool copies; only the parse reads the quoted copy.
    QuoteNumbersOutOfRange(line_, &quoted_);
    quoted_.reserve(quoted_.size() + simdjson::SIMDJSON_PADDING);
    error = parser_.parse(quoted_.data(), quoted_.size(), false).get(doc);
  }
  if (error) return NotJson(line_, error);
  simdjson::dom::object object;
  if (doc.get_object().get(object)) {
    return Problem{"not a JSON object",
                   absl::StrCat("put one JSON object per line, ", kSkipAdvice)};
  }
  const std::string& text_field = options_.text_field;
  simdjson::dom::element text;
  if (object.at_key(text_field).get(text)) {
    return Problem{absl::StrCat("no \"", text_field, "\" field"),
                   absl::StrCat("set InputOptions::text_field to choose the "
                                "field holding the text, ",
                                kSkipAdvice)};
  }
  std::string_view text_value;
  if (text.get_string().get(text_value)) {
    return Problem{absl::StrCat("field \"", text_field, "\" is not a string"),
                   absl::StrCat("set InputOptions::text_field to choose the "
                                "field holding the text, ",
                                kSkipAdvice)};
  }

  const std::string& id_field = options_.id_field;
  simdjson::dom::element id;
  std::string& id_value = record->id;
  if (object.at_key(id_field).get(id) || id.is_null()) {
    if (options_.id_required) {
      return Problem{absl::StrCat("no \"", id_field, "\" field"),
                     absl::StrCat("give every record an id, set "
                                  "InputOptions::id_field to choose the "
                                  "field holding it, ",
                                  kSkipAdvice)};
    }
    id_value = origin;
  } else if (std::string_view s; !id.get_string().get(s)) {
    if (s.empty()) {
      return Problem{absl::StrCat("field \"", id_field, "\" is empty"),
                     absl::StrCat("give every record an id, set "
                                  "InputOptions::id_field to choose another "
                                  "field, ",
                                  kSkipAdvice)};
    }
    id_value.assign(s);
  } else if (int64_t i; !id.get_int64().get(i)) {
    id_value = absl::StrCat(i);
  } else if (uint64_t u; !id.get_uint64().get(u)) {
    id_value = absl::StrCat(u);
  } else {
    return Problem{
        absl::StrCat("field \"", id_field, "\" is not a string or an integer"),
        absl::StrCat("set InputOptions::id_field to choose another field, ",
                     kSkipAdvice)};
  }
  record->text.assign(text_value);
  return std::nullopt;
}

JsonlFileReader::JsonlFileReader(const Source& source,
                                 std::unique_ptr<ByteSource> bytes,
                                 JsonlParser* parser, ReadContext* context)
    : source_(source),
      lines_(std::make_unique<LineReader>(std::move(bytes))),
      parser_(parser),
      context_(context),
      in_piece_(source.begin == 0) {}

JsonlFileReader::~JsonlFileReader() = default;

// A whole file counts what its reader read (stored bytes are counted by
// its ByteSource); a piece counts the bytes of its own lines, both ways,
// so that the pieces add up to the file.
void JsonlFileReader::CountBytes() {
  if (source_.whole()) {
    context_->stats.bytes += lines_->bytes_read() - bytes_counted_;
    bytes_counted_ = lines_->bytes_read();
    return;
  }
  const uint64_t at = lines_->position();
  context_->stats.bytes += at - bytes_counted_;
  context_->stats.stored_bytes += at - bytes_counted_;
  bytes_counted_ = at;
}

// A piece that starts past byte 0: the lines that start before it are
// passed over, counted, and looked at only as far as the file's head
// checks (in Next) need. Returns false if the file is refused as a whole
// there: the piece holding the line that refuses it reports that.
absl::StatusOr<bool> JsonlFileReader::SkipToPiece() {
  while (lines_->position() < source_.begin) {
    absl::StatusOr<bool> more =
        nonblank_seen_ ? lines_->SkipLine() : lines_->ReadLine(&raw_);
    if (!more.ok()) return more;
    if (!*more) break;
    ++line_number_;
    if (nonblank_seen_) continue;
    if (line_number_ == 1) {
      if (NotUtf8Text(raw_, raw_.find('\0')).has_value()) return false;
      if (raw_.starts_with(kUtf8Bom)) raw_.erase(0, kUtf8Bom.size());
    }
    if (raw_.find_first_not_of(" \t\r") == std::string::npos) continue;
    nonblank_seen_ = true;
    if (NotJsonLines().has_value()) return false;
  }
  bytes_counted_ = lines_->position();
  in_piece_ = true;
  return true;
}

absl::StatusOr<bool> JsonlFileReader::Next(InputRecord* record,
                                           std::string* line) {
  if (!in_piece_) {
    absl::StatusOr<bool> found = SkipToPiece();
    if (!found.ok() || !*found) return found;
  }
  while (true) {
    if (lines_->position() >= source_.end) return AtEnd();
    absl::StatusOr<bool> more =
        lines_->ReadLine(&raw_, simdjson::SIMDJSON_PADDING);
    CountBytes();
    if (!more.ok()) return more;
    if (!*more) return AtEnd();
    ++line_number_;
    // A "\r" before the "\n" stays in the line (JSON reads it as
    // whitespace).
    if (line_number_ == 1) {
      if (const std::optional<Problem> problem =
              NotUtf8Text(raw_, raw_.find('\0'));
          problem.has_value()) {
        if (absl::Status s = context_->SkipOrReject(source_, *problem); !s.ok())
          return s;
        return false;
      }
      if (raw_.starts_with(kUtf8Bom)) raw_.erase(0, kUtf8Bom.size());
    }
    if (raw_.find_first_not_of(" \t\r") == std::string::npos) continue;
    if (!nonblank_seen_) {
      nonblank_seen_ = true;
      if (std::optional<Problem> problem = NotJsonLines(); problem) {
        if (absl::Status s = context_->SkipOrReject(source_, *problem); !s.ok())
          return s;
        return false;
      }
    }
    // Built in the record's own string, whose buffer the caller may reuse.
    std::string& origin = record->origin;
    origin.assign(source_.name);
    origin += ':';
    absl::StrAppend(&origin, line_number_);
    std::optional<Problem> bad = parser_->Parse(&raw_, record);
    if (!bad.has_value()) {
      if (parser_->repaired_bytes() > 0) {
        ++context_->stats.invalid_utf8;
        context_->warnings.push_back(
            {record->origin,
             absl::StrCat("invalid UTF-8 (", Bytes(parser_->repaired_bytes()),
                          " replaced by U+FFFD)")});
      }
      if (const size_t lone = parser_->lone_surrogates(); lone > 0) {
        if (parser_->repaired_bytes() == 0) ++context_->stats.invalid_utf8;
        context_->warnings.push_back(
            {record->origin,
             absl::StrCat(lone, lone == 1 ? " escape" : " escapes",
                          " of half a surrogate pair (e.g. \\ud83d alone) "
                          "replaced by U+FFFD")});
      }
      // The text needs no UTF-8 check of its own: simdjson validated the
      // whole line, and refuses an escape that is not a code point (a lone
      // surrogate, which was replaced above or is a bad line:
      // JsonlEscapesAreValidUtf8OrABadLine in input_test.cc), so the
      // unescaped string is valid UTF-8. (Checking it again cost a seventh
      // of the reading thread's instructions in dedup.)
      if (line != nullptr) {
        // The line parsed is the one to copy unless it was repaired: then
        // it is handed over whole (its buffer becomes raw_, to be refilled
        // by the next line) instead of copied.
        if (parser_->repaired_bytes() == 0 && parser_->lone_surrogates() == 0) {
          line->swap(raw_);
        } else {
          line->assign(parser_->line());
        }
      }
      ++records_;
      return true;
    }
    if (!context_->options.skip_bad) {
      return absl::InvalidArgumentError(
          absl::StrCat(origin, ": ", bad->what, " — ", bad->advice));
    }
    ++context_->stats.skipped_bad;
    context_->warnings.push_back(
        {origin, absl::StrCat("skipped: ", bad->what)});
  }
}

// A JSON array, or a pretty-printed .json file, is not JSON Lines: the
// whole file is refused (skipped under a directory), not line by line.
std::optional<Problem> JsonlFileReader::NotJsonLines() const {
  const size_t first = raw_.find_first_not_of(" \t\r");
  if (raw_[first] == '[') {
    return Problem{"a JSON array, not JSON Lines",
                   "convert it to one object per line (e.g. jq -c "
                   "'.[]' FILE > FILE.jsonl)"};
  }
  if (IsJsonName(source_.name) &&
      !IsJsonObjectLine(std::string_view(raw_).substr(first))) {
    return Problem{
        "not JSON Lines (its first line is not a whole "
        "JSON object: pretty-printed JSON?)",
        "convert it to one object per line (e.g. jq -c . "
        "FILE > FILE.jsonl)"};
  }
  return std::nullopt;
}

// The end of the file (or of a piece): a file that gave no record (and
// skipped none) is refused, or skipped under a directory; of a file in
// pieces, by its last piece, which knows from SkipToPiece whether any line
// before it was not blank.
absl::StatusOr<bool> JsonlFileReader::AtEnd() {
  if (nonblank_seen_ || source_.end != Source::kToEnd) return false;
  const Problem problem =
      line_number_ == 0
          ? Problem{"empty file",
                    "check the path; JSON Lines files hold one JSON "
                    "object per line"}
          : Problem{"no records (only blank lines)",
                    "put one JSON object per line"};
  if (absl::Status s = context_->SkipOrReject(source_, problem); !s.ok())
    return s;
  return false;
}

}  // namespace neardup
