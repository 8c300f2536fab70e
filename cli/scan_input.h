// neardup scan: reading the input into the scanner, and reading documents
// back from it.
#ifndef NEARDUP_CLI_SCAN_INPUT_H_
#define NEARDUP_CLI_SCAN_INPUT_H_

#include <cstddef>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "commands.h"
#include "neardup/neardup.h"

namespace neardup::cli {

// The phrases of a --boilerplate file: one a line, blank lines ignored.
absl::StatusOr<std::vector<std::string>> ReadPhrases(const std::string& path);

// Document `index` of a scan: its id, and its text read back.
absl::StatusOr<Document> ReadDocument(const Scanner& scanner, size_t index);

// Reads every document of `paths` into the scanner as it comes, printing the
// reader's warnings and progress: the texts are never all in memory. Each
// document's origin ("path:line" or the path) goes to `origins`.
absl::Status ReadInto(const std::vector<std::string>& paths,
                      const CommonFlags& flags, ProgressLine* progress,
                      InputStats* stats, Scanner* scanner,
                      std::vector<std::string>* origins);

}  // namespace neardup::cli

#endif  // NEARDUP_CLI_SCAN_INPUT_H_
