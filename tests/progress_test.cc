// The progress line: drawn on stderr when it is a terminal, never in a pipe
// or with --quiet; erased before the summary.
#include <fcntl.h>
#include <pty.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "gtest/gtest.h"
#include "test_util.h"

namespace neardup {
namespace {

using ::neardup::testing::RunCommand;
using ::neardup::testing::SourcePath;
using ::neardup::testing::StartNeardup;

// Runs neardup with stderr on a pseudo-terminal and stdout to /dev/null;
// returns what it wrote on the terminal, and its exit status in *status.
std::string RunWithTerminal(const std::vector<std::string>& arguments,
                            int* status) {
  int master = -1;
  int slave = -1;
  if (openpty(&master, &slave, nullptr, nullptr, nullptr) != 0) {
    ADD_FAILURE() << "openpty failed";
    return "";
  }
  const int null = open("/dev/null", O_WRONLY | O_CLOEXEC);
  fcntl(master, F_SETFD, FD_CLOEXEC);
  const pid_t pid = StartNeardup(arguments, null, slave);
  close(null);
  close(slave);
  std::string text;
  char buffer[4096];
  for (;;) {
    const ssize_t n = read(master, buffer, sizeof buffer);
    if (n > 0) {
      text.append(buffer, n);
    } else if (n < 0 && errno == EINTR) {
      continue;
    } else {
      break;  // EIO once the child has exited and closed the terminal
    }
  }
  close(master);
  waitpid(pid, status, 0);
  return text;
}

std::vector<std::string> ScanCorpus() {
  return {"scan", SourcePath("corpus"), "--min-tokens", "8"};
}

TEST(ProgressTest, ScanDrawsStagesOnATerminalThenErasesThem) {
  int status = -1;
  const std::string terminal = RunWithTerminal(ScanCorpus(), &status);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0) << terminal;
  for (const char* stage :
       {"\rneardup: reading: ", "\rneardup: analysing: ",
        "\rneardup: sketching: ", "\rneardup: aligning: "}) {
    EXPECT_TRUE(absl::StrContains(terminal, stage)) << stage << terminal;
  }
  EXPECT_LT(terminal.find("analysing"), terminal.find("aligning"));
  // The summary starts on a fresh, erased line.
  const size_t summary = terminal.find("neardup: 5 documents");
  ASSERT_NE(summary, std::string::npos) << terminal;
  EXPECT_EQ(terminal[summary - 1], '\r') << terminal;
}

TEST(ProgressTest, QuietSilencesTheProgressLine) {
  std::vector<std::string> arguments = ScanCorpus();
  arguments.push_back("--quiet");
  int status = -1;
  const std::string terminal = RunWithTerminal(arguments, &status);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0);
  EXPECT_EQ(terminal, "");
}

TEST(ProgressTest, NoProgressWhenStderrIsNotATerminal) {
  std::string out;
  std::string command = std::string(NEARDUP_CLI);
  for (const std::string& argument : ScanCorpus()) command += " " + argument;
  EXPECT_EQ(RunCommand(command + " 2>&1 >/dev/null", &out), 0);
  EXPECT_TRUE(absl::StartsWith(out, "neardup: 5 documents")) << out;
  EXPECT_FALSE(absl::StrContains(out, "\r")) << out;
}

TEST(ProgressTest, DedupDrawsReadingAndClusteringOnATerminal) {
  const std::string dir = ::testing::TempDir();
  const std::string kept = dir + "/progress-kept.jsonl";
  const std::string clusters = dir + "/progress-clusters.jsonl";
  int status = -1;
  const std::string terminal = RunWithTerminal(
      {"dedup", SourcePath("corpus"), "--output", kept, "--clusters", clusters},
      &status);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0) << terminal;
  EXPECT_TRUE(absl::StrContains(terminal, "\rneardup: reading: 5 documents"))
      << terminal;
  EXPECT_TRUE(absl::StrContains(terminal, "\rneardup: clustering: "))
      << terminal;
  EXPECT_TRUE(absl::StrContains(terminal, "neardup: 5 documents read"))
      << terminal;
  std::remove(kept.c_str());
  std::remove(clusters.c_str());
}

}  // namespace
}  // namespace neardup
