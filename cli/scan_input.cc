// neardup scan: reading the input (scan_input.h).
#include "scan_input.h"

#include <fstream>
#include <string>
#include <utility>
#include <vector>

#include "interrupt.h"

namespace neardup::cli {

absl::StatusOr<std::vector<std::string>> ReadPhrases(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return absl::NotFoundError("cannot read boilerplate phrases from " + path);
  }
  std::vector<std::string> phrases;
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.find_first_not_of(" \t") == std::string::npos) continue;
    phrases.push_back(line);
  }
  if (in.bad()) return absl::DataLossError("cannot read " + path);
  return phrases;
}

absl::StatusOr<Document> ReadDocument(const Scanner& scanner, size_t index) {
  absl::StatusOr<std::string> text = scanner.text(index);
  if (!text.ok()) return text.status();
  return Document{scanner.id(index), *std::move(text)};
}

absl::Status ReadInto(const std::vector<std::string>& paths,
                      const CommonFlags& flags, ProgressLine* progress,
                      InputStats* stats, Scanner* scanner,
                      std::vector<std::string>* origins) {
  auto reader = OpenInput(paths, flags.input, {{"--output", flags.output}});
  if (!reader.ok()) return reader.status();
  InputRecord record;
  for (;;) {
    absl::StatusOr<bool> more = (*reader)->Next(&record);
    PrintWarnings((*reader)->TakeWarnings(), flags.quiet, progress);
    if (!more.ok()) return more.status();
    if (!*more) break;
    if (absl::Status status = scanner->Add(record.id, record.text);
        !status.ok()) {
      return status;
    }
    origins->push_back(std::move(record.origin));
    if (Interrupted()) return absl::CancelledError("interrupted");
    progress->Reading(scanner->size(), (*reader)->stats());
  }
  *stats = (*reader)->stats();
  return absl::OkStatus();
}

}  // namespace neardup::cli
