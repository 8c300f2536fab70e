// Internals of the input stage, exposed for its tests.
#ifndef NEARDUP_INPUT_INTERNAL_H_
#define NEARDUP_INPUT_INTERNAL_H_

#include <cstddef>
#include <cstdio>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "neardup/input.h"

namespace neardup {

struct InputReaderInternal {
  // Like InputReader::Open, but the path "-" reads `stdin_file` (not owned;
  // it must outlive the reader) instead of the process's standard input.
  static absl::StatusOr<std::unique_ptr<InputReader>> Open(
      std::vector<std::string> paths, const InputOptions& options,
      std::FILE* stdin_file);
};

struct Utf8Check {
  // Bytes that are not part of a well-formed UTF-8 sequence; each maximal
  // ill-formed subpart of them (see DecodeUtf8) is read as one U+FFFD.
  size_t invalid_bytes = 0;
  // Offset of the first such byte, or the text's size if there is none.
  size_t first_invalid = 0;
};

Utf8Check CheckUtf8(std::string_view text);

}  // namespace neardup

#endif  // NEARDUP_INPUT_INTERNAL_H_
