// Whole reads and writes at file descriptors: a list of buffers written with
// writev/pwritev, a range read with pread, short transfers resumed and EINTR
// retried.
#ifndef NEARDUP_SRC_FILE_IO_H_
#define NEARDUP_SRC_FILE_IO_H_

#include <sys/types.h>
#include <sys/uio.h>

#include <cstddef>

namespace neardup {

// Writes the buffers vectors[0, count) to fd in order: at `offset` with
// pwritev(), or at the file position with writev() if offset < 0. At most
// IOV_MAX buffers a call; after a short write it resumes inside the buffer
// where the write stopped (editing `vectors` to do so); EINTR is retried.
// Returns 0, or the errno of the call that failed (EIO if one wrote
// nothing).
int WriteVectors(int fd, iovec* vectors, size_t count, off_t offset);

// Reads bytes [offset, offset + n) of fd into dst with pread(), resuming
// after a short read and retrying EINTR. Returns 0, or the errno of the call
// that failed (EIO if the file ends first).
int ReadFullAt(int fd, void* dst, size_t n, off_t offset);

}  // namespace neardup

#endif  // NEARDUP_SRC_FILE_IO_H_
