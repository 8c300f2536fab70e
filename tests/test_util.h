// Helpers shared by the integration tests.
#ifndef NEARDUP_TESTS_TEST_UTIL_H_
#define NEARDUP_TESTS_TEST_UTIL_H_

#include <sys/types.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_split.h"

namespace neardup::testing {

inline std::string SourcePath(const std::string& relative) {
  return std::string(NEARDUP_SOURCE_DIR) + "/" + relative;
}

inline std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

inline void WriteFile(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary);
  out << bytes;
}

// The lines of `text`, without their "\n"; a final "\n" ends the last line.
inline std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines = absl::StrSplit(text, '\n');
  if (!lines.empty() && lines.back().empty()) lines.pop_back();
  return lines;
}

// The seed article whose file name starts with `prefix` ("000" ... "004").
inline std::string SeedPath(const std::string& prefix) {
  std::vector<std::string> names;
  for (const auto& entry :
       std::filesystem::directory_iterator(SourcePath("corpus"))) {
    const std::string name = entry.path().filename().string();
    if (name.rfind(prefix + "_", 0) == 0)
      names.push_back(entry.path().string());
  }
  return names.size() == 1 ? names[0] : std::string();
}

// Splits UTF-8 text into code points (as strings), for character-level
// bookkeeping in tests. Assumes valid UTF-8.
inline std::vector<std::string> CodePoints(const std::string& text) {
  std::vector<std::string> out;
  for (size_t i = 0; i < text.size();) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    const size_t len = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    out.push_back(text.substr(i, len));
    i += len;
  }
  return out;
}

// Runs a shell command; returns its exit status and fills `out` with stdout.
inline int RunCommand(const std::string& command, std::string* out) {
  out->clear();
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return -1;
  char buffer[65536];
  size_t n;
  while ((n = fread(buffer, 1, sizeof buffer, pipe)) > 0)
    out->append(buffer, n);
  const int status = pclose(pipe);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

// Starts the neardup program with `args`, its stdout and stderr on the given
// descriptors (-1: the test's own), and returns its pid (-1 if fork fails).
// The caller waits for it.
inline pid_t StartNeardup(const std::vector<std::string>& args, int stdout_fd,
                          int stderr_fd) {
  std::vector<std::string> strings = {NEARDUP_CLI};
  strings.insert(strings.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (std::string& s : strings) argv.push_back(s.data());
  argv.push_back(nullptr);
  const pid_t pid = fork();
  if (pid == 0) {
    // Only async-signal-safe calls between fork and exec.
    if ((stdout_fd >= 0 && dup2(stdout_fd, STDOUT_FILENO) < 0) ||
        (stderr_fd >= 0 && dup2(stderr_fd, STDERR_FILENO) < 0)) {
      _exit(126);
    }
    execv(argv[0], argv.data());
    _exit(127);
  }
  return pid;
}

}  // namespace neardup::testing

#endif  // NEARDUP_TESTS_TEST_UTIL_H_
