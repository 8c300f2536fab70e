// Output files that appear whole or not at all: written to a temporary file
// beside the destination and renamed over it only when complete.
#ifndef NEARDUP_CLI_ATOMIC_FILE_H_
#define NEARDUP_CLI_ATOMIC_FILE_H_

#include <cstdio>
#include <string>

#include "absl/status/status.h"

namespace neardup::cli {

// "what: strerror(errno)".
std::string ErrnoMessage(const std::string& what);

// A file written as `path`.tmp-XXXXXX and renamed to `path` by Commit();
// removed if never committed, also by a second Ctrl-C (see interrupt.h).
class AtomicFile {
 public:
  explicit AtomicFile(std::string path);
  ~AtomicFile();
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;

  // Creates the temporary file, with the permissions a new file would get.
  absl::Status Open();

  // Checks that the destination's directory takes a new file, leaving
  // nothing behind: Open() then Discard(). For a check before the work.
  absl::Status CheckWritable();

  FILE* file() { return file_; }

  // Closes and removes the temporary file.
  absl::Status Discard();

  // Flushes and closes. No fsync: the rename protects against a failing
  // neardup, not against a power cut, and syncing 100 MB costs more than
  // the whole clustering.
  absl::Status Close();

  // Renames the closed temporary file to the destination.
  absl::Status Commit();

 private:
  void Forget();

  std::string path_;
  std::string temp_path_;
  int slot_ = -1;
  FILE* file_ = nullptr;
};

// Where a command's results go: standard output when the path is empty or
// "-", else an AtomicFile.
class OutputFile {
 public:
  explicit OutputFile(std::string path);

  bool is_stdout() const { return stdout_; }

  // As AtomicFile::CheckWritable; nothing to check for standard output.
  absl::Status CheckWritable();
  absl::Status Open();
  FILE* file();
  // Flushes standard output, or closes and commits the file.
  absl::Status Finish();

 private:
  bool stdout_;
  AtomicFile atomic_;
};

}  // namespace neardup::cli

#endif  // NEARDUP_CLI_ATOMIC_FILE_H_
