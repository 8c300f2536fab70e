#include "input_source.h"

#include <fcntl.h>
#include <unistd.h>
#include <zlib.h>
#include <zstd.h>

#include <algorithm>
#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace neardup {
namespace {

constexpr size_t kChunkSize = size_t{1} << 20;

// Reads a file descriptor with read(2), which returns what a pipe holds
// rather than waiting to fill the buffer as fread() would.
class FdSource : public ByteSource {
 public:
  FdSource(int fd, bool owned, std::string name, size_t* bytes_read)
      : fd_(fd),
        owned_(owned),
        name_(std::move(name)),
        bytes_read_(bytes_read) {}
  ~FdSource() override {
    if (owned_) close(fd_);
  }

  absl::StatusOr<size_t> Read(char* dst, size_t n) override {
    const ssize_t got = read(fd_, dst, n);
    if (got >= 0) {
      if (bytes_read_ != nullptr) *bytes_read_ += static_cast<size_t>(got);
      return static_cast<size_t>(got);
    }
    const int error = errno;
    if (error == EINTR) {
      return absl::CancelledError(
          absl::StrCat(name_, ": reading was interrupted by a signal"));
    }
    return absl::Status(
        absl::ErrnoToStatusCode(error),
        absl::StrCat(name_, ": read failed (", std::strerror(error),
                     ") — check the file"));
  }

 private:
  int fd_;
  bool owned_;
  std::string name_;
  size_t* bytes_read_;
};

class PrefixedSource : public ByteSource {
 public:
  PrefixedSource(std::string prefix, std::unique_ptr<ByteSource> source)
      : prefix_(std::move(prefix)), source_(std::move(source)) {}

  absl::StatusOr<size_t> Read(char* dst, size_t n) override {
    if (pos_ < prefix_.size()) {
      size_t take = std::min(n, prefix_.size() - pos_);
      std::memcpy(dst, prefix_.data() + pos_, take);
      pos_ += take;
      return take;
    }
    return source_->Read(dst, n);
  }

 private:
  std::string prefix_;
  size_t pos_ = 0;
  std::unique_ptr<ByteSource> source_;
};

absl::Status Corrupt(const std::string& name, const char* format,
                     const char* detail) {
  return absl::DataLossError(
      absl::StrCat(name, ": truncated or corrupt ", format, " data (", detail,
                   ") — the file may be incomplete; download or compress it "
                   "again"));
}

// Inflates gzip data; concatenated gzip members are read one after another,
// as gzip(1) does.
class GzipSource : public ByteSource {
 public:
  GzipSource(std::unique_ptr<ByteSource> source, std::string name)
      : source_(std::move(source)), name_(std::move(name)), in_(kChunkSize) {
    std::memset(&stream_, 0, sizeof(stream_));
    init_ = inflateInit2(&stream_, MAX_WBITS + 16);
  }
  ~GzipSource() override {
    if (init_ == Z_OK) inflateEnd(&stream_);
  }

  absl::StatusOr<size_t> Read(char* dst, size_t n) override {
    if (init_ != Z_OK) return Corrupt(name_, "gzip", "inflateInit2 failed");
    if (n > (1u << 30)) n = 1u << 30;
    stream_.next_out = reinterpret_cast<Bytef*>(dst);
    stream_.avail_out = static_cast<uInt>(n);
    while (stream_.avail_out == n) {
      if (stream_.avail_in == 0 && !eof_) {
        absl::StatusOr<size_t> got = source_->Read(in_.data(), in_.size());
        if (!got.ok()) return got.status();
        if (*got == 0) {
          eof_ = true;
        } else {
          stream_.next_in = reinterpret_cast<Bytef*>(in_.data());
          stream_.avail_in = static_cast<uInt>(*got);
        }
      }
      if (!in_member_) {
        // The input may end between members (avail_in is 0 only at EOF).
        if (stream_.avail_in == 0) break;
        if (inflateReset(&stream_) != Z_OK) {
          return Corrupt(name_, "gzip", "inflateReset failed");
        }
        in_member_ = true;
      }
      // Called even when all input is consumed: inflate may still hold
      // output it could not write before.
      int rc = inflate(&stream_, Z_NO_FLUSH);
      if (rc == Z_STREAM_END) {
        in_member_ = false;
      } else if (rc == Z_BUF_ERROR) {
        if (eof_ && stream_.avail_in == 0 && stream_.avail_out == n) {
          return Corrupt(name_, "gzip", "unexpected end");
        }
      } else if (rc != Z_OK) {
        return Corrupt(name_, "gzip",
                       stream_.msg != nullptr ? stream_.msg : "inflate error");
      }
    }
    return n - stream_.avail_out;
  }

 private:
  std::unique_ptr<ByteSource> source_;
  std::string name_;
  ReadBuffer in_;
  z_stream stream_;
  int init_;
  bool eof_ = false;
  bool in_member_ = false;
};

class ZstdSource : public ByteSource {
 public:
  ZstdSource(std::unique_ptr<ByteSource> source, std::string name)
      : source_(std::move(source)),
        name_(std::move(name)),
        in_(ZSTD_DStreamInSize()),
        dctx_(ZSTD_createDCtx()) {}
  ~ZstdSource() override { ZSTD_freeDCtx(dctx_); }

  absl::StatusOr<size_t> Read(char* dst, size_t n) override {
    if (dctx_ == nullptr) return Corrupt(name_, "zstd", "out of memory");
    ZSTD_outBuffer out = {dst, n, 0};
    while (out.pos == 0) {
      if (input_.pos == input_.size && !eof_) {
        absl::StatusOr<size_t> got = source_->Read(in_.data(), in_.size());
        if (!got.ok()) return got.status();
        if (*got == 0) {
          eof_ = true;
        } else {
          input_ = {in_.data(), *got, 0};
        }
      }
      if (input_.pos == input_.size && eof_) {
        // ZSTD_decompressStream returns 0 exactly when a frame is complete;
        // a frame may still hold buffered output, so flush before failing.
        if (frame_done_) break;
      }
      size_t rc = ZSTD_decompressStream(dctx_, &out, &input_);
      if (ZSTD_isError(rc)) {
        return Corrupt(name_, "zstd", ZSTD_getErrorName(rc));
      }
      frame_done_ = rc == 0;
      if (out.pos == 0 && input_.pos == input_.size && eof_ && !frame_done_) {
        return Corrupt(name_, "zstd", "unexpected end");
      }
    }
    return out.pos;
  }

 private:
  std::unique_ptr<ByteSource> source_;
  std::string name_;
  ReadBuffer in_;
  ZSTD_DCtx* dctx_;
  ZSTD_inBuffer input_ = {nullptr, 0, 0};
  bool eof_ = false;
  bool frame_done_ = true;  // an empty file holds no frame, which is fine
};

}  // namespace

Compression CompressionOf(std::string_view path) {
  const auto ends_with = [path](std::string_view suffix) {
    return path.size() >= suffix.size() &&
           absl::EqualsIgnoreCase(
               absl::string_view(path.data() + path.size() - suffix.size(),
                                 suffix.size()),
               absl::string_view(suffix.data(), suffix.size()));
  };
  if (ends_with(".gz")) return Compression::kGzip;
  if (ends_with(".zst")) return Compression::kZstd;
  return Compression::kNone;
}

Compression CompressionOfMagic(std::string_view head) {
  if (head.starts_with("\x1F\x8B")) return Compression::kGzip;
  if (head.starts_with("\x28\xB5\x2F\xFD")) return Compression::kZstd;
  return Compression::kNone;
}

std::string_view StripCompressionSuffix(std::string_view path) {
  switch (CompressionOf(path)) {
    case Compression::kGzip:
      return path.substr(0, path.size() - 3);
    case Compression::kZstd:
      return path.substr(0, path.size() - 4);
    case Compression::kNone:
      break;
  }
  return path;
}

absl::StatusOr<std::unique_ptr<ByteSource>> OpenFileSource(
    const std::string& path, size_t* bytes_read) {
  // Opening a FIFO waits for a writer; a signal ends the wait with EINTR.
  const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    const int error = errno;
    if (error == EINTR) {
      return absl::CancelledError(
          absl::StrCat(path, ": opening was interrupted by a signal"));
    }
    return absl::Status(
        absl::ErrnoToStatusCode(error),
        absl::StrCat(path, ": cannot open (", std::strerror(error),
                     ") — check the path and its permissions"));
  }
  return std::make_unique<FdSource>(fd, /*owned=*/true, path, bytes_read);
}

std::unique_ptr<ByteSource> NewStdioSource(std::FILE* file, std::string name,
                                           size_t* bytes_read) {
  return std::make_unique<FdSource>(fileno(file), /*owned=*/false,
                                    std::move(name), bytes_read);
}

std::unique_ptr<ByteSource> NewPrefixedSource(
    std::string prefix, std::unique_ptr<ByteSource> source) {
  return std::make_unique<PrefixedSource>(std::move(prefix), std::move(source));
}

std::unique_ptr<ByteSource> NewDecompressingSource(
    Compression compression, std::unique_ptr<ByteSource> source,
    std::string name) {
  switch (compression) {
    case Compression::kGzip:
      return std::make_unique<GzipSource>(std::move(source), std::move(name));
    case Compression::kZstd:
      return std::make_unique<ZstdSource>(std::move(source), std::move(name));
    case Compression::kNone:
      break;
  }
  return source;
}

// Chunks filled by the thread and not yet taken, and the buffers free to
// fill. The thread fills at most kPrefetchChunks chunks ahead: 2 keep the
// reader fed (a batch of records waits on the reader thread too), and each
// one more is 1 MiB more memory first touched (page faults).
struct PrefetchingSource::Shared {
  static constexpr size_t kPrefetchChunks = 2;

  struct Chunk {
    ReadBuffer buffer{0};
    size_t size = 0;
    size_t stored = 0;  // the source's byte count once it was filled
    bool last = false;  // the end, or `status` is an error
    absl::Status status;
  };

  std::mutex mutex;
  std::condition_variable filled;  // a chunk was added to `ready`
  std::condition_variable freed;   // a buffer was added to `free`, or stop
  std::deque<Chunk> ready;
  std::vector<ReadBuffer> free;
  bool stop = false;
  std::thread thread;
};

PrefetchingSource::PrefetchingSource(size_t* stored_bytes)
    : stored_bytes_(stored_bytes), shared_(std::make_unique<Shared>()) {}

PrefetchingSource::~PrefetchingSource() {
  {
    std::lock_guard<std::mutex> lock(shared_->mutex);
    shared_->stop = true;
  }
  shared_->freed.notify_all();
  if (shared_->thread.joinable()) shared_->thread.join();
}

void PrefetchingSource::Start(std::unique_ptr<ByteSource> source) {
  source_ = std::move(source);
  for (size_t i = 0; i < Shared::kPrefetchChunks; ++i) {
    shared_->free.emplace_back(kChunkSize);
  }
  shared_->thread = std::thread(&PrefetchingSource::Run, this);
}

void PrefetchingSource::Run() {
  Shared& shared = *shared_;
  while (true) {
    Shared::Chunk chunk;
    {
      std::unique_lock<std::mutex> lock(shared.mutex);
      shared.freed.wait(lock,
                        [&] { return shared.stop || !shared.free.empty(); });
      if (shared.stop) return;
      chunk.buffer = std::move(shared.free.back());
      shared.free.pop_back();
    }
    // Fill the chunk, so that the caller takes it in one go.
    while (chunk.size < chunk.buffer.size()) {
      absl::StatusOr<size_t> got = source_->Read(
          chunk.buffer.data() + chunk.size, chunk.buffer.size() - chunk.size);
      if (!got.ok() || *got == 0) {
        chunk.last = true;
        chunk.status = got.status();
        break;
      }
      chunk.size += *got;
    }
    chunk.stored = thread_stored_;
    const bool last = chunk.last;
    {
      std::lock_guard<std::mutex> lock(shared.mutex);
      shared.ready.push_back(std::move(chunk));
    }
    shared.filled.notify_one();
    if (last) return;
  }
}

bool PrefetchingSource::NextChunk(absl::Status* status) {
  if (done_) {
    *status = final_;
    return false;
  }
  Shared& shared = *shared_;
  Shared::Chunk chunk;
  {
    std::unique_lock<std::mutex> lock(shared.mutex);
    if (current_.size() > 0) shared.free.push_back(std::move(current_));
    shared.filled.wait(lock, [&] { return !shared.ready.empty(); });
    chunk = std::move(shared.ready.front());
    shared.ready.pop_front();
  }
  shared.freed.notify_one();
  if (stored_bytes_ != nullptr) {
    *stored_bytes_ += chunk.stored - stored_reported_;
  }
  stored_reported_ = chunk.stored;
  current_ = std::move(chunk.buffer);
  current_begin_ = 0;
  current_end_ = chunk.size;
  if (chunk.last) {
    done_ = true;
    final_ = chunk.status;
    // The bytes read before an error (or the end) are handed out first.
    if (chunk.size == 0) {
      *status = final_;
      return false;
    }
  }
  return true;
}

absl::StatusOr<size_t> PrefetchingSource::Read(char* dst, size_t n) {
  if (current_begin_ == current_end_) {
    absl::Status status;
    if (!NextChunk(&status)) {
      if (!status.ok()) return status;
      return 0;
    }
  }
  const size_t take = std::min(n, current_end_ - current_begin_);
  std::memcpy(dst, current_.data() + current_begin_, take);
  current_begin_ += take;
  return take;
}

absl::StatusOr<size_t> PrefetchingSource::ReadInto(ReadBuffer* buffer) {
  // A chunk not yet started is handed over whole: the buffers swap (the
  // caller's, if a chunk's size, becomes one to fill).
  if (buffer->size() < kChunkSize ||
      (current_begin_ != 0 && current_begin_ != current_end_)) {
    return Read(buffer->data(), buffer->size());
  }
  if (current_begin_ == current_end_) {
    absl::Status status;
    if (!NextChunk(&status)) {
      if (!status.ok()) return status;
      return 0;
    }
  }
  const size_t size = current_end_;
  buffer->swap(current_);
  current_begin_ = current_end_ = 0;
  return size;
}

LineReader::LineReader(std::unique_ptr<ByteSource> source)
    : source_(std::move(source)), buffer_(kChunkSize) {}

absl::StatusOr<bool> LineReader::ReadLine(std::string* line, size_t padding) {
  line->clear();
  return NextLine(line, padding);
}

absl::StatusOr<bool> LineReader::SkipLine() { return NextLine(nullptr, 0); }

// The next line, appended to *line unless it is null, with room for
// `padding` more bytes.
absl::StatusOr<bool> LineReader::NextLine(std::string* line, size_t padding) {
  bool any = false;
  while (true) {
    if (begin_ < end_) {
      any = true;
      const char* start = buffer_.data() + begin_;
      const void* newline = std::memchr(start, '\n', end_ - begin_);
      if (newline != nullptr) {
        size_t len = static_cast<const char*>(newline) - start;
        if (line != nullptr) {
          line->reserve(line->size() + len + padding);
          line->append(start, len);
        }
        begin_ += len + 1;
        return true;
      }
      if (line != nullptr) line->append(start, end_ - begin_);
      begin_ = end_;
    }
    if (eof_) return any;
    absl::StatusOr<size_t> got = source_->ReadInto(&buffer_);
    if (!got.ok()) return got.status();
    begin_ = 0;
    end_ = *got;
    bytes_read_ += *got;
    if (*got == 0) eof_ = true;
  }
}

}  // namespace neardup
