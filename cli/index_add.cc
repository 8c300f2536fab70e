// neardup index add --index DIR PATH...: each PATH is one batch, committed
// alone; adding the same content again changes nothing.
#include <chrono>
#include <cstdio>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "commands.h"
#include "heap.h"
#include "index_command.h"
#include "interrupt.h"
#include "neardup/feed_index.h"
#include "record_batches.h"
#include "text_escape.h"

namespace neardup::cli {
namespace {

// The index keeps one document per id (the first given), so the reader's
// word on a repeated id (kRepeatedIdFate) is not true here.
constexpr std::string_view kRepeatedIdIndex =
    "; the index keeps the first record of an id, so this one is left out "
    "(further repeats are only counted)";
constexpr std::string_view kRepeatedIdsFate =
    "the index keeps the first record of each id: they were left out";

void ForIndex(std::vector<InputWarning>* warnings) {
  for (InputWarning& warning : *warnings) {
    if (warning.kind == InputWarning::Kind::kRepeatedId &&
        warning.message.ends_with(kRepeatedIdFate)) {
      warning.message.replace(warning.message.size() - kRepeatedIdFate.size(),
                              kRepeatedIdFate.size(), kRepeatedIdIndex);
    }
  }
}

// What became of `path`, on stderr: added as batch `name`, or already there.
void PrintAdded(const std::string& path, const std::string& name,
                const FeedAddResult& result) {
  if (result.already_added) {
    std::fprintf(stderr,
                 "neardup: %s: already in the index (batch %s, same "
                 "content); nothing added\n",
                 DisplayText(path).c_str(),
                 DisplayText(result.batch.name).c_str());
  } else {
    std::fprintf(stderr, "neardup: %s: %zu document%s added as batch %s%s\n",
                 DisplayText(path).c_str(), result.added,
                 result.added == 1 ? "" : "s", DisplayText(name).c_str(),
                 result.existing_ids == 0
                     ? ""
                     : absl::StrCat(" (", result.existing_ids,
                                    " left out: their id is already "
                                    "indexed or came earlier in the input)")
                           .c_str());
  }
}

// Gives FeedIndex::AddBatch one input a RecordBatch at a time, the next one
// read (decompressed, parsed) on another thread while the current one is
// sketched: the input is never all in memory (a 50,000-document input of
// 160 MB held whole cost 39,000 page faults, 0.7 CPU-s on the shared
// machine; DESIGN.md).
class InputParts {
 public:
  InputParts(InputReader* reader, bool quiet) : reader_(reader), quiet_(quiet) {
    for (RecordBatch& b : batches_) b.keep_lines = false;
  }
  InputParts(const InputParts&) = delete;
  InputParts& operator=(const InputParts&) = delete;
  ~InputParts() {
    if (read_ahead_.joinable()) read_ahead_.join();
  }

  absl::StatusOr<absl::Span<const DocumentView>> Next() {
    views_.clear();
    if (done_) return absl::Span<const DocumentView>(views_);
    if (current_ < 0) {
      ReadBatch(reader_, &batches_[0]);
      current_ = 0;
    } else {
      read_ahead_.join();
      TrimBatch(&batches_[current_]);
      current_ ^= 1;
    }
    RecordBatch& batch = batches_[current_];
    ForIndex(&batch.warnings);
    PrintWarnings(batch.warnings, quiet_);
    if (!batch.status.ok()) {
      done_ = true;
      failed_ = true;
      return batch.status;
    }
    if (Interrupted()) {
      done_ = true;
      return absl::CancelledError("interrupted");
    }
    if (batch.end) {
      done_ = true;
    } else {
      read_ahead_ = std::thread(ReadBatch, reader_, &batches_[current_ ^ 1]);
    }
    for (size_t i = 0; i < batch.count; ++i) {
      const InputRecord& r = batch.records[i];
      views_.push_back({r.id, r.text, r.id == r.origin});
    }
    documents_ += batch.count;
    return absl::Span<const DocumentView>(views_);
  }

  // Whether reading the input failed (not the index).
  bool failed() const { return failed_; }
  size_t documents() const { return documents_; }

 private:
  InputReader* reader_;
  bool quiet_;
  RecordBatch batches_[2];
  int current_ = -1;
  std::thread read_ahead_;
  std::vector<DocumentView> views_;
  bool done_ = false;
  bool failed_ = false;
  size_t documents_ = 0;
};

}  // namespace

int RunIndexAdd(const IndexFlags& flags) {
  const auto start = std::chrono::steady_clock::now();
  TuneHeap(size_t{256} << 20, size_t{1} << 30);
  if (!flags.batch.empty() && flags.paths.size() != 1) {
    return Fail("--batch names one input; give one PATH with it");
  }
  for (const std::string& path : flags.paths) {
    if (path == "-" && flags.batch.empty()) {
      return Fail("standard input needs a batch name: pass --batch NAME");
    }
  }
  auto index = OpenIndex(flags, /*writable=*/true, /*create=*/true);
  if (!index.ok()) return Fail(index.status());
  RunSummary summary;
  summary.command = "index add";
  size_t added = 0, existing = 0, already = 0, inputs = 0;
  InputStats total;
  for (size_t p = 0; p < flags.paths.size(); ++p) {
    const std::string& path = flags.paths[p];
    // Each input is its own batch: those before a failed one stay added,
    // it and those after it are not.
    const auto not_added = [&](const absl::Status& status) {
      std::string text =
          absl::StrCat(status.message(), " (nothing of ", path, " was added");
      const size_t after = flags.paths.size() - p - 1;
      if (after > 0) {
        absl::StrAppend(&text, "; not read: the ", after,
                        after == 1 ? " input" : " inputs", " after it, from ",
                        flags.paths[p + 1]);
      }
      return Fail(text + ")");
    };
    auto reader = OpenInput({path}, flags.input, {});
    if (!reader.ok()) return not_added(reader.status());
    const std::string name = flags.batch.empty() ? path : flags.batch;
    InputParts parts(reader->get(), flags.quiet);
    auto result = (*index)->AddBatch(name, [&parts]() { return parts.Next(); });
    if (!result.ok() &&
        (parts.failed() || absl::IsCancelled(result.status()))) {
      if (absl::IsCancelled(result.status()) || Interrupted()) {
        return InterruptedExit();
      }
      return not_added(result.status());
    }
    if (!result.ok()) return Fail(result.status());
    const InputStats stats = (*reader)->stats();
    total.files += stats.files;
    total.records += stats.records;
    total.bytes += stats.bytes;
    total.skipped_bad += stats.skipped_bad;
    total.skipped_files += stats.skipped_files;
    total.repeated_ids += stats.repeated_ids;
    total.invalid_utf8 += stats.invalid_utf8;
    PrintInputSummary(stats, flags.quiet, kRepeatedIdsFate);
    ++inputs;
    summary.documents += parts.documents();
    added += result->added;
    existing += result->existing_ids;
    already += result->already_added ? 1 : 0;
    if (!flags.quiet) PrintAdded(path, name, *result);
    if (Interrupted()) return InterruptedExit();
  }
  const double seconds = SecondsSince(start);
  if (flags.format == "jsonl") {
    summary.counts = {{"inputs", inputs},
                      {"added", added},
                      {"existing_ids", existing},
                      {"inputs_already_added", already}};
    summary.input = total;
    summary.seconds = seconds;
    summary.measures = {
        {"docs_per_second",
         seconds > 0 ? static_cast<double>(summary.documents) / seconds : 0},
        {"cpu_seconds", CpuSeconds()}};
    const std::string line = SummaryJson(summary);
    std::fwrite(line.data(), 1, line.size(), stdout);
  }
  if (!StdoutWritten()) return Fail("cannot write the summary");
  return kExitFound;
}

}  // namespace neardup::cli
