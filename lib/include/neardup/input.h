// neardup input: turns the paths a user names into a deterministic stream of
// documents.
//
// Paths may be text files (one document each), JSON Lines files (one
// document per line), directories (searched recursively) or "-" for standard
// input. Names ending in .gz or .zst are decompressed while they are read,
// and the name without that suffix decides the format. JSON Lines files are
// streamed, so they may be larger than memory.
#ifndef NEARDUP_INPUT_H_
#define NEARDUP_INPUT_H_

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace neardup {

struct InputOptions {
  // JSON Lines field holding a record's text. Default: "text".
  std::string text_field = "text";
  // JSON Lines field holding a record's id (a string or a number). Records
  // without it get the id "path:line". Default: "id".
  std::string id_field = "id";
  // What invalid UTF-8 (bytes that are not well-formed UTF-8) does.
  // If false, it is a warning naming the file and line: a text file's text
  // is returned unchanged (the analysis reads each maximal ill-formed
  // subpart as one U+FFFD); a JSON Lines line is parsed with each maximal
  // ill-formed subpart replaced by U+FFFD (see InputRecord::text).
  // If true, a text file holding it is an error, and a JSON Lines line
  // holding it is a malformed record (see skip_bad). Default: false.
  bool strict_utf8 = false;
  // If true, a malformed JSON Lines record (invalid JSON, missing or
  // non-string text, bad or duplicate id, invalid UTF-8 with strict_utf8) is
  // skipped with a warning; if false it is an error. Default: false.
  bool skip_bad = false;
};

struct InputRecord {
  // Text file: the path as given; for a file found under a directory, the
  // directory as given joined to the file's relative path with one '/'
  // ("corpus/a/000.txt"). JSON Lines: the id field (a number as its JSON
  // text), else "path:line". Standard input as text: "-".
  std::string id;
  // Text file: the file's bytes, unchanged (a byte order mark is kept, so
  // offsets are into the file). JSON Lines: the unescaped string value. If
  // the line held invalid UTF-8 (and strict_utf8 is false), the value is
  // read from a copy of the line in which each maximal ill-formed subpart is
  // replaced by U+FFFD (3 bytes): byte offsets are then into this repaired
  // text, while code point offsets are the same as into the original bytes,
  // which neardup reads with one code point per ill-formed subpart.
  std::string text;
  // Where the record came from, for messages: "path" or "path:line".
  std::string origin;
  // JSON Lines: the line's bytes without its "\n", as read (never repaired;
  // a "\r" before the "\n" is kept, so raw + "\n" is the line byte for
  // byte). Text: empty.
  std::string raw;
  bool from_jsonl = false;
};

struct InputWarning {
  std::string origin;   // "path" or "path:line"
  std::string message;  // what happened, without the origin
};

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
  // binary (a NUL byte), UTF-16, or JSON Lines without a record.
  size_t skipped_files = 0;
  size_t skipped_bad = 0;  // bad JSON Lines records skipped (skip_bad)
  // Records read despite invalid UTF-8 (strict_utf8 false): text files
  // holding it, and JSON Lines records whose line held it and was repaired.
  size_t invalid_utf8 = 0;
};

// Reads documents from files, directories and standard input, in order:
// paths in the order given; under a directory, files in byte-wise order of
// their relative paths, hidden files and directories (".name") left out.
// A file that holds no document (empty, binary: a NUL byte in the first 64
// KiB or in a JSON Lines file's first line, UTF-16, or JSON Lines without a
// record) is an error when named, and skipped with a warning (counted in
// InputStats::skipped_files) when found under a directory; a directory
// without any usable file is an error.
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
  absl::StatusOr<bool> Next(InputRecord* record);

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
