#include "file_io.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace neardup {
namespace {

class FileIoTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = ::testing::TempDir() + "file_io_XXXXXX";
    fd_ = mkstemp(path_.data());
    ASSERT_GE(fd_, 0);
  }
  void TearDown() override {
    close(fd_);
    unlink(path_.c_str());
  }
  std::string Contents() const {
    std::string out(static_cast<size_t>(lseek(fd_, 0, SEEK_END)), '\0');
    EXPECT_EQ(pread(fd_, out.data(), out.size(), 0),
              static_cast<ssize_t>(out.size()));
    return out;
  }
  std::string path_;
  int fd_ = -1;
};

// 3,000 buffers (more than IOV_MAX a call), every third empty, some at the
// ends: all written, in order.
std::vector<std::string> Pieces() {
  std::vector<std::string> pieces;
  pieces.reserve(3001);
  for (int i = 0; i < 3000; ++i) {
    pieces.push_back(i % 3 == 0 ? "" : std::to_string(i) + ",");
  }
  pieces.push_back("");
  return pieces;
}

std::vector<iovec> VectorsOf(std::vector<std::string>& pieces) {
  std::vector<iovec> vectors;
  vectors.reserve(pieces.size());
  for (std::string& p : pieces) vectors.push_back({p.data(), p.size()});
  return vectors;
}

TEST_F(FileIoTest, WritesManyBuffersInOrderAtThePosition) {
  std::vector<std::string> pieces = Pieces();
  std::string expected = "head:";
  for (const std::string& p : pieces) expected += p;
  ASSERT_EQ(write(fd_, "head:", 5), 5);
  std::vector<iovec> vectors = VectorsOf(pieces);
  EXPECT_EQ(WriteVectors(fd_, vectors.data(), vectors.size(), -1), 0);
  EXPECT_EQ(Contents(), expected);
}

TEST_F(FileIoTest, WritesAtAnOffsetWithoutMovingThePosition) {
  std::vector<std::string> pieces = Pieces();
  std::string expected = "0123456789";
  for (const std::string& p : pieces) expected += p;
  ASSERT_EQ(write(fd_, "0123456789", 10), 10);
  std::vector<iovec> vectors = VectorsOf(pieces);
  EXPECT_EQ(WriteVectors(fd_, vectors.data(), vectors.size(), 10), 0);
  EXPECT_EQ(lseek(fd_, 0, SEEK_CUR), 10);
  EXPECT_EQ(Contents(), expected);
}

TEST_F(FileIoTest, NothingToWriteIsNoCall) {
  std::string empty;
  iovec vectors[2] = {{empty.data(), 0}, {empty.data(), 0}};
  EXPECT_EQ(WriteVectors(-1, vectors, 2, -1), 0);  // a call would be EBADF
  EXPECT_EQ(WriteVectors(-1, vectors, 0, 0), 0);
}

TEST_F(FileIoTest, ReturnsTheErrorOfTheFailedCall) {
  const int read_only = open(path_.c_str(), O_RDONLY);
  ASSERT_GE(read_only, 0);
  std::string text = "text";
  iovec vectors[1] = {{text.data(), text.size()}};
  EXPECT_EQ(WriteVectors(read_only, vectors, 1, -1), EBADF);
  EXPECT_EQ(WriteVectors(read_only, vectors, 1, 0), EBADF);
  close(read_only);
}

TEST_F(FileIoTest, ReadsAWholeRangeAtAnOffset) {
  std::string text(3 << 20, '\0');  // larger than one read of a pipe or tty
  for (size_t i = 0; i < text.size(); ++i) text[i] = static_cast<char>(i % 251);
  ASSERT_EQ(write(fd_, text.data(), text.size()),
            static_cast<ssize_t>(text.size()));
  std::string out(text.size() - 5, 'x');
  EXPECT_EQ(ReadFullAt(fd_, out.data(), out.size(), 5), 0);
  EXPECT_EQ(out, text.substr(5));
  EXPECT_EQ(lseek(fd_, 0, SEEK_CUR), static_cast<off_t>(text.size()));
}

TEST_F(FileIoTest, AReadPastTheEndIsEioAndABadDescriptorItsErrno) {
  ASSERT_EQ(write(fd_, "0123456789", 10), 10);
  char out[8];
  EXPECT_EQ(ReadFullAt(fd_, out, 8, 2), 0);
  EXPECT_EQ(std::string(out, 8), "23456789");
  EXPECT_EQ(ReadFullAt(fd_, out, 8, 3), EIO);   // 7 bytes left
  EXPECT_EQ(ReadFullAt(fd_, out, 1, 10), EIO);  // none
  EXPECT_EQ(ReadFullAt(fd_, out, 0, 10), 0);    // nothing to read
  EXPECT_EQ(ReadFullAt(-1, out, 1, 0), EBADF);
  int pipe_fds[2];
  ASSERT_EQ(pipe(pipe_fds), 0);
  EXPECT_EQ(ReadFullAt(pipe_fds[0], out, 1, 0), ESPIPE);
  close(pipe_fds[0]);
  close(pipe_fds[1]);
}

}  // namespace
}  // namespace neardup
