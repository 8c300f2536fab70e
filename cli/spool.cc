#include "spool.h"

#include <fcntl.h>
#include <sys/uio.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>

#include "atomic_file.h"

namespace neardup::cli {

absl::Status WriteAll(int fd, std::string_view bytes) {
  while (!bytes.empty()) {
    const ssize_t n = write(fd, bytes.data(), bytes.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return absl::InternalError(ErrnoMessage("cannot write"));
    bytes.remove_prefix(static_cast<size_t>(n));
  }
  return absl::OkStatus();
}

Spool::~Spool() { Close(); }

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
    size_t bytes = 0;
    for (size_t i = 0; i < count; ++i) {
      const std::string_view line = lines[first + i];
      vectors[2 * i] = {const_cast<char*>(line.data()), line.size()};
      vectors[2 * i + 1] = {const_cast<char*>(&kNewline), 1};
      bytes += line.size() + 1;
      size_ += line.size() + 1;
      ends_.push_back(size_);
    }
    iovec* next = vectors;
    size_t left_vectors = 2 * count;
    while (bytes > 0) {
      const ssize_t n =
          writev(fileno(file_), next, static_cast<int>(left_vectors));
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {
        return absl::InternalError(ErrnoMessage(
            "cannot write the temporary spool file (set TMPDIR to a "
            "directory with space)"));
      }
      // A short write: skip what was written, resume inside a vector.
      size_t done = static_cast<size_t>(n);
      bytes -= done;
      while (left_vectors > 0 && done >= next->iov_len) {
        done -= next->iov_len;
        ++next;
        --left_vectors;
      }
      if (done > 0) {
        next->iov_base = static_cast<char*>(next->iov_base) + done;
        next->iov_len -= done;
      }
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
  size_t done = 0;
  while (done < line->size()) {
    const ssize_t n =
        pread(fileno(file_), line->data() + done, line->size() - done,
              static_cast<off_t>(begin + done));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      return absl::InternalError(
          ErrnoMessage("cannot read back the spool file"));
    }
    done += static_cast<size_t>(n);
  }
  return absl::OkStatus();
}

absl::Status Spool::CopyLines(const std::vector<bool>& keep, FILE* out) {
  if (std::fflush(file_) != 0 || std::fflush(out) != 0) {
    return absl::InternalError(ErrnoMessage("cannot write the output"));
  }
  const int in_fd = fileno(file_);
  const int out_fd = fileno(out);
  bool in_kernel = true;
  std::string buffer;
  // Writeback of what is copied starts every kWriteback bytes, so that the
  // disk writes while the rest is copied and the final fsync() waits for
  // little more than the last part. Best effort: a pipe or a device cannot.
  constexpr size_t kWriteback = size_t{8} << 20;
  size_t unsynced = 0;
  for (size_t i = 0; i < ends_.size();) {
    if (!keep[i]) {
      ++i;
      continue;
    }
    size_t j = i + 1;
    while (j < ends_.size() && keep[j]) ++j;
    off_t from = static_cast<off_t>(i == 0 ? 0 : ends_[i - 1]);
    size_t left = ends_[j - 1] - static_cast<uint64_t>(from);
    while (left > 0) {
      ssize_t n = -1;
      if (in_kernel) {
        n = copy_file_range(in_fd, &from, out_fd, nullptr, left, 0);
        if (n < 0 && errno != EINTR) {
          in_kernel = false;  // e.g. EXDEV, EINVAL, ENOSYS: copy by hand
          continue;
        }
      } else {
        buffer.resize(std::min<size_t>(left, size_t{4} << 20));
        n = pread(in_fd, buffer.data(), buffer.size(), from);
        if (n > 0) {
          if (absl::Status status =
                  WriteAll(out_fd, std::string_view(buffer.data(), n));
              !status.ok()) {
            return status;
          }
          from += n;
        }
      }
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {
        return absl::InternalError(
            ErrnoMessage("cannot copy from the spool file"));
      }
      left -= static_cast<size_t>(n);
      unsynced += static_cast<size_t>(n);
      if (unsynced >= kWriteback) {
        // From 0 to the end: pages already being written are skipped.
        sync_file_range(out_fd, 0, 0, SYNC_FILE_RANGE_WRITE);
        unsynced = 0;
      }
    }
    i = j;
  }
  return absl::OkStatus();
}

}  // namespace neardup::cli
