// Output files that appear whole or not at all: written to a temporary file
// beside the destination and renamed over it only when complete.
#ifndef NEARDUP_CLI_ATOMIC_FILE_H_
#define NEARDUP_CLI_ATOMIC_FILE_H_

#include <condition_variable>
#include <cstdio>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "neardup/input.h"

namespace neardup::cli {

// "what: strerror(errno)".
std::string ErrnoMessage(const std::string& what);

// Flushes standard output; false if that or any write to it before failed
// (a line-buffered or unbuffered write that failed leaves nothing for
// fflush to fail on, only the error indicator).
bool StdoutWritten();

// A file written as TARGET.tmp-XXXXXX and renamed to TARGET by Commit(),
// where TARGET is `path` with symbolic links followed (the link is written
// through, not replaced); removed if never committed, also by a second
// Ctrl-C (see interrupt.h). An existing target keeps its permissions. A
// target that is a device or a FIFO (/dev/null, /dev/stdout, a named pipe)
// is written in place; a directory is refused.
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
  const std::string& path() const { return path_; }

  // Closes and removes the temporary file.
  absl::Status Discard();

  // Flushes, fsyncs and closes: a power cut after Commit() cannot leave an
  // empty or partial file under the destination's name.
  absl::Status Close();

  // Renames the closed temporary file to the destination and fsyncs the
  // directory (best effort), so that the rename survives a power cut.
  absl::Status Commit();

 private:
  void Forget();

  std::string path_;    // as given, for messages
  std::string target_;  // path_ with links followed
  std::string temp_path_;
  int slot_ = -1;
  FILE* file_ = nullptr;
  bool direct_ = false;  // a device or FIFO, written in place
};

// Flushes a regular file's data to disk (fdatasync) on a thread of its own
// whenever asked, while the file is still being written, so that the fsync
// that completes it has less left to wait for. On the virtual disks
// measured here an fsync's time is mostly the host's flush of what was
// written (~50 ms for 97 MB, even with the pages written back before it),
// so flushing as the writing goes hides most of it behind the writing.
// The first failure is kept and must fail the write: the kernel reports a
// write-back error to one sync call only, so the final fsync would not.
class BackgroundSync {
 public:
  // Does nothing unless fd is a regular file. REQUIRES: fd stays open
  // until Finish().
  explicit BackgroundSync(int fd);
  BackgroundSync(const BackgroundSync&) = delete;
  BackgroundSync& operator=(const BackgroundSync&) = delete;
  ~BackgroundSync();

  // Asks for a sync of what is written so far, and returns at once; asked
  // again while one runs, one more follows it.
  void Request();

  // Waits for the sync asked for last (if any) and ends the thread.
  // Returns 0, or the errno of the first sync that failed.
  int Finish();

 private:
  void Run();

  const int fd_;
  std::mutex mu_;
  std::condition_variable asked_;
  bool requested_ = false;  // guarded by mu_
  bool finish_ = false;     // guarded by mu_
  int error_ = 0;           // the thread's, read after joining it
  std::thread thread_;
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

// `path` with symbolic links followed, also when the last one dangles (its
// target is then the file to create). Gives up after 40 links.
std::string ResolveLinks(const std::string& path);

// An output file and the flag that names it, for messages.
struct OutputPath {
  std::string flag;  // "--output"
  std::string path;  // "" or "-": standard output, never refused
};

// Refuses (absl::InvalidArgumentError naming both) two outputs that are the
// same file: by device and inode when it exists, else by path with links
// followed.
absl::Status CheckDistinctOutputs(const std::vector<OutputPath>& outputs);

// Refuses an output that `reader` reads (an input would be overwritten).
absl::Status CheckNotAnInput(const OutputPath& output,
                             const InputReader& reader);

// Refuses an output that is the file `input` (the argument of `input_flag`,
// e.g. "--boilerplate"), or lies inside it if it is a directory (as
// --lexicon DIR), by device and inode after following links.
absl::Status CheckNotAnInput(const OutputPath& output,
                             const std::string& input_flag,
                             const std::string& input);

}  // namespace neardup::cli

#endif  // NEARDUP_CLI_ATOMIC_FILE_H_
