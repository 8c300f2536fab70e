#include "atomic_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <string>
#include <system_error>
#include <utility>

#include "absl/strings/str_cat.h"
#include "interrupt.h"

namespace neardup::cli {

bool StdoutWritten() {
  return std::fflush(stdout) == 0 && std::ferror(stdout) == 0;
}

std::string ErrnoMessage(const std::string& what) {
  return what + ": " + std::strerror(errno);
}

std::string ResolveLinks(const std::string& path) {
  std::string current = path;
  for (int hops = 0; hops < 40; ++hops) {
    struct stat st;
    if (lstat(current.c_str(), &st) != 0 || !S_ISLNK(st.st_mode)) break;
    std::string target(static_cast<size_t>(st.st_size) + 1, '\0');
    const ssize_t n = readlink(current.c_str(), target.data(), target.size());
    if (n < 0 || static_cast<size_t>(n) >= target.size()) break;
    target.resize(static_cast<size_t>(n));
    if (!target.empty() && target[0] != '/') {
      const size_t slash = current.rfind('/');
      if (slash != std::string::npos) {
        target.insert(0, current, 0, slash + 1);
      }
    }
    current = std::move(target);
  }
  return current;
}

namespace {

// What makes two outputs the same file: its device and inode when it
// exists, else its absolute path with links followed.
std::string Identity(const std::string& path) {
  struct stat st;
  if (stat(path.c_str(), &st) == 0) {
    return std::to_string(st.st_dev) + ":" + std::to_string(st.st_ino);
  }
  std::error_code ec;
  const std::filesystem::path resolved = std::filesystem::weakly_canonical(
      std::filesystem::absolute(ResolveLinks(path), ec), ec);
  return ec ? path : resolved.string();
}

bool IsStdout(const std::string& path) { return path.empty() || path == "-"; }

absl::Status IsADirectory(const std::string& path) {
  return absl::InvalidArgumentError(
      absl::StrCat(path, " is a directory; give the path of a file to write"));
}

// /dev/null and other character devices: any number of outputs may go
// there.
bool IsCharDevice(const std::string& path) {
  struct stat st;
  return stat(path.c_str(), &st) == 0 && S_ISCHR(st.st_mode);
}

}  // namespace

absl::Status CheckDistinctOutputs(const std::vector<OutputPath>& outputs) {
  for (size_t i = 0; i < outputs.size(); ++i) {
    if (IsStdout(outputs[i].path) || IsCharDevice(outputs[i].path)) continue;
    for (size_t j = i + 1; j < outputs.size(); ++j) {
      if (IsStdout(outputs[j].path)) continue;
      if (Identity(outputs[i].path) == Identity(outputs[j].path)) {
        return absl::InvalidArgumentError(
            outputs[i].flag + " " + outputs[i].path + " and " +
            outputs[j].flag + " " + outputs[j].path +
            " are the same file; give two paths");
      }
    }
  }
  return absl::OkStatus();
}

absl::Status CheckNotAnInput(const OutputPath& output,
                             const InputReader& reader) {
  if (IsStdout(output.path) || !reader.Reads(output.path)) {
    return absl::OkStatus();
  }
  return absl::InvalidArgumentError(
      output.flag + " " + output.path +
      " is an input file; writing it would destroy the input — give "
      "another path");
}

absl::Status CheckNotAnInput(const OutputPath& output,
                             const std::string& input_flag,
                             const std::string& input) {
  struct stat in;
  if (IsStdout(output.path) || input.empty() || input == "-" ||
      stat(input.c_str(), &in) != 0) {
    return absl::OkStatus();
  }
  // The output and each directory above it (links followed), up to the
  // root: one of them being `input` means writing into the input.
  std::error_code ec;
  std::filesystem::path at = std::filesystem::weakly_canonical(
      std::filesystem::absolute(ResolveLinks(output.path), ec), ec);
  if (ec) return absl::OkStatus();
  for (int depth = 0; depth < 256; ++depth) {
    struct stat st;
    if (stat(at.c_str(), &st) == 0 && st.st_dev == in.st_dev &&
        st.st_ino == in.st_ino) {
      return absl::InvalidArgumentError(absl::StrCat(
          output.flag, " ", output.path, " is ",
          S_ISDIR(in.st_mode) ? "inside " : "", "the ", input_flag, " input ",
          input, "; writing it would destroy the input — give another path"));
    }
    if (!at.has_relative_path()) break;  // the root
    at = at.parent_path();
  }
  return absl::OkStatus();
}

AtomicFile::AtomicFile(std::string path)
    : path_(std::move(path)), target_(ResolveLinks(path_)) {}

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
  struct stat st;
  if (stat(path_.c_str(), &st) == 0 && !S_ISREG(st.st_mode)) {
    if (S_ISDIR(st.st_mode)) return IsADirectory(path_);
    // A device or a FIFO (/dev/null, /dev/stdout, a named pipe) cannot be
    // replaced by renaming; it is written as it is.
    direct_ = true;
    file_ = std::fopen(path_.c_str(), "w");
    if (file_ == nullptr) {
      return absl::InternalError(ErrnoMessage("cannot open " + path_));
    }
    return absl::OkStatus();
  }
  temp_path_ = target_ + ".tmp-XXXXXX";
  const int fd = mkstemp(temp_path_.data());
  if (fd < 0) {
    temp_path_.clear();
    return absl::InternalError(
        ErrnoMessage("cannot create a file beside " + path_));
  }
  slot_ = RegisterTempFile(temp_path_.c_str());
  struct stat existing;
  if (stat(target_.c_str(), &existing) == 0) {
    fchmod(fd, existing.st_mode & 07777);
  } else {
    const mode_t mask = umask(0);
    umask(mask);
    fchmod(fd, 0666 & ~mask);
  }
  file_ = fdopen(fd, "w");
  if (file_ == nullptr) {
    close(fd);
    return absl::InternalError(ErrnoMessage("cannot open " + temp_path_));
  }
  return absl::OkStatus();
}

absl::Status AtomicFile::CheckWritable() {
  struct stat st;
  if (stat(path_.c_str(), &st) == 0 && !S_ISREG(st.st_mode)) {
    if (S_ISDIR(st.st_mode)) return IsADirectory(path_);
    // Not opened: opening a FIFO would wait for its reader, and closing it
    // would end the reader's input.
    if (access(path_.c_str(), W_OK) != 0) {
      return absl::InvalidArgumentError(ErrnoMessage("cannot write " + path_));
    }
    return absl::OkStatus();
  }
  absl::Status status = Open();
  if (status.ok()) status = Discard();
  return status;
}

absl::Status AtomicFile::Discard() {
  std::fclose(file_);
  file_ = nullptr;
  if (direct_) return absl::OkStatus();
  const bool removed = unlink(temp_path_.c_str()) == 0;
  const std::string temp_path = temp_path_;
  Forget();
  if (!removed) {
    return absl::InternalError(ErrnoMessage("cannot remove " + temp_path));
  }
  return absl::OkStatus();
}

absl::Status AtomicFile::Close() {
  const bool ok = !std::ferror(file_) && std::fflush(file_) == 0 &&
                  (direct_ || fsync(fileno(file_)) == 0);
  const bool closed = std::fclose(file_) == 0;
  file_ = nullptr;
  if (!ok || !closed) {
    return absl::InternalError(ErrnoMessage("cannot write " + path_));
  }
  return absl::OkStatus();
}

absl::Status AtomicFile::Commit() {
  if (direct_) return absl::OkStatus();
  if (std::rename(temp_path_.c_str(), target_.c_str()) != 0) {
    return absl::InternalError(ErrnoMessage("cannot rename to " + target_));
  }
  Forget();
  const size_t slash = target_.rfind('/');
  const std::string dir =
      slash == std::string::npos ? "." : target_.substr(0, slash + 1);
  // Best effort: the file is already in place, and some file systems
  // cannot sync a directory (EINVAL); that is no reason to fail the run.
  const int fd = open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd >= 0) {
    fsync(fd);
    close(fd);
  }
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
      return absl::InternalError(
          ErrnoMessage("cannot write the standard output"));
    }
    // A write that failed before (a full disk, a line-buffered stream)
    // leaves nothing for fflush to fail on, only the error indicator.
    if (std::ferror(stdout) != 0) {
      return absl::InternalError(
          "cannot write the standard output: a write to it failed");
    }
    return absl::OkStatus();
  }
  absl::Status status = atomic_.Close();
  if (status.ok()) status = atomic_.Commit();
  return status;
}

BackgroundSync::BackgroundSync(int fd) : fd_(fd) {
  struct stat st;
  if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) {
    thread_ = std::thread([this] { Run(); });
  }
}

BackgroundSync::~BackgroundSync() { Finish(); }

void BackgroundSync::Request() {
  if (!thread_.joinable()) return;
  {
    const std::lock_guard<std::mutex> lock(mu_);
    requested_ = true;
  }
  asked_.notify_one();
}

void BackgroundSync::Run() {
  for (;;) {
    {
      std::unique_lock<std::mutex> lock(mu_);
      asked_.wait(lock, [this] { return requested_ || finish_; });
      if (!requested_) return;  // finishing, and nothing asked for
      requested_ = false;
    }
    if (fdatasync(fd_) != 0 && error_ == 0) error_ = errno;
  }
}

int BackgroundSync::Finish() {
  if (!thread_.joinable()) return error_;
  {
    const std::lock_guard<std::mutex> lock(mu_);
    finish_ = true;
  }
  asked_.notify_one();
  thread_.join();
  return error_;
}

}  // namespace neardup::cli
