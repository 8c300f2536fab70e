// neardup dedup --index (dedup_index.h).
#include "dedup_index.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <system_error>
#include <utility>

#include "absl/strings/str_cat.h"
#include "commands.h"
#include "text_escape.h"

namespace neardup::cli {

absl::Status CheckOutsideIndex(const std::vector<OutputPath>& outputs,
                               const std::string& index) {
  std::error_code error;
  const std::filesystem::path dir =
      std::filesystem::weakly_canonical(index, error);
  if (error) return absl::OkStatus();  // Open() will say what is wrong
  for (const OutputPath& output : outputs) {
    const std::filesystem::path path =
        std::filesystem::weakly_canonical(output.path, error);
    if (!error && path.parent_path() == dir) {
      return absl::InvalidArgumentError(absl::StrCat(
          output.flag, " ", output.path, " is inside the index directory ",
          index, "; writing it could destroy the index — give another path"));
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<std::unique_ptr<IndexCheck>> IndexCheck::Open(
    const DedupFlags& flags, DedupOptions* options) {
  if (options->mode != DedupMode::kJaccard) {
    return absl::InvalidArgumentError(
        "--index compares documents by Jaccard similarity; --mode "
        "containment cannot be used with it");
  }
  std::unique_ptr<IndexCheck> check(new IndexCheck());
  check->counts_.batch = flags.batch;
  if (check->counts_.batch.empty()) {
    if (flags.paths.size() != 1 || flags.paths[0] == "-") {
      return absl::InvalidArgumentError(
          "--index adds the kept documents as one batch: name it with --batch "
          "NAME when the input is several paths or standard input");
    }
    check->counts_.batch = flags.paths[0];
  }
  FeedIndexParams wanted;
  wanted.analyze = options->analyze;
  wanted.shingle = options->shingle;
  wanted.num_hashes = options->num_hashes;
  wanted.seed = options->seed;
  // A new index's bands are tuned for this run's threshold, so that later
  // batches find what this one would.
  const double lsh =
      options->lsh_threshold > 0 ? options->lsh_threshold : options->threshold;
  wanted.lsh_threshold = std::clamp(lsh, 0.05, 0.95);
  FeedIndexOptions& open = check->open_;
  open.params = wanted;
  open.writable = true;
  open.wait_for_writer = flags.wait;
  open.threads = options->threads;
  check->path_ = flags.index;
  auto index = FeedIndex::Open(flags.index, open);
  if (absl::IsNotFound(index.status())) {
    // No history yet. The index is created when the kept documents are
    // added, so that a run that fails creates nothing.
    open.create_if_missing = true;
    if (absl::Status s = check->texts_.Open(); !s.ok()) return s;
    return check;
  }
  if (!index.ok()) return index.status();
  const FeedIndexParams& stored = (*index)->params();
  if (absl::Status s = CheckFeedIndexParams(stored, wanted, flags.given);
      !s.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat(flags.index, ": ", s.message()));
  }
  if (options->threshold < stored.lsh_threshold - 0.05 && !flags.quiet) {
    std::fprintf(stderr,
                 "neardup: warning: %s: the index's LSH bands are tuned for "
                 "similarity %.2f; near-duplicates of indexed documents below "
                 "that (--threshold %.2f) are found only in part\n",
                 DisplayText(flags.index).c_str(), stored.lsh_threshold,
                 options->threshold);
  }
  if (!stored.store_texts) {
    // Said even with -q: it changes what "dropped" means.
    std::fprintf(stderr,
                 "neardup: warning: %s holds no texts (made with --no-text): "
                 "a document is dropped when its similarity to an indexed "
                 "one, estimated from their signatures (standard deviation "
                 "about 0.035), reaches --threshold, so some dropped "
                 "documents are a little below it; their CLUSTERS lines say "
                 "\"exact\":false\n",
                 DisplayText(flags.index).c_str());
  }
  // The batch is de-duplicated within itself as the index would see it.
  options->analyze = stored.analyze;
  options->shingle = stored.shingle;
  check->index_ = std::move(*index);
  check->query_.threshold = options->threshold;
  check->query_.cancel = options->cancel;
  if (absl::Status s = check->texts_.Open(); !s.ok()) return s;
  return check;
}

absl::Status IndexCheck::Check(const std::vector<InputRecord>& records,
                               size_t count, size_t first,
                               std::vector<std::string_view>* texts) {
  std::vector<std::string_view> batch(count);
  for (size_t i = 0; i < count; ++i) batch[i] = records[i].text;
  FeedQueryStats stats;
  absl::StatusOr<std::vector<std::vector<FeedMatch>>> matches;
  if (index_ != nullptr) {
    matches = index_->Query(batch, query_, &stats);
  } else {
    matches = std::vector<std::vector<FeedMatch>>(count);  // no history
  }
  if (!matches.ok()) return matches.status();
  counts_.candidates += stats.candidates;
  counts_.capped_buckets += stats.capped_buckets;
  for (size_t i = 0; i < count; ++i) {
    // Most similar first; the run's own batch (added by an earlier run of
    // the same command) is not history.
    auto best = std::find_if(
        (*matches)[i].begin(), (*matches)[i].end(),
        [this](const FeedMatch& m) { return m.batch != counts_.batch; });
    const auto number = static_cast<uint32_t>(first + i);
    if (best != (*matches)[i].end()) {
      duplicates_.push_back({number, std::move(best->id),
                             std::move(best->batch), best->similarity,
                             best->exact});
      continue;
    }
    if (absl::Status s = texts_.Append(batch[i]); !s.ok()) return s;
    passed_.push_back(number);
    texts->push_back(batch[i]);
  }
  return absl::OkStatus();
}

std::vector<DedupDecision> IndexCheck::Merge(
    const std::vector<DedupDecision>& batch_decisions) const {
  std::vector<DedupDecision> decisions(passed_.size() + duplicates_.size());
  for (size_t j = 0; j < passed_.size(); ++j) {
    DedupDecision d = batch_decisions[j];
    d.representative = passed_[d.representative];
    decisions[passed_[j]] = d;
  }
  for (const IndexedDuplicate& dup : duplicates_) {
    decisions[dup.document] = {dup.similarity, dup.document, false};
  }
  return decisions;
}

absl::Status IndexCheck::AddKept(const std::vector<DedupDecision>& decisions,
                                 const ReadResult& read) {
  std::vector<std::string> texts;
  std::vector<DocumentView> kept;
  for (size_t j = 0; j < passed_.size(); ++j) {
    if (!decisions[passed_[j]].kept) continue;
    texts.emplace_back();
    if (absl::Status s = texts_.ReadLine(j, &texts.back()); !s.ok()) return s;
  }
  size_t next = 0;
  for (const uint32_t number : passed_) {
    if (!decisions[number].kept) continue;
    // A record without an id is named by its place ("-:1"), which the
    // next batch's record on the same line has too.
    kept.push_back({read.ids[number], texts[next++],
                    read.ids[number] == read.origins[number]});
  }
  if (kept.empty()) return absl::OkStatus();  // no empty batch is recorded
  if (index_ == nullptr) {
    auto index = FeedIndex::Open(path_, open_);
    if (!index.ok()) return index.status();
    index_ = std::move(*index);
  }
  auto added = index_->AddBatch(counts_.batch, kept);
  if (!added.ok()) {
    return absl::Status(
        added.status().code(),
        absl::StrCat(added.status().message(),
                     " (nothing was added to the index, and no output was "
                     "written)"));
  }
  counts_.added = added->added;
  counts_.existing_ids = added->existing_ids;
  counts_.already_added = added->already_added;
  if (added->already_added) counts_.existing_batch = added->batch.name;
  return absl::OkStatus();
}

}  // namespace neardup::cli
