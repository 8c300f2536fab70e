// InputReader on arbitrary bytes written to a .jsonl file: reads every record
// and must not crash, hang or leak, and every record's text must be valid
// UTF-8 (invalid bytes in a line are replaced or rejected). Errors are fine.
// The first byte picks the reader's options (strict UTF-8, skipping bad
// records).
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "fuzz_check.h"
#include "neardup/input.h"
#include "utf8.h"

namespace {

// One file per process, rewritten for every input: libFuzzer runs inputs one
// at a time in a process, and -fork/-jobs workers are separate processes.
const std::string& InputPath() {
  static const std::string* const path = [] {
    const char* dir = std::getenv("TMPDIR");
    return new std::string(std::string(dir != nullptr ? dir : "/tmp") +
                           "/neardup_jsonl_fuzzer_" + std::to_string(getpid()) +
                           ".jsonl");
  }();
  return *path;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  neardup::InputOptions options;
  options.strict_utf8 = (data[0] & 1) != 0;
  options.skip_bad = (data[0] & 2) != 0;
  if ((data[0] & 4) != 0) options.id_field = "text";  // both fields one key

  const std::string& path = InputPath();
  std::FILE* file = std::fopen(path.c_str(), "wb");
  FUZZ_CHECK(file != nullptr);
  FUZZ_CHECK(std::fwrite(data + 1, 1, size - 1, file) == size - 1);
  FUZZ_CHECK(std::fclose(file) == 0);

  auto reader = neardup::InputReader::Open({path}, options);
  FUZZ_CHECK(reader.ok());  // the file exists and is readable
  neardup::InputRecord record;
  std::string line;
  size_t records = 0;
  while (true) {
    const absl::StatusOr<bool> next = (*reader)->Next(&record, &line);
    if (!next.ok() || !*next) break;
    ++records;
    FUZZ_CHECK(!line.empty());  // a JSON Lines record
    std::string repaired;
    FUZZ_CHECK(neardup::AppendReplacingInvalidUtf8(record.text, &repaired) ==
               0);
    FUZZ_CHECK(neardup::AppendReplacingInvalidUtf8(line, &repaired) == 0);
    FUZZ_CHECK(neardup::AppendReplacingInvalidUtf8(record.id, &repaired) == 0);
    FUZZ_CHECK(records <= size);  // at most one record per line
  }
  FUZZ_CHECK((*reader)->stats().records == records);
  (*reader)->TakeWarnings();
  std::remove(path.c_str());
  return 0;
}
