#include "spool.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <functional>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "gtest/gtest.h"

namespace neardup::cli {
namespace {

// 2,000 lines of 0 to 300 bytes, some kept.
struct Lines {
  std::vector<std::string> lines;
  std::vector<bool> keep;
  std::string kept;  // what CopyLines should write
};

Lines MakeLines(unsigned seed) {
  std::mt19937 rng(seed);
  Lines out;
  for (int i = 0; i < 2000; ++i) {
    std::string line(rng() % 301, 'a' + static_cast<char>(i % 26));
    line += std::to_string(i);
    out.lines.push_back(line);
    out.keep.push_back(rng() % 4 != 0);
    if (out.keep.back()) out.kept += line + "\n";
  }
  return out;
}

void Fill(const Lines& lines, Spool* spool) {
  ASSERT_TRUE(spool->Open().ok());
  // Both ways of appending.
  for (size_t i = 0; i < lines.lines.size() / 2; ++i) {
    ASSERT_TRUE(spool->Append(lines.lines[i]).ok());
  }
  std::vector<std::string_view> rest(lines.lines.begin() + 1000,
                                     lines.lines.end());
  ASSERT_TRUE(spool->AppendLines(rest).ok());
}

std::string ReadAll(FILE* file) {
  std::fflush(file);
  std::string out;
  char buffer[4096];
  std::rewind(file);
  size_t n;
  while ((n = std::fread(buffer, 1, sizeof buffer, file)) > 0) {
    out.append(buffer, n);
  }
  return out;
}

// What CopyLines writes into a file opened for appending (in order, at
// the file's end; never on two threads).
std::string CopyAppending(Spool* spool, const std::vector<bool>& keep,
                          size_t parallel_from) {
  char path[] = "/tmp/neardup-spool-test-XXXXXX";
  const int fd = mkstemp(path);
  EXPECT_GE(fd, 0);
  if (fd < 0) return "(no temporary file)";
  close(fd);
  FILE* appending = std::fopen(path, "a+");
  EXPECT_NE(appending, nullptr);
  std::string out = "(not copied)";
  if (appending != nullptr) {
    if (spool->CopyLines(keep, appending, "out", parallel_from).ok()) {
      out = ReadAll(appending);
    }
    std::fclose(appending);
  }
  unlink(path);
  return out;
}

// What `write` writes into the write end of a pipe (as a FILE*, closed
// after it), read on another thread; *status is what `write` returns.
std::string ThroughAPipe(const std::function<absl::Status(FILE*)>& write,
                         absl::Status* status) {
  int ends[2];
  if (pipe(ends) != 0) {
    *status = absl::InternalError("no pipe");
    return "";
  }
  std::string piped;
  std::thread reader([&] {
    char buffer[4096];
    ssize_t n;
    while ((n = read(ends[0], buffer, sizeof buffer)) > 0) {
      piped.append(buffer, static_cast<size_t>(n));
    }
  });
  FILE* out = fdopen(ends[1], "w");
  *status = out != nullptr ? write(out) : absl::InternalError("no FILE");
  if (out != nullptr) {
    std::fclose(out);
  } else {
    close(ends[1]);
  }
  reader.join();
  close(ends[0]);
  return piped;
}

// Into a regular file after a prefix: on one thread, and on two with the
// middle anywhere (parallel from 1 byte on), lines written where they
// belong and the position left at the end.
TEST(SpoolTest, CopiesKeptLinesOnOneOrTwoThreads) {
  for (unsigned seed = 1; seed <= 4; ++seed) {
    const Lines lines = MakeLines(seed);
    Spool spool;
    Fill(lines, &spool);
    for (size_t parallel_from : {size_t{1}, Spool::kParallelCopyBytes}) {
      FILE* out = std::tmpfile();
      ASSERT_NE(out, nullptr);
      std::fputs("prefix\n", out);
      ASSERT_TRUE(spool.CopyLines(lines.keep, out, "out", parallel_from).ok());
      std::fputs("suffix\n", out);
      EXPECT_EQ(ReadAll(out), "prefix\n" + lines.kept + "suffix\n")
          << "seed " << seed << ", parallel from " << parallel_from;
      std::fclose(out);
    }
  }
}

// Lines longer than the buffer CopyLines reads the spool through (1 MiB),
// kept and dropped, with long and short gaps between kept ones: on one
// thread and two, into a file and in order (a file opened for appending).
TEST(SpoolTest, CopiesLinesLongerThanItsBufferAcrossLongGaps) {
  std::mt19937 rng(11);
  const size_t sizes[] = {
      10,      size_t{3} << 20, 200, 700 << 10, (1 << 20) - 1,
      1 << 20, (1 << 20) + 1,   5,   300 << 10, size_t{5} << 20,
      40,      260 << 10};
  for (int pattern = 0; pattern < 6; ++pattern) {
    Spool spool;
    ASSERT_TRUE(spool.Open().ok());
    std::vector<bool> keep;
    std::string kept;
    for (int round = 0; round < 2; ++round) {
      for (size_t i = 0; i < std::size(sizes); ++i) {
        std::string line(sizes[i], static_cast<char>('a' + (i + round) % 26));
        for (size_t k = 0; k < line.size(); k += 4093) {
          line[k] = static_cast<char>('A' + rng() % 26);
        }
        ASSERT_TRUE(spool.Append(line).ok());
        const bool keep_it = pattern == 0 ? true : rng() % pattern == 0;
        keep.push_back(keep_it);
        if (keep_it) kept += line + "\n";
      }
    }
    for (size_t parallel_from : {size_t{1}, Spool::kParallelCopyBytes}) {
      FILE* out = std::tmpfile();
      ASSERT_NE(out, nullptr);
      ASSERT_TRUE(spool.CopyLines(keep, out, "out", parallel_from).ok());
      EXPECT_TRUE(ReadAll(out) == kept)
          << "pattern " << pattern << ", parallel from " << parallel_from;
      std::fclose(out);
    }
    EXPECT_TRUE(CopyAppending(&spool, keep, Spool::kParallelCopyBytes) == kept)
        << "pattern " << pattern;
  }
}

// Two kept lines of the same length: the middle falls on the boundary
// between them (a cut of 0 bytes).
TEST(SpoolTest, TwoThreadsSplitOnALineBoundary) {
  Spool spool;
  ASSERT_TRUE(spool.Open().ok());
  ASSERT_TRUE(spool.Append("first").ok());
  ASSERT_TRUE(spool.Append("dropped").ok());
  ASSERT_TRUE(spool.Append("secnd").ok());
  FILE* out = std::tmpfile();
  ASSERT_NE(out, nullptr);
  ASSERT_TRUE(spool.CopyLines({true, false, true}, out, "out", 1).ok());
  EXPECT_EQ(ReadAll(out), "first\nsecnd\n");
  std::fclose(out);
}

// A file opened for appending and a pipe are written in order.
TEST(SpoolTest, CopiesInOrderIntoAnAppendingFileAndAPipe) {
  const Lines lines = MakeLines(7);
  Spool spool;
  Fill(lines, &spool);
  EXPECT_EQ(CopyAppending(&spool, lines.keep, 1), lines.kept);
  absl::Status status;
  const std::string piped = ThroughAPipe(
      [&](FILE* out) { return spool.CopyLines(lines.keep, out, "out", 1); },
      &status);
  EXPECT_TRUE(status.ok()) << status;
  EXPECT_EQ(piped, lines.kept);
}

// BeginCopy, CopyUntil over ranges of lines as they would be decided
// (empty ranges, single lines, ranges ending mid-run of kept lines), then
// EndCopy: what CopyLines writes, into a file after a prefix (the position
// left at the end) and into a pipe.
TEST(SpoolTest, CopiesRangesInOrderAsTheyAreDecided) {
  for (unsigned seed = 1; seed <= 3; ++seed) {
    const Lines lines = MakeLines(seed);
    Spool spool;
    Fill(lines, &spool);
    const std::vector<uint8_t> keep(lines.keep.begin(), lines.keep.end());
    std::mt19937 rng(seed);
    std::vector<size_t> ends;  // where each CopyUntil stops
    for (size_t end = 0; end < keep.size();) {
      end = std::min(keep.size(), end + rng() % 400);
      ends.push_back(end);
      if (rng() % 5 == 0) ends.push_back(end);  // nothing new
    }
    FILE* out = std::tmpfile();
    ASSERT_NE(out, nullptr);
    std::fputs("prefix\n", out);
    ASSERT_TRUE(spool.BeginCopy(out, "out").ok());
    for (size_t end : ends) ASSERT_TRUE(spool.CopyUntil(keep, end).ok());
    ASSERT_TRUE(spool.EndCopy().ok());
    std::fputs("suffix\n", out);
    EXPECT_EQ(ReadAll(out), "prefix\n" + lines.kept + "suffix\n")
        << "seed " << seed;
    std::fclose(out);

    absl::Status status;
    const std::string piped = ThroughAPipe(
        [&](FILE* pipe_out) {
          absl::Status s = spool.BeginCopy(pipe_out, "a pipe");
          for (size_t end : ends) {
            if (s.ok()) s = spool.CopyUntil(keep, end);
          }
          return s.ok() ? spool.EndCopy() : s;
        },
        &status);
    EXPECT_TRUE(status.ok()) << status;
    EXPECT_EQ(piped, lines.kept);
  }
}

// A full disk (/dev/full: every write fails with ENOSPC) is reported with
// the name of the output, whichever way the lines are copied.
TEST(SpoolTest, AFailedWriteNamesTheOutput) {
  const Lines lines = MakeLines(3);
  Spool spool;
  Fill(lines, &spool);
  FILE* full = std::fopen("/dev/full", "w");
  if (full == nullptr) GTEST_SKIP() << "no /dev/full here";
  const absl::Status copied = spool.CopyLines(lines.keep, full, "kept.jsonl");
  EXPECT_FALSE(copied.ok());
  const std::string message(copied.message());
  EXPECT_NE(message.find("cannot write kept.jsonl"), std::string::npos)
      << message;
  EXPECT_NE(message.find(std::strerror(ENOSPC)), std::string::npos) << message;
  const std::vector<uint8_t> keep(lines.keep.begin(), lines.keep.end());
  absl::Status streamed = spool.BeginCopy(full, "kept.jsonl");
  if (streamed.ok()) streamed = spool.CopyUntil(keep, keep.size());
  EXPECT_FALSE(streamed.ok());
  EXPECT_NE(std::string(streamed.message()).find("cannot write kept.jsonl"),
            std::string::npos)
      << streamed;
  std::fclose(full);
}

}  // namespace
}  // namespace neardup::cli
