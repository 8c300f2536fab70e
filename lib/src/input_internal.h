// Internals of the input stage, exposed for its tests.
#ifndef NEARDUP_INPUT_INTERNAL_H_
#define NEARDUP_INPUT_INTERNAL_H_

#include <simdjson.h>
#include <sys/types.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/status/statusor.h"
#include "neardup/input.h"

namespace neardup {

class ByteSource;
class LineReader;

// What is wrong with a file or a JSON Lines record, and what the user can
// do about it.
struct Problem {
  std::string what;
  std::string advice;
};

// A file as the kernel knows it, so that two names of it compare equal.
struct FileId {
  dev_t device = 0;
  ino_t inode = 0;
  friend bool operator==(const FileId&, const FileId&) = default;
  template <typename H>
  friend H AbslHashValue(H h, const FileId& id) {
    return H::combine(std::move(h), id.device, id.inode);
  }
};

// One file (or standard input) to read, or a piece of one.
struct Source {
  static constexpr uint64_t kToEnd = ~uint64_t{0};

  std::string name;  // the path to open, used in ids and messages; "-": stdin
  int dir = -1;      // index into InputListing::dirs, or -1 if named
  // A piece of an uncompressed JSON Lines file (see FilePiece) holds the
  // lines that start in the bytes [begin, end); the whole file is
  // [0, kToEnd).
  uint64_t begin = 0;
  uint64_t end = kToEnd;

  bool whole() const { return begin == 0 && end == kToEnd; }
};

struct Directory {
  std::string name;
  size_t usable = 0;  // files that yielded at least one record
};

// input_listing.cc: the files the named paths stand for.
struct InputListing {
  std::vector<Source> sources;
  std::vector<Directory> dirs;
  absl::flat_hash_set<FileId> files;  // every source's file
  std::vector<InputWarning> warnings;
  size_t skipped_files = 0;
  size_t repeated_files = 0;
};

// Lists `paths` into *listing: "-" reads `stdin_file`; directories are
// walked (sorted, hidden names left out, links followed); a file reached a
// second time is left out with a warning; FIFOs, sockets, devices, dangling
// links, unreadable files and unlistable subdirectories under a directory
// are skipped with a warning. A named path that is missing or unreadable,
// and a directory that cannot be listed or holds no file, is an error.
absl::Status ListInputs(std::vector<std::string> paths, std::FILE* stdin_file,
                        InputListing* listing);

// What the reading steps share: the options, the counts and warnings they
// add to, and the skip policy.
struct ReadContext {
  explicit ReadContext(const InputOptions& o) : options(o) {}

  InputOptions options;
  InputStats stats;
  std::vector<InputWarning> warnings;

  // input.cc: a file named by the user that holds no document is an error;
  // one found under a directory is skipped with a warning and counted.
  absl::Status SkipOrReject(const Source& source, const Problem& problem);

  // input_text.cc: invalid UTF-8 in the text file `text`, read at `origin`
  // (named with the line of its first bad byte), is counted with a warning,
  // or refused with options.strict_utf8. (A JSON Lines text needs no check:
  // simdjson validates the line.)
  absl::Status CheckText(const std::string& origin, std::string_view text);
};

inline constexpr std::string_view kTextAdvice =
    "give UTF-8 text files or JSON Lines (.jsonl) files";

// A regular file whose name says gzip or zstd and which holds at least this
// many bytes is decompressed on a thread of its own (PrefetchingSource),
// ahead of the thread that splits and parses its lines: on SaudiNewsNet
// zstd is two thirds of the reading thread's time. Smaller files are not
// worth a thread. A variable only so that a test can lower it.
inline uint64_t input_prefetch_min_bytes = uint64_t{1} << 20;

// input_detect.cc: opens `source` ("-": `stdin_file`), decompressing it if
// its name or its first bytes say so, and sets *jsonl to whether it is read
// as JSON Lines (see InputFormat).
absl::StatusOr<std::unique_ptr<ByteSource>> OpenSource(const Source& source,
                                                       std::FILE* stdin_file,
                                                       ReadContext* context,
                                                       bool* jsonl);

// Bytes that cannot be UTF-8 text: a UTF-16 byte order mark at the start
// of `head` (tested first: UTF-16 is full of NULs), or a NUL byte, found at
// `nul` (npos: none).
std::optional<Problem> NotUtf8Text(std::string_view head, size_t nul);

// True if `name`, compression suffix left out, ends in ".json" (any case).
bool IsJsonName(std::string_view name);

// input_text.cc: the whole of `bytes` as one document with the source's
// path as id. Returns false if the file was skipped (empty, binary, UTF-16,
// a name that is not UTF-8 with strict_utf8), an error if it is refused.
absl::StatusOr<bool> ReadTextFile(const Source& source, ByteSource* bytes,
                                  ReadContext* context, InputRecord* record);

// input_jsonl.cc: one JSON Lines line to a record.
class JsonlParser {
 public:
  explicit JsonlParser(const InputOptions& options) : options_(options) {}

  // Parses `line` (its "\r" kept, BOM removed) into record->text and
  // record->id; record->origin, already set, is "path:line", the id of a
  // record without one.
  // On success, line() is the line as a tool should copy it (repaired if
  // repaired_bytes() or lone_surrogates() > 0).
  std::optional<Problem> Parse(std::string* line, InputRecord* record);
  size_t repaired_bytes() const { return repaired_bytes_; }
  // \uD800-\uDFFF escapes without their other half, read as U+FFFD.
  size_t lone_surrogates() const { return lone_surrogates_; }
  std::string_view line() const { return line_; }

 private:
  const InputOptions& options_;
  simdjson::dom::parser parser_;
  std::string repaired_;
  size_t repaired_bytes_ = 0;
  std::string_view line_;
  std::string quoted_;  // the line with its out-of-range numbers quoted
  size_t lone_surrogates_ = 0;
  std::string surrogates_fixed_;  // the line with them as \ufffd
};

// input_jsonl.cc: the records of one JSON Lines file, in order. Blank lines
// are passed over; a bad line is an error, or skipped and counted with
// options.skip_bad; a file that is not JSON Lines at all (binary, UTF-16, a
// JSON array, pretty-printed JSON) or holds no record is refused as a whole
// through SkipOrReject.
class JsonlFileReader {
 public:
  // `parser` and `context` are not owned and must outlive the reader.
  JsonlFileReader(const Source& source, std::unique_ptr<ByteSource> bytes,
                  JsonlParser* parser, ReadContext* context);
  ~JsonlFileReader();

  // The next record (and, if `line` is not null, its line as a tool should
  // copy it: see JsonlParser::line()); false at the end of the file.
  absl::StatusOr<bool> Next(InputRecord* record, std::string* line);

  // Records returned so far.
  size_t records() const { return records_; }

 private:
  void CountBytes();
  std::optional<Problem> NotJsonLines() const;
  absl::StatusOr<bool> AtEnd();
  absl::StatusOr<bool> SkipToPiece();

  const Source& source_;
  std::unique_ptr<LineReader> lines_;
  JsonlParser* parser_;
  ReadContext* context_;
  uint64_t line_number_ = 0;
  size_t records_ = 0;
  bool nonblank_seen_ = false;  // a line that is not blank came before
  bool in_piece_ = false;       // lines before source_.begin are passed
  uint64_t bytes_counted_ = 0;  // of the bytes read, already in stats
  std::string raw_;             // the line being parsed
};

// The warning about the first record, read at `origin`, whose `id` an
// earlier record has.
InputWarning RepeatedIdWarning(std::string_view id, std::string_view origin);

// `line` into `out` with each \u escape of a surrogate that is not half of
// a pair written \ufffd; returns how many. Offsets into the unescaped
// text do not move: a lone surrogate and U+FFFD are one code point and
// three bytes each.
size_t ReplaceLoneSurrogateEscapes(std::string_view line, std::string* out);

// True if `line` (after blanks) holds one JSON object.
bool IsJsonObjectLine(std::string_view line);

// "1 byte", "3 bytes".
std::string Bytes(size_t n);

// One file of a listing, or the lines of it that start in a byte range.
struct FilePiece {
  size_t source = 0;  // index into InputListing::sources
  uint64_t begin = 0;
  uint64_t end = Source::kToEnd;
};

// What one of several processes reads of a listing. A file cut into pieces
// (JSON Lines only, uncompressed: see SplittableJsonl) is read by each
// piece's process as one process reads it: a piece that starts past byte 0
// first reads the lines before it, only to count them (so origins are the
// same "path:line") and to see the file's head, and yields the lines that
// start in it. What belongs to the whole file is done once: it is counted
// in `files` by the piece at byte 0; a file refused for its first line (a
// NUL byte, UTF-16, a JSON array, not JSON Lines) is refused, warned about
// and counted by the piece holding that line, and one of blank lines only
// by its last piece; the other pieces yield nothing. Every line is read by
// exactly one piece, so `bytes`, `stored_bytes`, bad lines and invalid
// UTF-8 add up over the pieces to one process's counts.
struct InputShare {
  // In listing order; a source at most once.
  std::vector<FilePiece> pieces;
  // Keep the listing's warnings and counts (skipped and repeated files):
  // true for exactly one share, so that they are reported once.
  bool listing_counts = false;
  // Count repeated ids (InputStats::repeated_ids, with a warning); false
  // when the caller counts them over all shares.
  bool count_ids = true;
  // Make a directory none of whose files (pieces) in this share gave a
  // record an error; false when the caller checks over all shares
  // (InputReaderInternal::Progress).
  bool check_dirs = true;
};

// Where a share's reader is (InputReaderInternal::Progress).
struct ShareProgress {
  // The listing index of the source being read: where an error stopped the
  // reading.
  size_t source = 0;
  // Per directory of the listing: the files (pieces) read that gave a
  // record.
  std::vector<size_t> usable;
};

// The error of a directory whose files gave no record.
absl::Status NoUsableFilesError(std::string_view dir);

// True if the file `source` names may be cut into pieces: a regular file
// of at least `min_size` bytes, uncompressed (neither its name nor its
// first bytes say gzip or zstd: a compressed stream cannot be entered in
// its middle), read as JSON Lines by its name (.jsonl, .ndjson, .json) or
// by options.format. Sets *size to the file's size if it is a regular
// file (its first bytes are read only if it is large enough).
bool SplittableJsonl(const Source& source, const InputOptions& options,
                     uint64_t min_size, uint64_t* size);

struct InputReaderInternal {
  // Like InputReader::Open, but the path "-" reads `stdin_file` (not owned;
  // it must outlive the reader) instead of the process's standard input.
  static absl::StatusOr<std::unique_ptr<InputReader>> Open(
      std::vector<std::string> paths, const InputOptions& options,
      std::FILE* stdin_file);

  // Like InputReader::Open, but reads only `share`'s pieces of the listing
  // ListInputs makes of `paths`: one share of the input when several
  // processes divide it (mpi/). See InputShare.
  static absl::StatusOr<std::unique_ptr<InputReader>> OpenShare(
      std::vector<std::string> paths, const InputOptions& options,
      const InputShare& share);

  // Where `reader` (opened by OpenShare) is.
  static ShareProgress Progress(const InputReader& reader);

  // The rest of Open and OpenShare once the listing is made.
  static std::unique_ptr<InputReader> Finish(
      std::unique_ptr<InputReader::Rep> rep);
};

struct Utf8Check {
  // Bytes that are not part of a well-formed UTF-8 sequence; each maximal
  // ill-formed subpart of them (see DecodeUtf8) is read as one U+FFFD.
  size_t invalid_bytes = 0;
  // Offset of the first such byte, or the text's size if there is none.
  size_t first_invalid = 0;
};

Utf8Check CheckUtf8(std::string_view text);

}  // namespace neardup

#endif  // NEARDUP_INPUT_INTERNAL_H_
