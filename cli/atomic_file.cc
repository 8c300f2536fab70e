#include "atomic_file.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <utility>

#include "interrupt.h"

namespace neardup::cli {

std::string ErrnoMessage(const std::string& what) {
  return what + ": " + std::strerror(errno);
}

AtomicFile::AtomicFile(std::string path) : path_(std::move(path)) {}

AtomicFile::~AtomicFile() {
  if (file_ != nullptr) std::fclose(file_);
  if (!temp_path_.empty()) unlink(temp_path_.c_str());
  Forget();
}

void AtomicFile::Forget() {
  UnregisterTempFile(slot_);
  slot_ = -1;
  temp_path_.clear();
}

absl::Status AtomicFile::Open() {
  temp_path_ = path_ + ".tmp-XXXXXX";
  const int fd = mkstemp(temp_path_.data());
  if (fd < 0) {
    temp_path_.clear();
    return absl::InternalError(
        ErrnoMessage("cannot create a file beside " + path_));
  }
  slot_ = RegisterTempFile(temp_path_.c_str());
  const mode_t mask = umask(0);
  umask(mask);
  fchmod(fd, 0666 & ~mask);
  file_ = fdopen(fd, "w");
  if (file_ == nullptr) {
    close(fd);
    return absl::InternalError(ErrnoMessage("cannot open " + temp_path_));
  }
  return absl::OkStatus();
}

absl::Status AtomicFile::CheckWritable() {
  absl::Status status = Open();
  if (status.ok()) status = Discard();
  return status;
}

absl::Status AtomicFile::Discard() {
  std::fclose(file_);
  file_ = nullptr;
  const bool removed = unlink(temp_path_.c_str()) == 0;
  const std::string temp_path = temp_path_;
  Forget();
  if (!removed) {
    return absl::InternalError(ErrnoMessage("cannot remove " + temp_path));
  }
  return absl::OkStatus();
}

absl::Status AtomicFile::Close() {
  const bool ok = !std::ferror(file_) && std::fflush(file_) == 0;
  const bool closed = std::fclose(file_) == 0;
  file_ = nullptr;
  if (!ok || !closed) {
    return absl::InternalError(ErrnoMessage("cannot write " + path_));
  }
  return absl::OkStatus();
}

absl::Status AtomicFile::Commit() {
  if (std::rename(temp_path_.c_str(), path_.c_str()) != 0) {
    return absl::InternalError(ErrnoMessage("cannot rename to " + path_));
  }
  Forget();
  return absl::OkStatus();
}

OutputFile::OutputFile(std::string path)
    : stdout_(path.empty() || path == "-"), atomic_(std::move(path)) {}

absl::Status OutputFile::CheckWritable() {
  return stdout_ ? absl::OkStatus() : atomic_.CheckWritable();
}

absl::Status OutputFile::Open() {
  return stdout_ ? absl::OkStatus() : atomic_.Open();
}

FILE* OutputFile::file() { return stdout_ ? stdout : atomic_.file(); }

absl::Status OutputFile::Finish() {
  if (stdout_) {
    if (std::fflush(stdout) != 0) {
      return absl::InternalError(ErrnoMessage("cannot write the output"));
    }
    return absl::OkStatus();
  }
  absl::Status status = atomic_.Close();
  if (status.ok()) status = atomic_.Commit();
  return status;
}

}  // namespace neardup::cli
