// Writing a list of buffers to a file descriptor with writev/pwritev.
#ifndef NEARDUP_SRC_WRITE_VECTORS_H_
#define NEARDUP_SRC_WRITE_VECTORS_H_

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

}  // namespace neardup

#endif  // NEARDUP_SRC_WRITE_VECTORS_H_
