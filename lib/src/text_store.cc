#include "text_store.h"

#include <fcntl.h>
#include <sys/types.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <utility>

#include "file_io.h"

namespace neardup {
namespace {

// Texts are written in pieces of at least this much.
constexpr size_t kWriteBytes = size_t{1} << 20;

absl::Status ErrnoError(const std::string& what) {
  return absl::InternalError(what + ": " + std::strerror(errno));
}

}  // namespace

absl::StatusOr<std::string_view> DocumentTexts::Read(
    size_t index, std::string* /*buffer*/) const {
  return std::string_view((*documents_)[index].text);
}

absl::StatusOr<std::unique_ptr<SpilledTexts>> SpilledTexts::Create(
    const std::string& directory) {
  std::string dir = directory;
  if (dir.empty()) {
    const char* tmpdir = std::getenv("TMPDIR");
    dir = tmpdir != nullptr && tmpdir[0] != '\0' ? tmpdir : "/tmp";
  }
  std::string path = dir + "/neardup-texts-XXXXXX";
  const int fd = mkostemp(path.data(), O_CLOEXEC);
  if (fd < 0) {
    return ErrnoError("cannot create a temporary file in " + dir +
                      " (set TMPDIR to a writable directory)");
  }
  // Unlinked at once: the file lives exactly as long as the descriptor.
  unlink(path.c_str());
  return std::unique_ptr<SpilledTexts>(new SpilledTexts(fd, std::move(dir)));
}

SpilledTexts::~SpilledTexts() { close(fd_); }

absl::Status SpilledTexts::Append(std::string_view text) {
  pending_.append(text);
  end_.push_back(written_ + pending_.size());
  return pending_.size() >= kWriteBytes ? Flush() : absl::OkStatus();
}

void SpilledTexts::Truncate(size_t count) {
  if (count >= end_.size()) return;
  end_.resize(count);
  const uint64_t end = bytes();
  if (end >= written_) {
    pending_.resize(end - written_);
  } else {  // the next text overwrites what was written after `end`
    written_ = end;
    pending_.clear();
  }
}

absl::Status SpilledTexts::Flush() {
  const char* data = pending_.data();
  size_t left = pending_.size();
  auto at = static_cast<off_t>(written_);
  while (left > 0) {
    const ssize_t n = pwrite(fd_, data, left, at);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      if (n == 0) errno = ENOSPC;
      return ErrnoError("cannot write the temporary text file in " +
                        directory_ + " (set TMPDIR to a directory with space)");
    }
    data += n;
    left -= static_cast<size_t>(n);
    at += n;
  }
  written_ += pending_.size();
  pending_.clear();
  // Keep the buffer unless one long text made it unusually large.
  if (pending_.capacity() > 4 * kWriteBytes) std::string().swap(pending_);
  return absl::OkStatus();
}

absl::StatusOr<std::string_view> SpilledTexts::Read(size_t index,
                                                    std::string* buffer) const {
  const uint64_t begin = index == 0 ? 0 : end_[index - 1];
  const uint64_t end = end_[index];
  if (begin >= written_) {  // still in the write buffer
    return std::string_view(pending_).substr(begin - written_, end - begin);
  }
  // A text is written whole by one Flush, so it is in the file entirely.
  buffer->resize(end - begin);
  if (const int error = ReadFullAt(fd_, buffer->data(), buffer->size(),
                                   static_cast<off_t>(begin));
      error != 0) {
    errno = error;
    return ErrnoError("cannot read the temporary text file in " + directory_);
  }
  return std::string_view(*buffer);
}

}  // namespace neardup
