// neardup input: turns the paths a user names into a deterministic stream of
// documents.
//
// Paths may be text files (one document each), JSON Lines files (one
// document per line), directories (searched recursively) or "-" for standard
// input. Gzip and zstd data is decompressed while it is read (recognised by
// a .gz or .zst suffix, any case, or by its first bytes). JSON Lines files
// are streamed, so they may be larger than memory.
#ifndef NEARDUP_INPUT_H_
#define NEARDUP_INPUT_H_

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace neardup {

// How the reader tells JSON Lines from text.
enum class InputFormat {
  // A name ending in .jsonl, .ndjson or .json (any case, before a .gz or
  // .zst suffix) is JSON Lines; any other file, and standard input, is JSON
  // Lines if its first non-blank line is a JSON object, else text. A file
  // whose name does not say JSON Lines but is read as such gets a warning.
  kAuto,
  kText,   // every input is one text document
  kJsonl,  // every input is JSON Lines
};

struct InputOptions {
  // Default: InputFormat::kAuto.
  InputFormat format = InputFormat::kAuto;
  // JSON Lines field holding a record's text. Default: "text".
  std::string text_field = "text";
  // JSON Lines field holding a record's id (a string or an integer; null
  // counts as absent). Default: "id".
  std::string id_field = "id";
  // If false, a record without id_field gets the id "path:line"; if true,
  // it is a malformed record (see skip_bad). Default: false.
  bool id_required = false;
  // What invalid UTF-8 (bytes that are not well-formed UTF-8) does.
  // If false, it is a warning naming the file and line: a text file's text
  // is returned unchanged (the analysis reads each maximal ill-formed
  // subpart as one U+FFFD); a JSON Lines line is parsed with each maximal
  // ill-formed subpart replaced by U+FFFD (see InputRecord::text).
  // If true, a text file holding it is an error, and a JSON Lines line
  // holding it is a malformed record (see skip_bad). Default: false.
  bool strict_utf8 = false;
  // A file name that is not valid UTF-8 is, if false, read with U+FFFD in
  // the id (a warning); if true, an error (a skipped file under a
  // directory).
  // If true, a malformed JSON Lines record (invalid JSON, missing or
  // non-string text, missing (id_required) or bad id, invalid UTF-8 with
  // strict_utf8) is skipped with a warning; if false it is an error.
  // Repeated ids are not malformed: records are told apart by their origin.
  // Default: false.
  bool skip_bad = false;
};

struct InputRecord {
  // Text file: the path as given; for a file found under a directory, the
  // directory as given joined to the file's relative path with one '/'
  // ("corpus/a/000.txt"), with invalid UTF-8 replaced by U+FFFD. JSON Lines:
  // the id field (a number as its JSON text), else "path:line". Standard
  // input as text: "-". Always valid UTF-8; not necessarily unique.
  std::string id;
  // Text file: the file's bytes, unchanged (a byte order mark is kept, so
  // offsets are into the file). JSON Lines: the unescaped string value. If
  // the line held invalid UTF-8 (and strict_utf8 is false), the value is
  // read from a copy of the line in which each maximal ill-formed subpart is
  // replaced by U+FFFD (3 bytes): byte offsets are then into this repaired
  // text, while code point offsets are the same as into the original bytes,
  // which neardup reads with one code point per ill-formed subpart.
  std::string text;
  // Where the record came from: "path" or "path:line". Unique per record.
  std::string origin;
};

struct InputWarning {
  // What a caller may treat in its own way; most warnings are kOther.
  enum class Kind {
    kOther,
    // The first record whose id an earlier record has (further repeats are
    // only counted, in InputStats::repeated_ids). The message ends with
    // kRepeatedIdFate, what became of it: a caller that keeps one record
    // per id says instead what it did.
    kRepeatedId,
  };
  std::string origin;   // "path" or "path:line"
  std::string message;  // what happened, without the origin
  Kind kind = Kind::kOther;
};

// How a kRepeatedId warning ends.
inline constexpr std::string_view kRepeatedIdFate =
    "; records are told apart by their origin (path:line), and further "
    "repeats are only counted";

struct InputStats {
  size_t files = 0;    // files opened, standard input included
  size_t records = 0;  // records returned by Next()
  size_t bytes = 0;    // bytes read, after decompression
  // Bytes read as stored, before decompression: with total_stored_bytes,
  // how far through its input the reader is.
  size_t stored_bytes = 0;
  // The sizes of all the files to read, added up when the reader opens; 0
  // when that is not known (standard input, a pipe).
  size_t total_stored_bytes = 0;
  // Files found under a directory and skipped with a warning: empty,
  // binary (a NUL byte), UTF-16, JSON Lines without a record, a JSON array,
  // unreadable, not a regular file (FIFO, socket, device), a dangling link,
  // a subdirectory that cannot be listed.
  size_t skipped_files = 0;
  // Files reached a second time (named twice, or through a link): each file
  // (device and inode) is read once, where it is first reached.
  size_t repeated_files = 0;
  // Records whose id an earlier record already had.
  size_t repeated_ids = 0;
  size_t skipped_bad = 0;  // bad JSON Lines records skipped (skip_bad)
  // Records read despite invalid UTF-8 (strict_utf8 false): text files
  // holding it, and JSON Lines records whose line held it and was repaired.
  size_t invalid_utf8 = 0;
};

// Reads documents from files, directories and standard input, in order:
// paths in the order given; under a directory, files in byte-wise order of
// their relative paths, hidden files and directories (".name") left out,
// links followed. Each file is read once, however often it is reached.
// A file that holds no document (empty, binary: a NUL byte in the first 64
// KiB or in a JSON Lines file's first line, UTF-16, JSON Lines without a
// record, a JSON array) or cannot be read is an error when named, and
// skipped with a warning (counted in InputStats::skipped_files) when found
// under a directory, as are FIFOs, sockets, devices, dangling links and
// subdirectories that cannot be listed; a directory without any usable
// file is an error.
//
// Messages name the InputOptions field that changes the outcome
// ("set InputOptions::skip_bad"); a program may map them to its flags.
//
// Not thread-safe.
class InputReader {
 public:
  // Lists directories and checks that every path exists and is readable.
  // The error message names the path.
  static absl::StatusOr<std::unique_ptr<InputReader>> Open(
      std::vector<std::string> paths, const InputOptions& options = {});

  InputReader(const InputReader&) = delete;
  InputReader& operator=(const InputReader&) = delete;
  ~InputReader();

  // Stores the next record in *record and returns true, or returns false at
  // the end of the input. Error messages read "origin: what is wrong — what
  // to do"; truncated or corrupt compressed data is absl::DataLossError. A
  // read interrupted by a signal whose handler was installed without
  // SA_RESTART (how a program asks a blocked read to give up) is
  // absl::CancelledError. After an error, every later call returns the same
  // error.
  //
  // If `line` is not null, it receives the JSON Lines line the record was
  // parsed from, without its "\n" or a leading byte order mark, with invalid
  // UTF-8 replaced by U+FFFD (so it is valid UTF-8); for a text document it
  // is set empty. For tools that copy records through unchanged.
  absl::StatusOr<bool> Next(InputRecord* record, std::string* line = nullptr);

  // True if `path` (links resolved) is, by device and inode, a file this
  // reader reads, standard input included. For refusing to overwrite an
  // input; false if `path` does not exist.
  bool Reads(const std::string& path) const;

  // Returns the warnings gathered since the last call, oldest first.
  std::vector<InputWarning> TakeWarnings();

  const InputStats& stats() const;

 private:
  struct Rep;
  friend struct InputReaderInternal;

  explicit InputReader(std::unique_ptr<Rep> rep);

  std::unique_ptr<Rep> rep_;
};

}  // namespace neardup

#endif  // NEARDUP_INPUT_H_
