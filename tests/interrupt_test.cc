// Ctrl-C: a run stops promptly with status 130 and leaves no output behind,
// even while it waits for input.
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "gtest/gtest.h"
#include "test_util.h"

namespace neardup {
namespace {

namespace fs = std::filesystem;
using ::neardup::testing::ReadFile;
using ::neardup::testing::StartNeardup;

class InterruptTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("neardup-interrupt-" + std::to_string(getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    fifo_ = (dir_ / "feed.jsonl").string();
    ASSERT_EQ(mkfifo(fifo_.c_str(), 0600), 0);
  }
  void TearDown() override { fs::remove_all(dir_); }

  // Starts neardup with `arguments`, stderr to a file; returns its pid.
  pid_t Start(const std::vector<std::string>& arguments) {
    const std::string err = (dir_ / "stderr").string();
    const int fd =
        open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    EXPECT_GE(fd, 0);
    const pid_t pid = StartNeardup(arguments, -1, fd);
    close(fd);
    return pid;
  }

  // Feeds one record into the FIFO and keeps it open, so that neardup waits
  // for more; interrupts neardup; returns its wait status, or -1 if it did
  // not stop within 30 s (it is then killed).
  int InterruptWhileReading(pid_t pid) {
    // Opening a FIFO for writing blocks until neardup opens it for reading,
    // which it does after installing its handlers.
    const int fd = open(fifo_.c_str(), O_WRONLY);
    EXPECT_GE(fd, 0);
    const std::string record =
        "{\"id\":\"a\",\"text\":\"one record and then nothing for a while\"}\n";
    EXPECT_EQ(write(fd, record.data(), record.size()),
              static_cast<ssize_t>(record.size()));
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    kill(pid, SIGINT);
    int status = 0;
    const auto deadline =
        std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (waitpid(pid, &status, WNOHANG) == 0) {
      if (std::chrono::steady_clock::now() > deadline) {
        kill(pid, SIGKILL);
        waitpid(pid, &status, 0);
        close(fd);
        return -1;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    close(fd);
    return status;
  }

  std::vector<std::string> FilesLeft() const {
    std::vector<std::string> names;
    for (const auto& entry : fs::directory_iterator(dir_)) {
      const std::string name = entry.path().filename().string();
      if (name != "feed.jsonl" && name != "stderr") names.push_back(name);
    }
    return names;
  }

  std::string Stderr() const { return ReadFile((dir_ / "stderr").string()); }

  fs::path dir_;
  std::string fifo_;
};

// Sets TMPDIR for the children started while it lives.
class ScopedTmpdir {
 public:
  explicit ScopedTmpdir(const fs::path& dir) {
    const char* old = std::getenv("TMPDIR");
    if (old != nullptr) old_ = old;
    had_ = old != nullptr;
    setenv("TMPDIR", dir.c_str(), 1);
  }
  ~ScopedTmpdir() {
    if (had_) {
      setenv("TMPDIR", old_.c_str(), 1);
    } else {
      unsetenv("TMPDIR");
    }
  }
  ScopedTmpdir(const ScopedTmpdir&) = delete;
  ScopedTmpdir& operator=(const ScopedTmpdir&) = delete;

 private:
  std::string old_;
  bool had_ = false;
};

// scan keeps the texts in a temporary file in $TMPDIR (here dir_): none is
// left behind (FilesLeft).
TEST_F(InterruptTest, ScanStopsWithStatus130AndWritesNothing) {
  const std::string out = (dir_ / "pairs.jsonl").string();
  const ScopedTmpdir tmpdir(dir_);
  const pid_t pid = Start({"scan", fifo_, "--format", "jsonl", "-o", out});
  const int status = InterruptWhileReading(pid);
  ASSERT_NE(status, -1) << "neardup scan did not stop within 30 s";
  ASSERT_TRUE(WIFEXITED(status)) << status;
  EXPECT_EQ(WEXITSTATUS(status), 130);
  EXPECT_NE(Stderr().find("interrupted"), std::string::npos) << Stderr();
  EXPECT_EQ(FilesLeft(), std::vector<std::string>{});
}

TEST_F(InterruptTest, ScanLeavesNoTemporaryFileOnBadInput) {
  const std::string input = (dir_ / "bad.jsonl").string();
  {
    std::ofstream file(input);
    for (int k = 0; k < 3; ++k) {
      file << "{\"id\":\"d" << k << "\",\"text\":\"a text of its own\"}\n";
    }
    file << "{\"id\":\"broken\",\"text\":\n";
  }
  const std::string out = (dir_ / "pairs.jsonl").string();
  const ScopedTmpdir tmpdir(dir_);
  const pid_t pid = Start({"scan", input, "--format", "jsonl", "-o", out});
  int status = 0;
  ASSERT_EQ(waitpid(pid, &status, 0), pid);
  ASSERT_TRUE(WIFEXITED(status)) << status;
  EXPECT_EQ(WEXITSTATUS(status), 2) << Stderr();
  EXPECT_NE(Stderr().find("bad.jsonl:4"), std::string::npos) << Stderr();
  fs::remove(input);
  EXPECT_EQ(FilesLeft(), std::vector<std::string>{});
}

// The temporary file really is made in $TMPDIR: one that cannot be written
// is an error naming it, before anything is read.
TEST_F(InterruptTest, ScanNamesATmpdirItCannotWrite) {
  const std::string missing = (dir_ / "missing").string();
  const ScopedTmpdir tmpdir(missing);
  const pid_t pid = Start({"scan", fifo_, "--format", "jsonl"});
  int status = 0;
  ASSERT_EQ(waitpid(pid, &status, 0), pid);
  ASSERT_TRUE(WIFEXITED(status)) << status;
  EXPECT_EQ(WEXITSTATUS(status), 2);
  EXPECT_NE(Stderr().find(missing), std::string::npos) << Stderr();
  EXPECT_NE(Stderr().find("TMPDIR"), std::string::npos) << Stderr();
}

TEST_F(InterruptTest, DedupStopsWithStatus130AndWritesNothing) {
  const std::string kept = (dir_ / "kept.jsonl").string();
  const std::string clusters = (dir_ / "clusters.jsonl").string();
  const pid_t pid =
      Start({"dedup", fifo_, "--output", kept, "--clusters", clusters});
  const int status = InterruptWhileReading(pid);
  ASSERT_NE(status, -1) << "neardup dedup did not stop within 30 s";
  ASSERT_TRUE(WIFEXITED(status)) << status;
  EXPECT_EQ(WEXITSTATUS(status), 130);
  EXPECT_NE(Stderr().find("interrupted"), std::string::npos) << Stderr();
  EXPECT_EQ(FilesLeft(), std::vector<std::string>{});
}

}  // namespace
}  // namespace neardup
