#include "input_source.h"

#include <fcntl.h>
#include <unistd.h>
#include <zlib.h>
#define ZSTD_STATIC_LINKING_ONLY  // the buffer-less decompression API
#include <zstd.h>

#include <algorithm>
#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <mutex>
#include <optional>
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

  bool CanLend() const override { return source_->CanLend(); }

  absl::StatusOr<std::string_view> Lend() override {
    if (pos_ < prefix_.size()) {
      std::string_view rest = std::string_view(prefix_).substr(pos_);
      pos_ = prefix_.size();
      prefix_lent_ = true;
      return rest;
    }
    return source_->Lend();
  }

  void Return() override {
    if (std::exchange(prefix_lent_, false)) return;
    source_->Return();
  }

 private:
  std::string prefix_;
  size_t pos_ = 0;
  bool prefix_lent_ = false;  // the prefix is the oldest view lent
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

// Decompresses zstd data into a round buffer of its own and lends the
// decoded bytes where they lie (ByteSource::Lend), so that they are not
// copied once more: libzstd's buffered streaming (ZSTD_decompressStream)
// decodes each block into its own window buffer and then copies it out,
// 100 MB of memcpy for SaudiNewsNet's 100 MB.
//
// Frames are decoded with the buffer-less API (ZSTD_decompressContinue, the
// "round buffer methodology" of zstd.h): each block is decoded next to the
// previous one until too little room is left before the end of the buffer
// for a whole block (the frame header's blockSizeMax), then from the start.
// The buffer keeps unwritten the last windowSize bytes decoded (the blocks
// still to come may copy from them; at most two contiguous runs, which is
// what ZSTD_decompressContinue can follow) and every byte lent and not yet
// returned. Its size is at least ZSTD_decodingBufferSize_min and at least
// that span plus room for three blocks (see RingSize), so a block always
// has room. Memory stays bounded by the window, whatever the input's size.
//
// A frame whose window is above kMaxRingWindow, or whose header the
// buffer-less API does not accept (e.g. a legacy format), is decoded as
// before by ZSTD_decompressStream, into the same buffer: its window is then
// libzstd's to hold, and its limits and messages are libzstd's (a window
// above 128 MiB is refused, as zstd(1) does without --memory). Skippable
// frames are skipped here, so that their contents (up to 4 GiB) are never
// held in memory.
class ZstdSource : public ByteSource {
 public:
  ZstdSource(std::unique_ptr<ByteSource> source, std::string name)
      : source_(std::move(source)),
        name_(std::move(name)),
        in_(kInSize),
        dctx_(ZSTD_createDCtx()) {}
  ~ZstdSource() override { ZSTD_freeDCtx(dctx_); }

  absl::StatusOr<size_t> Read(char* dst, size_t n) override {
    if (pending_.empty()) {
      absl::StatusOr<std::string_view> lent = Lend();
      if (!lent.ok()) return lent.status();
      if (lent->empty()) return 0;
      pending_ = *lent;
    }
    const size_t take = std::min(n, pending_.size());
    std::memcpy(dst, pending_.data(), take);
    pending_.remove_prefix(take);
    if (pending_.empty()) Return();
    return take;
  }

  bool CanLend() const override { return true; }

  absl::StatusOr<std::string_view> Lend() override {
    if (!pending_.empty()) {  // the rest of a view Read copies from
      return std::exchange(pending_, std::string_view());
    }
    if (lent_.size() >= static_cast<size_t>(kMaxLent)) {
      return absl::InternalError("zstd: too many views lent");
    }
    if (!error_.ok()) return error_;
    // The next chunk: as many blocks as fill kChunkSize, contiguous in
    // ring_. An error is returned after the bytes decoded before it.
    chunk_begin_ = 0;
    chunk_size_ = 0;
    while (chunk_size_ < kChunkSize) {
      absl::StatusOr<bool> more = Step();
      if (!more.ok()) {
        error_ = more.status();
        if (chunk_size_ == 0) return error_;
        break;
      }
      if (!*more) break;
    }
    if (chunk_size_ == 0) return std::string_view();
    lent_.push_back(chunk_size_);
    return std::string_view(ring_.data() + chunk_begin_, chunk_size_);
  }

  void Return() override {
    if (lent_.empty()) return;
    returned_ += lent_.front();
    lent_.pop_front();
    while (!retired_.empty() && retired_.front().first <= returned_) {
      retired_.pop_front();
    }
  }

 private:
  // Above this window, a frame is decoded by ZSTD_decompressStream: its
  // round buffer would be as large as the window anyway, and such windows
  // (zstd --long, --ultra) are rare.
  static constexpr uint64_t kMaxRingWindow = uint64_t{64} << 20;
  static constexpr size_t kInSize = kChunkSize;
  // Room asked for one block (writes stay within the capacity given).
  static constexpr size_t kBlockRoom = ZSTD_BLOCKSIZE_MAX + 64;
  // Bytes lent and not returned, with the chunk being decoded, at most.
  static constexpr size_t kMaxLentBytes =
      (kMaxLent + 1) * (kChunkSize + kBlockRoom);

  enum class State { kFrameStart, kBufferless, kStreaming, kEnd };

  // A run of bytes decoded contiguously into ring_: stream offset, where.
  struct Run {
    uint64_t offset;
    size_t at;
    size_t size;
  };

  static size_t RingSize(uint64_t window) {
    const size_t min =
        ZSTD_decodingBufferSize_min(window, ZSTD_CONTENTSIZE_UNKNOWN);
    return std::max(
        min, static_cast<size_t>(std::max<uint64_t>(window, kMaxLentBytes)) +
                 3 * kBlockRoom);
  }

  // Makes ring_ at least `size` bytes. The old buffer is kept until the
  // bytes lent from it are returned.
  void GrowRing(size_t size) {
    if (ring_.size() >= size) return;
    ReadBuffer grown(size);
    grown.swap(ring_);
    if (decoded_ > returned_) retired_.emplace_back(decoded_, std::move(grown));
    runs_.clear();
    write_at_ = 0;
  }

  // Ensures `n` bytes of input at in_[in_begin_, in_end_). False if the
  // input ends first.
  absl::StatusOr<bool> Fill(size_t n) {
    if (in_end_ - in_begin_ >= n) return true;
    if (in_begin_ > 0) {
      std::memmove(in_.data(), in_.data() + in_begin_, in_end_ - in_begin_);
      in_end_ -= in_begin_;
      in_begin_ = 0;
    }
    if (n > in_.size()) {
      ReadBuffer bigger(n);
      std::memcpy(bigger.data(), in_.data(), in_end_);
      in_.swap(bigger);
    }
    while (in_end_ < n && !eof_) {
      absl::StatusOr<size_t> got =
          source_->Read(in_.data() + in_end_, in_.size() - in_end_);
      if (!got.ok()) return got.status();
      if (*got == 0) eof_ = true;
      in_end_ += *got;
    }
    return in_end_ >= n;
  }

  // Where `need` bytes may be written next (a place with at least that
  // much room, and how much it has), or nullopt if nowhere: bytes from
  // keep (the oldest to keep) on stay unwritten.
  struct Room {
    size_t at;
    size_t size;
  };
  std::optional<Room> FindRoom(size_t need) {
    uint64_t keep = std::min(returned_, decoded_ - std::min(decoded_, window_));
    while (!runs_.empty() &&
           runs_.front().offset + runs_.front().size <= keep) {
      runs_.pop_front();
    }
    if (runs_.empty()) {
      // Nothing to keep: the ring is free. Go on where the last run ended
      // if there is room (the chunk being built stays contiguous).
      if (ring_.size() - write_at_ >= need) {
        return Room{write_at_, ring_.size() - write_at_};
      }
      return Room{0, ring_.size()};
    }
    const Run& first = runs_.front();
    const size_t keep_at =
        first.at +
        static_cast<size_t>(std::max(keep, first.offset) - first.offset);
    const Run& last = runs_.back();
    const size_t end = last.at + last.size;
    if (first.at <= last.at) {  // kept bytes at [keep_at, end)
      if (ring_.size() - end >= need) return Room{end, ring_.size() - end};
      if (keep_at >= need) return Room{0, keep_at};
      return std::nullopt;
    }
    // Wrapped: kept bytes at [keep_at, first run's end) and [0, end).
    if (keep_at - end >= need) return Room{end, keep_at - end};
    return std::nullopt;
  }

  // Adds `n` bytes decoded at ring_[at] to the chunk.
  void Decoded(size_t at, size_t n) {
    if (n == 0) return;
    if (chunk_size_ == 0) chunk_begin_ = at;
    chunk_size_ += n;
    if (!runs_.empty() && runs_.back().at + runs_.back().size == at) {
      runs_.back().size += n;
    } else {
      runs_.push_back(Run{decoded_, at, n});
    }
    decoded_ += n;
    write_at_ = at + n;
  }

  // Room for the chunk's next bytes: false (and nothing done) if the chunk
  // must end first because the room is not where it ends.
  absl::StatusOr<std::optional<Room>> ChunkRoom(size_t need) {
    std::optional<Room> room = FindRoom(need);
    if (!room.has_value()) {
      // Not expected: RingSize leaves room for a block whatever is kept.
      if (chunk_size_ > 0) return std::optional<Room>();
      return absl::InternalError(
          absl::StrCat(name_, ": zstd round buffer full"));
    }
    if (chunk_size_ > 0 && room->at != chunk_begin_ + chunk_size_) {
      return std::optional<Room>();
    }
    return room;
  }

  // Decodes a little more into the chunk. False at the end of the stream,
  // or when the chunk must end here.
  absl::StatusOr<bool> Step() {
    if (dctx_ == nullptr) return Corrupt(name_, "zstd", "out of memory");
    switch (state_) {
      case State::kEnd:
        return false;
      case State::kFrameStart:
        return StartFrame();
      case State::kBufferless:
        return StepBufferless();
      case State::kStreaming:
        return StepStreaming();
    }
    return false;
  }

  absl::StatusOr<bool> StartFrame() {
    absl::StatusOr<bool> any = Fill(1);
    if (!any.ok()) return any.status();
    if (!*any) {
      state_ = State::kEnd;
      return false;
    }
    ZSTD_frameHeader header;
    size_t rc;
    while ((rc = ZSTD_getFrameHeader(&header, in_.data() + in_begin_,
                                     in_end_ - in_begin_)) > 0 &&
           !ZSTD_isError(rc)) {
      absl::StatusOr<bool> enough = Fill(rc);
      if (!enough.ok()) return enough.status();
      if (!*enough) return Corrupt(name_, "zstd", "unexpected end");
    }
    if (ZSTD_isError(rc) || header.windowSize > kMaxRingWindow) {
      return StartStreaming();  // libzstd's own checks and messages
    }
    if (header.frameType == ZSTD_skippableFrame) {
      // (headerSize is not set for a skippable frame.)
      return Skip(ZSTD_SKIPPABLEHEADERSIZE + header.frameContentSize);
    }
    const size_t ring_size = RingSize(header.windowSize);
    if (ring_.size() < ring_size) {
      if (chunk_size_ > 0) return false;  // the chunk ends in the old ring
      GrowRing(ring_size);
    }
    const size_t begun = ZSTD_decompressBegin(dctx_);
    if (ZSTD_isError(begun)) {
      return Corrupt(name_, "zstd", ZSTD_getErrorName(begun));
    }
    window_ = header.windowSize;
    block_room_ = header.blockSizeMax + 64;
    state_ = State::kBufferless;
    return true;
  }

  absl::StatusOr<bool> Skip(uint64_t n) {
    while (n > 0) {
      absl::StatusOr<bool> any = Fill(1);
      if (!any.ok()) return any.status();
      if (!*any) return Corrupt(name_, "zstd", "unexpected end");
      const size_t take =
          static_cast<size_t>(std::min<uint64_t>(n, in_end_ - in_begin_));
      in_begin_ += take;
      n -= take;
    }
    return true;
  }

  absl::StatusOr<bool> StepBufferless() {
    const size_t n = ZSTD_nextSrcSizeToDecompress(dctx_);
    if (n == 0) {
      state_ = State::kFrameStart;
      return true;
    }
    const ZSTD_nextInputType_e type = ZSTD_nextInputType(dctx_);
    absl::StatusOr<bool> enough = Fill(n);
    if (!enough.ok()) return enough.status();
    if (!*enough) return Corrupt(name_, "zstd", "unexpected end");
    Room room{write_at_, 0};
    if (type == ZSTDnit_block || type == ZSTDnit_lastBlock) {
      absl::StatusOr<std::optional<Room>> found = ChunkRoom(block_room_);
      if (!found.ok()) return found.status();
      if (!found->has_value()) return false;
      room = **found;
    }
    const size_t rc = ZSTD_decompressContinue(
        dctx_, ring_.data() + room.at, room.size, in_.data() + in_begin_, n);
    if (ZSTD_isError(rc)) return Corrupt(name_, "zstd", ZSTD_getErrorName(rc));
    in_begin_ += n;
    Decoded(room.at, rc);
    return true;
  }

  absl::StatusOr<bool> StartStreaming() {
    if (ring_.size() < RingSize(0)) {
      if (chunk_size_ > 0) return false;
      GrowRing(RingSize(0));
    }
    ZSTD_DCtx_reset(dctx_, ZSTD_reset_session_only);
    window_ = 0;  // the frame's window is in libzstd's buffer
    state_ = State::kStreaming;
    return true;
  }

  absl::StatusOr<bool> StepStreaming() {
    if (in_begin_ == in_end_ && !eof_) {
      absl::StatusOr<bool> any = Fill(1);
      if (!any.ok()) return any.status();
    }
    absl::StatusOr<std::optional<Room>> found = ChunkRoom(kBlockRoom);
    if (!found.ok()) return found.status();
    if (!found->has_value()) return false;
    const Room room = **found;
    ZSTD_outBuffer out = {
        ring_.data() + room.at,
        std::min(room.size, std::max(kChunkSize - chunk_size_, kBlockRoom)), 0};
    ZSTD_inBuffer input = {in_.data() + in_begin_, in_end_ - in_begin_, 0};
    const size_t rc = ZSTD_decompressStream(dctx_, &out, &input);
    in_begin_ += input.pos;
    if (ZSTD_isError(rc)) return Corrupt(name_, "zstd", ZSTD_getErrorName(rc));
    Decoded(room.at, out.pos);
    if (rc == 0) {  // the frame is complete and flushed
      state_ = State::kFrameStart;
    } else if (out.pos == 0 && input.pos == 0 && in_begin_ == in_end_ && eof_) {
      return Corrupt(name_, "zstd", "unexpected end");
    }
    return true;
  }

  std::unique_ptr<ByteSource> source_;
  std::string name_;
  ReadBuffer in_;  // input at [in_begin_, in_end_)
  size_t in_begin_ = 0;
  size_t in_end_ = 0;
  bool eof_ = false;
  ZSTD_DCtx* dctx_;
  State state_ = State::kFrameStart;
  uint64_t window_ = 0;  // of the frame being decoded (0: none to keep)
  size_t block_room_ = kBlockRoom;

  ReadBuffer ring_{0};
  std::deque<Run> runs_;     // what ring_ holds from the oldest byte kept on
  size_t write_at_ = 0;      // where the last run ended
  uint64_t decoded_ = 0;     // bytes decoded so far
  uint64_t returned_ = 0;    // bytes lent and returned (in stream order)
  std::deque<size_t> lent_;  // sizes of the views lent, oldest first
  // Buffers replaced by a larger ring_, until their bytes are returned:
  // the stream offset where each one's bytes end.
  std::deque<std::pair<uint64_t, ReadBuffer>> retired_;
  size_t chunk_begin_ = 0;  // the chunk being decoded, in ring_
  size_t chunk_size_ = 0;
  std::string_view pending_;  // the rest of a lent view Read copies from
  absl::Status error_;        // returned once the bytes before it were
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
    const char* view = nullptr;  // the bytes lent, when lending
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
  // When lending: chunks lent by the source, and those given back, which
  // the thread returns to it (on its own thread) before lending more.
  size_t lent = 0;
  size_t returned = 0;
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
  lending_ = source_->CanLend();
  if (lending_) {
    shared_->thread = std::thread(&PrefetchingSource::RunLending, this);
    return;
  }
  for (size_t i = 0; i < Shared::kPrefetchChunks; ++i) {
    shared_->free.emplace_back(kChunkSize);
  }
  shared_->thread = std::thread(&PrefetchingSource::Run, this);
}

// As Run, but the chunks are views lent by the source: as many are out at
// once (ByteSource::kMaxLent: kPrefetchChunks ahead and the caller's) as
// buffers are in Run.
void PrefetchingSource::RunLending() {
  static_assert(Shared::kPrefetchChunks + 1 == ByteSource::kMaxLent);
  Shared& shared = *shared_;
  size_t returned = 0;
  while (true) {
    size_t to_return;
    {
      std::unique_lock<std::mutex> lock(shared.mutex);
      shared.freed.wait(lock, [&] {
        return shared.stop ||
               shared.lent - shared.returned < Shared::kPrefetchChunks + 1;
      });
      if (shared.stop) return;
      to_return = shared.returned - returned;
    }
    for (; to_return > 0; --to_return, ++returned) source_->Return();
    Shared::Chunk chunk;
    absl::StatusOr<std::string_view> got = source_->Lend();
    if (!got.ok() || got->empty()) {
      chunk.last = true;
      chunk.status = got.status();
    } else {
      chunk.view = got->data();
      chunk.size = got->size();
    }
    chunk.stored = thread_stored_;
    const bool last = chunk.last;
    {
      std::lock_guard<std::mutex> lock(shared.mutex);
      if (!last) ++shared.lent;
      shared.ready.push_back(std::move(chunk));
    }
    shared.filled.notify_one();
    if (last) return;
  }
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
    // A view read through is given back; one lent on, by Return.
    if (current_data_ != nullptr && lending_ && !current_borrowed_) {
      ++shared.returned;
    }
    current_data_ = nullptr;
    current_borrowed_ = false;
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
  current_data_ = lending_ ? chunk.view : current_.data();
  if (chunk.size == 0) current_data_ = nullptr;  // nothing to give back
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
  std::memcpy(dst, current_data_ + current_begin_, take);
  current_begin_ += take;
  return take;
}

absl::StatusOr<size_t> PrefetchingSource::ReadInto(ReadBuffer* buffer) {
  // A chunk not yet started is handed over whole: the buffers swap (the
  // caller's, if a chunk's size, becomes one to fill).
  if (lending_ || buffer->size() < kChunkSize ||
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
  current_data_ = nullptr;
  current_begin_ = current_end_ = 0;
  return size;
}

absl::StatusOr<std::string_view> PrefetchingSource::Lend() {
  if (!lending_) return ByteSource::Lend();
  if (current_borrowed_ || current_begin_ == current_end_) {
    absl::Status status;
    if (!NextChunk(&status)) {
      if (!status.ok()) return status;
      return std::string_view();
    }
  }
  std::string_view view(current_data_ + current_begin_,
                        current_end_ - current_begin_);
  current_begin_ = current_end_;
  current_borrowed_ = true;
  return view;
}

void PrefetchingSource::Return() {
  if (!lending_) return;
  {
    std::lock_guard<std::mutex> lock(shared_->mutex);
    ++shared_->returned;
  }
  shared_->freed.notify_one();
}

LineReader::LineReader(std::unique_ptr<ByteSource> source)
    : source_(std::move(source)),
      lending_(source_->CanLend()),
      buffer_(lending_ ? 0 : kChunkSize),
      data_(buffer_.data()) {}

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
      const char* start = data_ + begin_;
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
    absl::StatusOr<size_t> got;
    if (lending_) {
      // The bytes are read where the source decoded them (no copy).
      if (borrowed_) source_->Return();
      borrowed_ = false;
      absl::StatusOr<std::string_view> lent = source_->Lend();
      if (!lent.ok()) return lent.status();
      data_ = lent->data();
      borrowed_ = !lent->empty();
      got = lent->size();
    } else {
      got = source_->ReadInto(&buffer_);
      if (!got.ok()) return got.status();
      data_ = buffer_.data();
    }
    begin_ = 0;
    end_ = *got;
    bytes_read_ += *got;
    if (*got == 0) eof_ = true;
  }
}

}  // namespace neardup
