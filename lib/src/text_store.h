// Where Scan finds a document's text again. Scan keeps token keys, not texts:
// it reads each text once to analyse it, and again only for the pairs whose
// passages it reports (to turn token positions into byte offsets). A Scanner
// keeps the texts it is given in an unlinked temporary file, so its memory
// does not grow with the texts.
#ifndef NEARDUP_SRC_TEXT_STORE_H_
#define NEARDUP_SRC_TEXT_STORE_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "neardup/neardup.h"

namespace neardup {

class TextStore {
 public:
  virtual ~TextStore() = default;

  // Number of texts.
  virtual size_t size() const = 0;

  // Text `index`. The view points into *buffer or into memory the store
  // holds, and is valid until *buffer changes or the store is destroyed.
  // Thread-safe for concurrent calls with distinct buffers.
  // REQUIRES: index < size().
  virtual absl::StatusOr<std::string_view> Read(size_t index,
                                                std::string* buffer) const = 0;
};

// The texts of documents the caller holds (Scan's input). Reads copy nothing.
class DocumentTexts : public TextStore {
 public:
  explicit DocumentTexts(const std::vector<Document>* documents)
      : documents_(documents) {}

  size_t size() const override { return documents_->size(); }
  absl::StatusOr<std::string_view> Read(size_t index,
                                        std::string* buffer) const override;

 private:
  const std::vector<Document>* documents_;
};

// Texts appended to a temporary file that is unlinked as soon as it is
// created: it takes no memory beyond a 1 MiB write buffer and 8 bytes a
// text, and nothing is left on disk however the process ends.
class SpilledTexts : public TextStore {
 public:
  // Creates the file in `directory`; empty: $TMPDIR, or /tmp without it.
  static absl::StatusOr<std::unique_ptr<SpilledTexts>> Create(
      const std::string& directory);

  SpilledTexts(const SpilledTexts&) = delete;
  SpilledTexts& operator=(const SpilledTexts&) = delete;
  ~SpilledTexts() override;

  // Appends a text; its index is the number of texts before it. Not
  // thread-safe, and not concurrent with Read.
  absl::Status Append(std::string_view text);

  // Forgets every text from index `count` on.
  void Truncate(size_t count);

  // Bytes held on disk (the sum of the texts' sizes).
  uint64_t bytes() const { return end_.empty() ? 0 : end_.back(); }

  size_t size() const override { return end_.size(); }
  absl::StatusOr<std::string_view> Read(size_t index,
                                        std::string* buffer) const override;

 private:
  SpilledTexts(int fd, std::string directory)
      : fd_(fd), directory_(std::move(directory)) {}
  absl::Status Flush();

  int fd_;
  std::string directory_;      // for messages
  std::vector<uint64_t> end_;  // where each text ends in the file
  uint64_t written_ = 0;       // bytes in the file; the rest is in pending_
  std::string pending_;        // appended, not yet written
};

}  // namespace neardup

#endif  // NEARDUP_SRC_TEXT_STORE_H_
