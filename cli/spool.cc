#include "spool.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "atomic_file.h"
#include "file_io.h"
#include "text_escape.h"

namespace neardup::cli {

void AppendDocumentLine(std::string_view id, std::string_view text,
                        std::string* line) {
  *line += "{\"id\":";
  AppendJsonString(id, line);
  *line += ",\"text\":";
  AppendJsonString(text, line);
  *line += '}';
}

void Spool::Close() {
  if (file_ != nullptr) std::fclose(file_);
  file_ = nullptr;
}

absl::Status Spool::Open() {
  const char* tmpdir = std::getenv("TMPDIR");
  std::string path =
      std::string(tmpdir != nullptr && tmpdir[0] != '\0' ? tmpdir : "/tmp") +
      "/neardup-spool-XXXXXX";
  const int fd = mkstemp(path.data());
  if (fd < 0) {
    return absl::InternalError(
        ErrnoMessage("cannot create a temporary file (set TMPDIR to a writable "
                     "directory)"));
  }
  unlink(path.c_str());
  file_ = fdopen(fd, "w+");
  if (file_ == nullptr) {
    close(fd);
    return absl::InternalError(ErrnoMessage("cannot open the spool file"));
  }
  // With stdio's 4 KiB buffer, spooling SaudiNewsNet's 96 MB took 23,000
  // write() calls; 1 MiB makes it ~100. (Failure keeps the default buffer.)
  constexpr size_t kBufferSize = size_t{1} << 20;
  buffer_ = std::make_unique_for_overwrite<char[]>(kBufferSize);
  std::setvbuf(file_, buffer_.get(), _IOFBF, kBufferSize);
  return absl::OkStatus();
}

absl::Status Spool::Append(std::string_view line) {
  if (std::fwrite(line.data(), 1, line.size(), file_) != line.size() ||
      std::fputc('\n', file_) == EOF) {
    return absl::InternalError(ErrnoMessage(
        "cannot write the temporary spool file (set TMPDIR to a directory "
        "with space)"));
  }
  size_ += line.size() + 1;
  ends_.push_back(size_);
  return absl::OkStatus();
}

absl::Status Spool::AppendLines(absl::Span<const std::string_view> lines) {
  if (std::fflush(file_) != 0) {
    return absl::InternalError(ErrnoMessage("cannot write the spool file"));
  }
  static const char kNewline = '\n';
  // Two iovecs a line, at most IOV_MAX (1024) a call.
  constexpr size_t kLinesPerCall = 512;
  iovec vectors[2 * kLinesPerCall];
  for (size_t first = 0; first < lines.size(); first += kLinesPerCall) {
    const size_t count = std::min(kLinesPerCall, lines.size() - first);
    for (size_t i = 0; i < count; ++i) {
      const std::string_view line = lines[first + i];
      vectors[2 * i] = {const_cast<char*>(line.data()), line.size()};
      vectors[2 * i + 1] = {const_cast<char*>(&kNewline), 1};
      size_ += line.size() + 1;
      ends_.push_back(size_);
    }
    if (const int error = WriteVectors(fileno(file_), vectors, 2 * count, -1);
        error != 0) {
      errno = error;
      return absl::InternalError(
          ErrnoMessage("cannot write the temporary spool file (set TMPDIR to "
                       "a directory with space)"));
    }
  }
  return absl::OkStatus();
}

absl::Status Spool::ReadLine(size_t i, std::string* line) {
  if (std::fflush(file_) != 0) {
    return absl::InternalError(ErrnoMessage("cannot write the spool file"));
  }
  const uint64_t begin = i == 0 ? 0 : ends_[i - 1];
  line->resize(ends_[i] - begin - 1);
  if (const int error = ReadFullAt(fileno(file_), line->data(), line->size(),
                                   static_cast<off_t>(begin));
      error != 0) {
    errno = error;
    return absl::InternalError(ErrnoMessage("cannot read back the spool file"));
  }
  return absl::OkStatus();
}

// A run of consecutive kept lines: `bytes` bytes from offset `from` in the
// spool to offset `to` in the output.
struct Piece {
  off_t from;
  off_t to;
  size_t bytes;
};

// Copies pieces (in order of `from`, as CopyLines makes them) through a
// buffer: the spool is read a span at a time (up to kSpan bytes, from a
// piece's start through the pieces after it while the gaps between them,
// the lines left out, are small), and the parts of the pieces in the span
// are written with one pwritev() (or writev()). With `at_offsets`, each piece
// goes to its own offset `to` (the file position is not used) and the
// writeback of what was written starts every 8 MiB; else the pieces go in
// order to where out_fd is (a pipe, a device, a file opened for appending).
// (One copy_file_range() a piece cost ~40 us a call here beyond the copy
// itself: 50 ms on two threads for the 1,908 pieces of SaudiNewsNet's kept
// lines, where one call for the whole 97 MB takes 18 ms; this makes ~110
// pread() and pwritev() calls.) Copy() may be called again with the pieces
// that follow: the writeback goes on where it was.
class PieceCopier {
 public:
  PieceCopier(int in_fd, int out_fd, std::string_view out_name, bool at_offsets)
      : in_fd_(in_fd),
        out_fd_(out_fd),
        out_name_(out_name),
        at_offsets_(at_offsets),
        buffer_(std::make_unique_for_overwrite<char[]>(kSpan)) {}

  absl::Status Copy(const std::vector<Piece>& pieces);
  bool at_offsets() const { return at_offsets_; }

 private:
  static constexpr size_t kSpan = size_t{1} << 20;
  static constexpr off_t kWriteback = off_t{8} << 20;

  const int in_fd_;
  const int out_fd_;
  const std::string out_name_;
  const bool at_offsets_;
  const std::unique_ptr<char[]> buffer_;
  std::vector<iovec> vectors_;
  off_t unsynced_from_ = -1;  // where writeback is not started yet
};

absl::Status PieceCopier::Copy(const std::vector<Piece>& pieces) {
  char* const buffer = buffer_.get();
  if (unsynced_from_ < 0 && !pieces.empty()) unsynced_from_ = pieces[0].to;
  size_t i = 0;     // the piece the next span starts in
  size_t done = 0;  // bytes of it already copied
  while (i < pieces.size()) {
    if (pieces[i].bytes == 0) {  // CopyLines' cut on a line boundary
      ++i;
      continue;
    }
    // The span: from where piece i is left, through the pieces after it
    // while it stays under kSpan and no gap is over a quarter of it.
    const off_t begin = pieces[i].from + static_cast<off_t>(done);
    off_t end =
        std::min<off_t>(pieces[i].from + static_cast<off_t>(pieces[i].bytes),
                        begin + static_cast<off_t>(kSpan));
    for (size_t j = i + 1; j < pieces.size(); ++j) {
      const off_t piece_end =
          pieces[j].from + static_cast<off_t>(pieces[j].bytes);
      if (pieces[j].from - end > static_cast<off_t>(kSpan / 4) ||
          piece_end - begin > static_cast<off_t>(kSpan)) {
        break;
      }
      end = piece_end;
    }
    // Read it whole.
    if (const int error =
            ReadFullAt(in_fd_, buffer, static_cast<size_t>(end - begin), begin);
        error != 0) {
      errno = error;
      return absl::InternalError(
          ErrnoMessage("cannot read back the spool file"));
    }
    // Write the parts of the pieces in it: consecutive in the output.
    vectors_.clear();
    const off_t to = pieces[i].to + static_cast<off_t>(done);
    off_t written_to = to;
    while (i < pieces.size() &&
           pieces[i].from + static_cast<off_t>(done) < end) {
      const off_t from = pieces[i].from + static_cast<off_t>(done);
      const off_t until = std::min<off_t>(
          pieces[i].from + static_cast<off_t>(pieces[i].bytes), end);
      vectors_.push_back(
          {buffer + (from - begin), static_cast<size_t>(until - from)});
      written_to += until - from;
      done += static_cast<size_t>(until - from);
      if (done == pieces[i].bytes) {
        ++i;
        done = 0;
      }
    }
    if (const int error = WriteVectors(out_fd_, vectors_.data(),
                                       vectors_.size(), at_offsets_ ? to : -1);
        error != 0) {
      errno = error;
      return absl::InternalError(ErrnoMessage("cannot write " + out_name_));
    }
    if (at_offsets_ && written_to - unsynced_from_ >= kWriteback) {
      // Best effort: the fsync() after it is what guarantees the data.
      sync_file_range(out_fd_, unsynced_from_, written_to - unsynced_from_,
                      SYNC_FILE_RANGE_WRITE);
      unsynced_from_ = written_to;
    }
  }
  return absl::OkStatus();
}

// Out of line: PieceCopier is complete here.
Spool::Spool() = default;
Spool::~Spool() { Close(); }

namespace {

absl::Status CopyPieces(int in_fd, int out_fd, std::string_view out_name,
                        const std::vector<Piece>& pieces, bool at_offsets) {
  return PieceCopier(in_fd, out_fd, out_name, at_offsets).Copy(pieces);
}

// Whether lines may be written at offsets into out_fd: a regular file not
// opened for appending (where pwrite() would append, in whichever order
// the threads run).
bool WritesAtOffsets(int out_fd) {
  struct stat out_stat;
  const int flags = fcntl(out_fd, F_GETFL);
  return fstat(out_fd, &out_stat) == 0 && S_ISREG(out_stat.st_mode) &&
         flags >= 0 && (flags & O_APPEND) == 0;
}

// Flushes the spool and `out` before a copy between their descriptors;
// sets *at_offsets (WritesAtOffsets) and *start, where the kept lines
// begin in `out`: its position, or 0 when they go in order.
absl::Status StartCopy(FILE* spool, FILE* out, std::string_view out_name,
                       bool* at_offsets, off_t* start) {
  if (std::fflush(spool) != 0) {
    return absl::InternalError(ErrnoMessage("cannot write the spool file"));
  }
  if (std::fflush(out) != 0) {
    return absl::InternalError(
        ErrnoMessage("cannot write " + std::string(out_name)));
  }
  *at_offsets = WritesAtOffsets(fileno(out));
  *start = *at_offsets ? lseek(fileno(out), 0, SEEK_CUR) : 0;
  if (*start < 0) {
    return absl::InternalError(
        ErrnoMessage("cannot seek in " + std::string(out_name)));
  }
  return absl::OkStatus();
}

// Appends to *pieces the runs of consecutive lines i in [first, last) with
// keep[i] (lines end at `ends`), placed in the output from *to on, and
// moves *to past them.
template <typename Keep>
void AddPieces(const Keep& keep, const std::vector<uint64_t>& ends,
               size_t first, size_t last, off_t* to,
               std::vector<Piece>* pieces) {
  for (size_t i = first; i < last;) {
    if (!keep[i]) {
      ++i;
      continue;
    }
    size_t j = i + 1;
    while (j < last && keep[j]) ++j;
    const uint64_t from = i == 0 ? 0 : ends[i - 1];
    const size_t bytes = ends[j - 1] - from;
    pieces->push_back({static_cast<off_t>(from), *to, bytes});
    *to += static_cast<off_t>(bytes);
    i = j;
  }
}

}  // namespace

absl::Status Spool::CopyLines(const std::vector<bool>& keep, FILE* out,
                              std::string_view out_name, size_t parallel_from) {
  bool regular;
  off_t start;
  if (absl::Status s = StartCopy(file_, out, out_name, &regular, &start);
      !s.ok()) {
    return s;
  }
  const int in_fd = fileno(file_);
  const int out_fd = fileno(out);
  std::vector<Piece> pieces;
  off_t to = start;
  AddPieces(keep, ends_, 0, ends_.size(), &to, &pieces);
  if (!regular) return CopyPieces(in_fd, out_fd, out_name, pieces, false);
  const size_t total = static_cast<size_t>(to - start);
  absl::Status status;
  if (total < parallel_from) {
    status = CopyPieces(in_fd, out_fd, out_name, pieces, true);
  } else {
    // Two threads, each copying half of the bytes (a piece cut in two at
    // the middle): the copy is CPU work of the kernel, ~0.5 ms a MB here.
    const off_t middle = start + static_cast<off_t>(total / 2);
    std::vector<Piece> second;
    size_t k = 0;
    while (pieces[k].to + static_cast<off_t>(pieces[k].bytes) <= middle) ++k;
    const size_t cut = static_cast<size_t>(middle - pieces[k].to);
    second.push_back({pieces[k].from + static_cast<off_t>(cut), middle,
                      pieces[k].bytes - cut});
    second.insert(second.end(), pieces.begin() + static_cast<ptrdiff_t>(k) + 1,
                  pieces.end());
    pieces.resize(k + 1);
    pieces[k].bytes = cut;
    absl::Status second_status;
    std::thread helper([&] {
      second_status = CopyPieces(in_fd, out_fd, out_name, second, true);
    });
    status = CopyPieces(in_fd, out_fd, out_name, pieces, true);
    helper.join();
    if (status.ok()) status = second_status;
  }
  if (status.ok() && lseek(out_fd, to, SEEK_SET) < 0) {
    status = absl::InternalError(ErrnoMessage("cannot seek"));
  }
  return status;
}

absl::Status Spool::BeginCopy(FILE* out, std::string_view out_name) {
  bool at_offsets;
  if (absl::Status s =
          StartCopy(file_, out, out_name, &at_offsets, &copy_from_);
      !s.ok()) {
    return s;
  }
  copy_fd_ = fileno(out);
  copy_to_ = copy_from_;
  copier_ = std::make_unique<PieceCopier>(fileno(file_), copy_fd_, out_name,
                                          at_offsets);
  copied_lines_ = 0;
  return absl::OkStatus();
}

absl::Status Spool::CopyUntil(const std::vector<uint8_t>& keep, size_t last) {
  std::vector<Piece> pieces;
  AddPieces(keep, ends_, copied_lines_, last, &copy_to_, &pieces);
  copied_lines_ = last;
  return copier_->Copy(pieces);
}

absl::Status Spool::EndCopy() {
  const bool at_offsets = copier_ != nullptr && copier_->at_offsets();
  copier_.reset();
  if (at_offsets && lseek(copy_fd_, copy_to_, SEEK_SET) < 0) {
    return absl::InternalError(ErrnoMessage("cannot seek"));
  }
  return absl::OkStatus();
}

}  // namespace neardup::cli
