// The zstd decoder of input_source.cc (round buffer, lent in place) gives
// what ZSTD_decompress gives, however it is read.
#include "input_source.h"

#define ZSTD_STATIC_LINKING_ONLY  // ZSTD_c_enableLongDistanceMatching
#include <zstd.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"

namespace neardup {
namespace {

// Yields `bytes` in reads of 1 to `max_read` bytes.
class MemorySource : public ByteSource {
 public:
  MemorySource(std::string bytes, size_t max_read)
      : bytes_(std::move(bytes)), max_read_(max_read) {}
  absl::StatusOr<size_t> Read(char* dst, size_t n) override {
    size_t take =
        std::min({n, bytes_.size() - at_, 1 + (reads_++ * 7919) % max_read_});
    std::memcpy(dst, bytes_.data() + at_, take);
    at_ += take;
    return take;
  }

 private:
  std::string bytes_;
  size_t max_read_;
  size_t at_ = 0;
  size_t reads_ = 0;
};

struct FrameOptions {
  int level = 3;
  int window_log = 0;  // 0: the level's
  bool checksum = true;
  bool content_size = true;  // false: streamed, size not in the header
  bool long_distance = false;
};

std::string Compress(std::string_view bytes, const FrameOptions& options) {
  ZSTD_CCtx* cctx = ZSTD_createCCtx();
  ZSTD_CCtx_setParameter(cctx, ZSTD_c_compressionLevel, options.level);
  ZSTD_CCtx_setParameter(cctx, ZSTD_c_checksumFlag, options.checksum ? 1 : 0);
  if (options.window_log != 0) {
    ZSTD_CCtx_setParameter(cctx, ZSTD_c_windowLog, options.window_log);
  }
  if (options.long_distance) {
    ZSTD_CCtx_setParameter(cctx, ZSTD_c_enableLongDistanceMatching, 1);
  }
  std::string out(ZSTD_compressBound(bytes.size()) + 1024, '\0');
  ZSTD_outBuffer output = {out.data(), out.size(), 0};
  ZSTD_inBuffer input = {bytes.data(), bytes.size(), 0};
  if (!options.content_size) {
    // Given in two calls, the size is not known when the header is written
    // (and the window is not shrunk to it).
    EXPECT_FALSE(ZSTD_isError(
        ZSTD_compressStream2(cctx, &output, &input, ZSTD_e_continue)));
  }
  size_t left;
  do {
    left = ZSTD_compressStream2(cctx, &output, &input, ZSTD_e_end);
    EXPECT_FALSE(ZSTD_isError(left)) << ZSTD_getErrorName(left);
  } while (left > 0 && !ZSTD_isError(left));
  ZSTD_freeCCtx(cctx);
  out.resize(output.pos);
  return out;
}

std::string Skippable(std::string_view contents) {
  std::string frame = "\x50\x2A\x4D\x18";
  const uint32_t size = static_cast<uint32_t>(contents.size());
  for (int i = 0; i < 4; ++i)
    frame.push_back(static_cast<char>(size >> (8 * i)));
  return frame.append(contents);
}

// `size` bytes of text-like data: words from a small vocabulary, with
// runs repeated from `distance` bytes back (0: none).
std::string Text(size_t size, uint32_t seed, size_t distance = 0) {
  std::mt19937 random(seed);
  std::string text;
  text.reserve(size);
  while (text.size() < size) {
    if (distance != 0 && text.size() > distance && random() % 4 == 0) {
      const size_t from = text.size() - distance;
      text.append(text, from, std::min<size_t>(500, size - text.size()));
      continue;
    }
    text.append(absl::StrCat("w", random() % 5000, random() % 9 ? " " : "\n"));
  }
  text.resize(size);
  return text;
}

// What ZSTD_decompress makes of `compressed`, expected to be `size` bytes.
std::string Reference(const std::string& compressed, size_t size) {
  std::string out(size + 1, '\0');
  const size_t got = ZSTD_decompress(out.data(), out.size(), compressed.data(),
                                     compressed.size());
  EXPECT_FALSE(ZSTD_isError(got)) << ZSTD_getErrorName(got);
  out.resize(ZSTD_isError(got) ? 0 : got);
  return out;
}

enum class Way { kRead, kLend, kLendAll, kMixed, kPrefetchedLines };
constexpr Way kWays[] = {Way::kRead, Way::kLend, Way::kLendAll, Way::kMixed,
                         Way::kPrefetchedLines};

// Decompresses `compressed` (given in reads of 1 to `max_read` bytes) the
// way named; the bytes read before an error are in *out.
absl::Status Decode(const std::string& compressed, Way way, size_t max_read,
                    std::string* out) {
  out->clear();
  std::unique_ptr<ByteSource> source = NewDecompressingSource(
      Compression::kZstd, std::make_unique<MemorySource>(compressed, max_read),
      "x.zst");
  EXPECT_TRUE(source->CanLend());
  std::vector<char> buffer(7777);
  switch (way) {
    case Way::kRead:  // copies, in odd sizes
      for (size_t i = 0;; ++i) {
        absl::StatusOr<size_t> got =
            source->Read(buffer.data(), 1 + (i * 4099) % buffer.size());
        if (!got.ok()) return got.status();
        if (*got == 0) return absl::OkStatus();
        out->append(buffer.data(), *got);
      }
    case Way::kLend:       // one view at a time
    case Way::kLendAll: {  // ByteSource::kMaxLent views held, checked late
      std::vector<std::string_view> held;
      std::vector<std::string> copies;
      while (true) {
        absl::StatusOr<std::string_view> lent = source->Lend();
        if (!lent.ok()) return lent.status();
        if (lent->empty()) break;
        held.push_back(*lent);
        copies.emplace_back(*lent);
        const size_t hold = way == Way::kLend ? 1 : ByteSource::kMaxLent;
        if (held.size() == hold) {
          // Unchanged while lent, though more was decoded since.
          EXPECT_EQ(held.front(), copies.front());
          out->append(held.front());
          held.erase(held.begin());
          copies.erase(copies.begin());
          source->Return();
        }
      }
      for (size_t i = 0; i < held.size(); ++i) {
        EXPECT_EQ(held[i], copies[i]);
        out->append(held[i]);
      }
      return absl::OkStatus();
    }
    case Way::kMixed:  // part of a view copied, the rest lent
      for (size_t i = 0;; ++i) {
        if (i % 3 == 0) {
          absl::StatusOr<size_t> got = source->Read(buffer.data(), 1 + i % 50);
          if (!got.ok()) return got.status();
          if (*got == 0) return absl::OkStatus();
          out->append(buffer.data(), *got);
          continue;
        }
        absl::StatusOr<std::string_view> lent = source->Lend();
        if (!lent.ok()) return lent.status();
        if (lent->empty()) return absl::OkStatus();
        out->append(*lent);
        source->Return();
      }
    case Way::kPrefetchedLines: {  // as neardup reads a large .zst file
      size_t stored = 0;
      auto prefetch = std::make_unique<PrefetchingSource>(&stored);
      prefetch->Start(std::move(source));
      LineReader lines(std::move(prefetch));
      std::string line;
      while (true) {
        absl::StatusOr<bool> more = lines.ReadLine(&line);
        if (!more.ok()) return more.status();
        if (!*more) break;
        out->append(line).push_back('\n');
      }
      // The last line had no "\n" if the stream did not end with one.
      if (lines.bytes_read() < out->size()) out->pop_back();
      EXPECT_EQ(lines.bytes_read(), out->size());
      return absl::OkStatus();
    }
  }
  return absl::OkStatus();
}

// Every way gives what ZSTD_decompress gives.
void ExpectDecodesTo(const std::string& compressed, const std::string& bytes,
                     size_t max_read = 1 << 20) {
  ASSERT_EQ(Reference(compressed, bytes.size()), bytes);
  for (Way way : kWays) {
    std::string got;
    absl::Status status = Decode(compressed, way, max_read, &got);
    EXPECT_TRUE(status.ok()) << static_cast<int>(way) << " " << status;
    EXPECT_EQ(got.size(), bytes.size()) << static_cast<int>(way);
    EXPECT_TRUE(got == bytes) << static_cast<int>(way);
  }
}

TEST(ZstdSourceTest, EmptyInputAndEmptyFrames) {
  ExpectDecodesTo("", "");
  ExpectDecodesTo(Compress("", {}), "");
  ExpectDecodesTo(Compress("", {}) + Compress("a", {}) + Compress("", {}), "a");
}

TEST(ZstdSourceTest, ManyFramesOfEveryKindAndSize) {
  // Small and large windows (the buffer grows while views of the old one
  // are lent), sizes known or not, with and without checksums, skippable
  // frames between them, one larger than a read.
  const std::string a = Text(3 << 20, 1);
  const std::string b = Text(100000, 2);
  const std::string c = Text(5 << 20, 3, 300000);
  std::string compressed =
      Skippable("first") + Compress(b, {.level = 1, .checksum = false}) +
      Compress(a, {.window_log = 23, .content_size = false}) +
      Skippable(Text(3 << 20, 4)) + Skippable("") +
      Compress(c, {.level = 5, .window_log = 20}) + Compress(b, {.level = 19}) +
      Skippable("last");
  ExpectDecodesTo(compressed, b + a + c + b);
}

TEST(ZstdSourceTest, SmallReadsSplitEveryFrameAndBlock) {
  const std::string a = Text(400000, 5, 1000);
  const std::string compressed =
      Compress(a.substr(0, 1000), {}) + Skippable("x") +
      Compress(a, {.checksum = false}) + Compress(a, {.content_size = false});
  ExpectDecodesTo(compressed, a.substr(0, 1000) + a + a, 7);
}

TEST(ZstdSourceTest, MatchesAcrossTheWrapOfTheRoundBuffer) {
  // Copies from 7 MiB back in an 8 MiB window: the round buffer (about the
  // window) wraps twice, and the blocks after a wrap copy from before it.
  const std::string text = Text(22 << 20, 6, 7 << 20);
  ExpectDecodesTo(Compress(text, {.level = 1,
                                  .window_log = 23,
                                  .content_size = false,
                                  .long_distance = true}),
                  text, 100000);
}

TEST(ZstdSourceTest, HugeWindowIsDecodedByTheStreamingApi) {
  // A 128 MiB window (above the round buffer's 64 MiB): the header keeps it
  // as the size is not known. Around it, frames decoded in place.
  const std::string text = Text(3 << 20, 7, 1 << 20);
  const std::string small = Text(5000, 8);
  const std::string compressed =
      Compress(small, {}) +
      Compress(text, {.window_log = 27, .content_size = false}) +
      Compress(small, {});
  ZSTD_frameHeader header;
  const std::string second = compressed.substr(Compress(small, {}).size());
  ASSERT_EQ(ZSTD_getFrameHeader(&header, second.data(), second.size()), 0u);
  ASSERT_EQ(header.windowSize, uint64_t{1} << 27);
  ExpectDecodesTo(compressed, small + text + small, 50000);
}

// Cut anywhere but between frames, or with a byte changed, the stream is
// DataLoss, after the bytes decoded before the damage (a prefix of the
// whole); cut between frames, it is the frames before the cut.
TEST(ZstdSourceTest, TruncatedOrCorruptIsDataLoss) {
  const std::string a = Text(300000, 9);
  const std::string first = Compress(a, {});
  const std::string compressed =
      first + Skippable("skip") + Compress(a, {.content_size = false});
  std::vector<size_t> cuts = {1,
                              3,
                              4,
                              5,
                              6,
                              10,
                              100,
                              first.size() - 4,
                              first.size() - 1,
                              first.size() + 1,
                              first.size() + 11,
                              compressed.size() - 1};
  for (size_t i = 1; i < 40; ++i) cuts.push_back(compressed.size() * i / 40);
  for (size_t cut : cuts) {
    const bool between = cut == first.size() || cut == first.size() + 12;
    for (Way way : kWays) {
      std::string got;
      absl::Status status = Decode(compressed.substr(0, cut), way, 5000, &got);
      EXPECT_TRUE(a.starts_with(got.substr(0, std::min(got.size(), a.size()))));
      if (between) {
        EXPECT_TRUE(status.ok()) << cut << " " << status;
        EXPECT_EQ(got, a);
        continue;
      }
      EXPECT_EQ(status.code(), absl::StatusCode::kDataLoss) << cut;
      EXPECT_TRUE(absl::StartsWith(status.message(),
                                   "x.zst: truncated or corrupt zstd data ("))
          << status;
    }
  }
  for (size_t at : {size_t{0}, size_t{5}, first.size() / 2, first.size() - 2,
                    first.size() + 12 + 3, compressed.size() - 100}) {
    std::string corrupt = compressed;
    corrupt[at] ^= 0x55;
    for (Way way : kWays) {
      std::string got;
      absl::Status status = Decode(corrupt, way, 5000, &got);
      EXPECT_EQ(status.code(), absl::StatusCode::kDataLoss) << at;
      EXPECT_TRUE(absl::StartsWith(status.message(),
                                   "x.zst: truncated or corrupt zstd data ("))
          << status;
    }
  }
  // Not zstd at all, and zstd with garbage after it.
  for (const std::string& bad :
       {std::string("not zstd data"), first + "garbage!", first + "\x28\xB5"}) {
    std::string got;
    EXPECT_EQ(Decode(bad, Way::kLend, 5000, &got).code(),
              absl::StatusCode::kDataLoss);
  }
}

}  // namespace
}  // namespace neardup
