#include "write_vectors.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace neardup {
namespace {

class WriteVectorsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = ::testing::TempDir() + "write_vectors_XXXXXX";
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
  for (int i = 0; i < 3000; ++i) {
    pieces.push_back(i % 3 == 0 ? "" : std::to_string(i) + ",");
  }
  pieces.push_back("");
  return pieces;
}

std::vector<iovec> VectorsOf(std::vector<std::string>& pieces) {
  std::vector<iovec> vectors;
  for (std::string& p : pieces) vectors.push_back({p.data(), p.size()});
  return vectors;
}

TEST_F(WriteVectorsTest, WritesManyBuffersInOrderAtThePosition) {
  std::vector<std::string> pieces = Pieces();
  std::string expected = "head:";
  for (const std::string& p : pieces) expected += p;
  ASSERT_EQ(write(fd_, "head:", 5), 5);
  std::vector<iovec> vectors = VectorsOf(pieces);
  EXPECT_EQ(WriteVectors(fd_, vectors.data(), vectors.size(), -1), 0);
  EXPECT_EQ(Contents(), expected);
}

TEST_F(WriteVectorsTest, WritesAtAnOffsetWithoutMovingThePosition) {
  std::vector<std::string> pieces = Pieces();
  std::string expected = "0123456789";
  for (const std::string& p : pieces) expected += p;
  ASSERT_EQ(write(fd_, "0123456789", 10), 10);
  std::vector<iovec> vectors = VectorsOf(pieces);
  EXPECT_EQ(WriteVectors(fd_, vectors.data(), vectors.size(), 10), 0);
  EXPECT_EQ(lseek(fd_, 0, SEEK_CUR), 10);
  EXPECT_EQ(Contents(), expected);
}

TEST_F(WriteVectorsTest, NothingToWriteIsNoCall) {
  std::string empty;
  iovec vectors[2] = {{empty.data(), 0}, {empty.data(), 0}};
  EXPECT_EQ(WriteVectors(-1, vectors, 2, -1), 0);  // a call would be EBADF
  EXPECT_EQ(WriteVectors(-1, vectors, 0, 0), 0);
}

TEST_F(WriteVectorsTest, ReturnsTheErrorOfTheFailedCall) {
  const int read_only = open(path_.c_str(), O_RDONLY);
  ASSERT_GE(read_only, 0);
  std::string text = "text";
  iovec vectors[1] = {{text.data(), text.size()}};
  EXPECT_EQ(WriteVectors(read_only, vectors, 1, -1), EBADF);
  EXPECT_EQ(WriteVectors(read_only, vectors, 1, 0), EBADF);
  close(read_only);
}

}  // namespace
}  // namespace neardup
