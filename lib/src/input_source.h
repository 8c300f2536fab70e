// Byte streams for the input stage: files, standard input, gzip and zstd
// decompression, and a line reader over any of them. Internal to neardup.
#ifndef NEARDUP_INPUT_SOURCE_H_
#define NEARDUP_INPUT_SOURCE_H_

#include <cstddef>
#include <cstdio>
#include <memory>
#include <string>
#include <string_view>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace neardup {

// A fixed-size byte buffer whose bytes start undefined. A reader opened on
// a small file then touches only the pages it fills: a zeroed 1 MiB vector
// cost a memset and 256 page faults per file opened (most of the time of
// reading a file cut into pieces thousands of times under ASan).
class ReadBuffer {
 public:
  explicit ReadBuffer(size_t size)
      : data_(std::make_unique_for_overwrite<char[]>(size)), size_(size) {}
  char* data() { return data_.get(); }
  const char* data() const { return data_.get(); }
  size_t size() const { return size_; }
  void swap(ReadBuffer& other) noexcept {
    data_.swap(other.data_);
    std::swap(size_, other.size_);
  }

 private:
  std::unique_ptr<char[]> data_;
  size_t size_;
};

// A sequential stream of bytes.
class ByteSource {
 public:
  virtual ~ByteSource() = default;
  // Reads up to `n` bytes into `dst`. Returns the number read, which is 0
  // only at the end of the stream. A read interrupted by a signal (EINTR,
  // possible only when a handler was installed without SA_RESTART) is
  // absl::CancelledError: the program asked to stop.
  virtual absl::StatusOr<size_t> Read(char* dst, size_t n) = 0;

  // As Read, into the start of *buffer, which a source that holds the
  // bytes in a buffer of its own may swap with that one instead of copying
  // them (a ReadBuffer of another size may come back; PrefetchingSource
  // swaps only a buffer of at least its chunk size, 1 MiB).
  virtual absl::StatusOr<size_t> ReadInto(ReadBuffer* buffer) {
    return Read(buffer->data(), buffer->size());
  }

  // Lending, for sources that decode into memory of their own (zstd): the
  // bytes are handed out where they were decoded instead of being copied.
  // Only where CanLend(). Lend returns the next bytes of the stream (empty
  // only at the end); they stay valid and unchanged until given back by
  // Return, which gives back the oldest view lent. At most kMaxLent views
  // may be lent at once. Read may be mixed with lending (it copies).
  static constexpr int kMaxLent = 3;
  virtual bool CanLend() const { return false; }
  virtual absl::StatusOr<std::string_view> Lend() {
    return absl::UnimplementedError("this byte source does not lend");
  }
  virtual void Return() {}
};

enum class Compression { kNone, kGzip, kZstd };

// The compression named by a path's suffix (".gz", ".zst", any case).
Compression CompressionOf(std::string_view path);

// The compression whose magic number `head` (a stream's first 4 bytes, or
// fewer if it is shorter) starts with.
Compression CompressionOfMagic(std::string_view head);

// `path` without a ".gz" or ".zst" suffix (any case).
std::string_view StripCompressionSuffix(std::string_view path);

// Opens `path` for reading. The error message names the path. If
// `bytes_read` is not null, every byte read is added to it.
absl::StatusOr<std::unique_ptr<ByteSource>> OpenFileSource(
    const std::string& path, size_t* bytes_read = nullptr);

// Reads the descriptor of `file`, which stays open and is not owned; bytes
// already in the FILE's buffer are not seen. `name` is used in error
// messages.
std::unique_ptr<ByteSource> NewStdioSource(std::FILE* file, std::string name,
                                           size_t* bytes_read = nullptr);

// Yields `prefix`, then the rest of `source`.
std::unique_ptr<ByteSource> NewPrefixedSource(
    std::string prefix, std::unique_ptr<ByteSource> source);

// Decompresses `source`. A stream that ends inside a frame, or corrupt data,
// is absl::DataLossError naming `name`.
std::unique_ptr<ByteSource> NewDecompressingSource(
    Compression compression, std::unique_ptr<ByteSource> source,
    std::string name);

// Reads a source on a thread of its own, up to a few MiB ahead of the
// caller, so that decompressing a file overlaps what is done with its
// bytes. Only for sources whose reads never block for long (regular files:
// a pipe could hold the destructor, which joins the thread, forever). An
// error is returned once the bytes read before it have been.
class PrefetchingSource : public ByteSource {
 public:
  // The bytes the source counts into stored_counter() (on its thread) are
  // added to *stored_bytes (if not null) on the caller's thread, as the
  // bytes read with them are handed out.
  explicit PrefetchingSource(size_t* stored_bytes);
  ~PrefetchingSource() override;  // stops and joins the thread

  // Where the source's own byte count goes; read only by its thread.
  size_t* stored_counter() { return &thread_stored_; }

  // Starts reading `source`. Call once, before Read.
  void Start(std::unique_ptr<ByteSource> source);

  absl::StatusOr<size_t> Read(char* dst, size_t n) override;
  absl::StatusOr<size_t> ReadInto(ReadBuffer* buffer) override;

  // A source that lends (zstd) is read by lending: the thread lends chunks
  // of it ahead of the caller, who may borrow one at a time in turn.
  bool CanLend() const override { return lending_; }
  absl::StatusOr<std::string_view> Lend() override;
  void Return() override;

 private:
  struct Shared;
  // Makes *current_ the next chunk (waits for it); false at the end or an
  // error (in *status).
  bool NextChunk(absl::Status* status);
  void Run();
  void RunLending();

  size_t* stored_bytes_;
  size_t thread_stored_ = 0;
  std::unique_ptr<ByteSource> source_;
  std::unique_ptr<Shared> shared_;
  bool lending_ = false;  // the chunks are views lent by source_
  ReadBuffer current_{0};
  const char* current_data_ = nullptr;  // current_.data(), or a lent view
  bool current_borrowed_ = false;  // the current view is lent to the caller
  size_t current_begin_ = 0;
  size_t current_end_ = 0;
  size_t stored_reported_ = 0;
  absl::Status final_;  // once the end or an error is reached
  bool done_ = false;
};

// Splits a stream into lines.
class LineReader {
 public:
  explicit LineReader(std::unique_ptr<ByteSource> source);

  // Replaces *line with the next line, without its "\n". Returns false at the
  // end of the stream. A last line without "\n" is still a line. The line's
  // capacity is at least its size + `padding` (a parser that reads past the
  // end needs no second allocation).
  absl::StatusOr<bool> ReadLine(std::string* line, size_t padding = 0);

  // As ReadLine, but the line is passed over, not copied.
  absl::StatusOr<bool> SkipLine();

  // Bytes read from the source so far.
  size_t bytes_read() const { return bytes_read_; }

  // Offset in the stream of the first byte not yet returned: the start of
  // the next line.
  size_t position() const { return bytes_read_ - (end_ - begin_); }

 private:
  absl::StatusOr<bool> NextLine(std::string* line, size_t padding);

  std::unique_ptr<ByteSource> source_;
  const bool lending_;     // source_ lends its bytes (see ByteSource::Lend)
  bool borrowed_ = false;  // data_ is a view lent by source_
  ReadBuffer buffer_;
  const char* data_;  // buffer_.data(), or the view lent by source_
  size_t begin_ = 0;  // unread bytes are data_[begin_, end_)
  size_t end_ = 0;
  bool eof_ = false;
  size_t bytes_read_ = 0;
};

}  // namespace neardup

#endif  // NEARDUP_INPUT_SOURCE_H_
