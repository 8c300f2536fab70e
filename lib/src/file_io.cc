#include "file_io.h"

#include <unistd.h>

#include <algorithm>
#include <cerrno>

namespace neardup {

int WriteVectors(int fd, iovec* vectors, size_t count, off_t offset) {
  constexpr size_t kMaxVectors = 1024;  // IOV_MAX on Linux
  iovec* next = vectors;
  size_t left = count;
  // Empty buffers at the front would make a call that writes nothing.
  while (left > 0 && next->iov_len == 0) {
    ++next;
    --left;
  }
  while (left > 0) {
    const int n_vectors = static_cast<int>(std::min(left, kMaxVectors));
    const ssize_t n = offset < 0 ? writev(fd, next, n_vectors)
                                 : pwritev(fd, next, n_vectors, offset);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return errno;
    if (n == 0) return EIO;
    if (offset >= 0) offset += n;
    // Skip what was written; a short write resumes inside a buffer.
    auto done = static_cast<size_t>(n);
    while (left > 0 && done >= next->iov_len) {
      done -= next->iov_len;
      ++next;
      --left;
    }
    if (done > 0) {
      next->iov_base = static_cast<char*>(next->iov_base) + done;
      next->iov_len -= done;
    }
    while (left > 0 && next->iov_len == 0) {
      ++next;
      --left;
    }
  }
  return 0;
}

int ReadFullAt(int fd, void* dst, size_t n, off_t offset) {
  auto* out = static_cast<char*>(dst);
  while (n > 0) {
    const ssize_t got = pread(fd, out, n, offset);
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) return errno;
    if (got == 0) return EIO;
    out += got;
    n -= static_cast<size_t>(got);
    offset += got;
  }
  return 0;
}

}  // namespace neardup
