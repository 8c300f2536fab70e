// A temporary file holding one line per document, of which some are copied
// to an output at the end: how dedup keeps texts out of memory.
#ifndef NEARDUP_CLI_SPOOL_H_
#define NEARDUP_CLI_SPOOL_H_

#include <sys/types.h>

#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/types/span.h"

namespace neardup::cli {

class PieceCopier;  // spool.cc

// Appends the output line of a document that has no JSONL line of its own
// (from a text file, or repaired): {"id":ID,"text":TEXT}, without "\n".
void AppendDocumentLine(std::string_view id, std::string_view text,
                        std::string* line);

// A file holding every document's output line, unlinked as soon as it is
// created (in $TMPDIR, else /tmp), so nothing is left behind.
class Spool {
 public:
  static constexpr size_t kParallelCopyBytes = size_t{16} << 20;

  Spool();
  Spool(const Spool&) = delete;
  Spool& operator=(const Spool&) = delete;
  ~Spool();

  absl::Status Open();

  // Appends `line` and a "\n".
  absl::Status Append(std::string_view line);

  // Appends each of `lines` and a "\n" after each, with writev() straight
  // from the callers' buffers (no copy through the stdio buffer).
  absl::Status AppendLines(absl::Span<const std::string_view> lines);

  // Copies the lines i for which keep[i] is true to `out`, in order: the
  // spool is read through a 1 MiB buffer a span at a time (several runs of
  // consecutive kept lines, and the short gaps between them), and each
  // span's kept bytes are written with one pwritev() (a copy_file_range()
  // per run cost ~40 us a call: 1,908 runs for SaudiNewsNet).
  // Into a regular file, each run goes to its own offset: from
  // kParallelCopyBytes on, two threads copy half each, and the writeback of
  // what is copied starts every 8 MiB (sync_file_range), so that an fsync()
  // after it has little left to wait for. (`parallel_from` is there for
  // tests.)
  // `out_name` names `out` in messages.
  absl::Status CopyLines(const std::vector<bool>& keep, FILE* out,
                         std::string_view out_name,
                         size_t parallel_from = kParallelCopyBytes);

  // Copying as the lines' fate becomes known, in input order (dedup writes
  // KEPT while the rest of the documents are still being clustered):
  // BeginCopy(out), then CopyUntil(keep, last) with growing `last`, each
  // copying the lines i in [the previous last, last) for which keep[i] after
  // those copied before, then EndCopy(), which leaves out's position after
  // the last byte. Into a regular file each run of kept lines goes to its
  // offset and writeback starts every 8 MiB, as with CopyLines; else
  // (a pipe, a device, O_APPEND) in order at out's position. One thread.
  absl::Status BeginCopy(FILE* out, std::string_view out_name);
  absl::Status CopyUntil(const std::vector<uint8_t>& keep, size_t last);
  absl::Status EndCopy();
  // Bytes copied since BeginCopy.
  uint64_t copied_bytes() const {
    return static_cast<uint64_t>(copy_to_ - copy_from_);
  }

  // Closes the file (freeing its pages). Only the destructor may follow.
  void Close();

  // Line i, without its "\n", into *line. REQUIRES: i < lines().
  absl::Status ReadLine(size_t i, std::string* line);

  size_t lines() const { return ends_.size(); }

 private:
  // file_'s stdio buffer (1 MiB; stdio's own is 4 KiB, a write() per ~4 KB
  // of text). Declared first: it outlives file_, closed in ~Spool.
  std::unique_ptr<char[]> buffer_;
  FILE* file_ = nullptr;
  uint64_t size_ = 0;
  std::vector<uint64_t> ends_;
  // The copy between BeginCopy and EndCopy.
  std::unique_ptr<PieceCopier> copier_;
  int copy_fd_ = -1;
  size_t copied_lines_ = 0;
  off_t copy_from_ = 0;  // where the first kept line went
  off_t copy_to_ = 0;    // where the next kept line goes
};

}  // namespace neardup::cli

#endif  // NEARDUP_CLI_SPOOL_H_
