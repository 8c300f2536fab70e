// neardup::Scanner: Scan fed a document or a batch at a time. The texts go
// to a temporary file as they come (text_store.h); Finish scans them from
// there.
#include <utility>

#include "analyze.h"
#include "neardup/neardup.h"
#include "neardup/options.h"
#include "scan_internal.h"
#include "text_store.h"

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
    const ScanOptions& options, const std::string& temp_dir) {
  if (absl::Status status = ValidateScanOptions(options); !status.ok()) {
    return status;
  }
  absl::StatusOr<std::unique_ptr<SpilledTexts>> texts =
      SpilledTexts::Create(temp_dir);
  if (!texts.ok()) return texts.status();
  return std::unique_ptr<Scanner>(new Scanner(options, *std::move(texts)));
}

Scanner::Scanner(const ScanOptions& options,
                 std::unique_ptr<SpilledTexts> texts)
    : options_(options), texts_(std::move(texts)) {}
Scanner::~Scanner() = default;

absl::Status Scanner::Add(std::string_view id, std::string_view text) {
  const DocumentView view{id, text};
  return Add(absl::Span<const DocumentView>(&view, 1));
}

absl::Status Scanner::Add(const Document& document) {
  return Add(document.id, document.text);
}

absl::Status Scanner::Add(absl::Span<const DocumentView> batch) {
  if (finished_) return absl::FailedPreconditionError("Add() after Finish()");
  for (const DocumentView& document : batch) {
    if (absl::Status status = CheckText(document.id, document.text);
        !status.ok()) {
      return status;
    }
  }
  if (batch.size() > kMaxDocuments - ids_.size()) {
    return absl::InvalidArgumentError("too many documents (2^32 or more)");
  }
  for (size_t k = 0; k < batch.size(); ++k) {
    if (absl::Status status = texts_->Append(batch[k].text); !status.ok()) {
      // None of the batch is added: the texts appended are forgotten.
      texts_->Truncate(ids_.size());
      return status;
    }
    ids_.emplace_back(batch[k].id);
  }
  return absl::OkStatus();
}

size_t Scanner::size() const { return ids_.size(); }

const std::string& Scanner::id(size_t index) const { return ids_[index]; }

absl::StatusOr<std::string> Scanner::text(size_t index) const {
  if (index >= ids_.size()) {
    return absl::OutOfRangeError("no document " + std::to_string(index));
  }
  std::string buffer;
  absl::StatusOr<std::string_view> read = texts_->Read(index, &buffer);
  if (!read.ok()) return read.status();
  if (read->data() != buffer.data()) buffer.assign(*read);
  return buffer;
}

absl::StatusOr<ScanResult> Scanner::Finish() {
  if (finished_) return absl::FailedPreconditionError("Finish() called twice");
  finished_ = true;
  return ScanTexts(*texts_, options_);
}

}  // namespace neardup
