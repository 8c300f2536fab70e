#include "atomic_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <string>

#include "gtest/gtest.h"

namespace neardup::cli {
namespace {

std::string TempPath(const char* name) {
  return ::testing::TempDir() + name + std::to_string(getpid());
}

// Syncs asked for while a regular file is written, then Finish: no error;
// asking after Finish does nothing.
TEST(BackgroundSyncTest, SyncsARegularFileAsAsked) {
  const std::string path = TempPath("background_sync_");
  const int fd = open(path.c_str(), O_RDWR | O_CREAT | O_TRUNC, 0600);
  ASSERT_GE(fd, 0);
  BackgroundSync sync(fd);
  const std::string block(1 << 16, 'x');
  for (int i = 0; i < 64; ++i) {
    ASSERT_EQ(write(fd, block.data(), block.size()),
              static_cast<ssize_t>(block.size()));
    if (i % 8 == 7) sync.Request();
  }
  EXPECT_EQ(sync.Finish(), 0);
  sync.Request();
  EXPECT_EQ(sync.Finish(), 0);
  close(fd);
  unlink(path.c_str());
}

// A sync that fails is reported by Finish (here: a descriptor that can
// only be stat'ed, O_PATH, so fdatasync is EBADF).
TEST(BackgroundSyncTest, FinishReportsAFailedSync) {
  const std::string path = TempPath("background_sync_fail_");
  const int file = open(path.c_str(), O_RDWR | O_CREAT | O_TRUNC, 0600);
  ASSERT_GE(file, 0);
  close(file);
  const int fd = open(path.c_str(), O_PATH);
  ASSERT_GE(fd, 0);
  BackgroundSync sync(fd);
  sync.Request();
  EXPECT_EQ(sync.Finish(), EBADF);
  close(fd);
  unlink(path.c_str());
}

// Not a regular file (a pipe, a device): nothing to sync, no thread.
TEST(BackgroundSyncTest, IgnoresWhatIsNotARegularFile) {
  int ends[2];
  ASSERT_EQ(pipe(ends), 0);
  BackgroundSync sync(ends[1]);
  sync.Request();
  EXPECT_EQ(sync.Finish(), 0);
  close(ends[0]);
  close(ends[1]);
}

}  // namespace
}  // namespace neardup::cli
