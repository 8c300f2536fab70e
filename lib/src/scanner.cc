// neardup::Scanner: Scan fed a document or a batch at a time. For now it
// holds the documents and runs Scan on them in Finish().
#include <utility>

#include "analyze.h"
#include "neardup/neardup.h"
#include "neardup/options.h"

namespace neardup {
namespace {

// The most documents a Scanner takes: indices are 32-bit inside Scan.
constexpr size_t kMaxDocuments = 0xFFFFFFFFu - 1;

absl::Status CheckText(std::string_view id, std::string_view text) {
  if (text.size() >= kMaxTextBytes) {
    return absl::InvalidArgumentError("document " + std::string(id) +
                                      " is 4 GiB or more");
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::unique_ptr<Scanner>> Scanner::Create(
    const ScanOptions& options) {
  if (absl::Status status = ValidateScanOptions(options); !status.ok()) {
    return status;
  }
  return std::unique_ptr<Scanner>(new Scanner(options));
}

Scanner::Scanner(const ScanOptions& options) : options_(options) {}
Scanner::~Scanner() = default;

absl::Status Scanner::Add(std::string_view id, std::string_view text) {
  const DocumentView view{id, text};
  return Add(absl::Span<const DocumentView>(&view, 1));
}

absl::Status Scanner::Add(Document document) {
  if (finished_) return absl::FailedPreconditionError("Add() after Finish()");
  if (absl::Status status = CheckText(document.id, document.text);
      !status.ok()) {
    return status;
  }
  if (documents_.size() >= kMaxDocuments) {
    return absl::InvalidArgumentError("too many documents (2^32 or more)");
  }
  documents_.push_back(std::move(document));
  return absl::OkStatus();
}

absl::Status Scanner::Add(absl::Span<const DocumentView> batch) {
  if (finished_) return absl::FailedPreconditionError("Add() after Finish()");
  for (const DocumentView& document : batch) {
    if (absl::Status status = CheckText(document.id, document.text);
        !status.ok()) {
      return status;
    }
  }
  if (batch.size() > kMaxDocuments - documents_.size()) {
    return absl::InvalidArgumentError("too many documents (2^32 or more)");
  }
  documents_.reserve(documents_.size() + batch.size());
  for (const DocumentView& document : batch) {
    documents_.push_back(
        {std::string(document.id), std::string(document.text)});
  }
  return absl::OkStatus();
}

size_t Scanner::size() const { return documents_.size(); }

const std::vector<Document>& Scanner::documents() const { return documents_; }

absl::StatusOr<ScanResult> Scanner::Finish() {
  if (finished_) return absl::FailedPreconditionError("Finish() called twice");
  finished_ = true;
  return Scan(documents_, options_);
}

}  // namespace neardup
