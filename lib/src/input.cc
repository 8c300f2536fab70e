// The input stage: the files named (input_listing.cc), each opened,
// decompressed and recognised as text or JSON Lines (input_detect.cc), then
// read into records: a text file whole (input_text.cc), a JSON Lines file
// line by line (input_jsonl.cc). The reader that runs them in turn, the
// skip policy (a named file that holds no document is an error, one under a
// directory a warning) and the repeated-id count live here.
#include "neardup/input.h"

#include <sys/stat.h>

#include <algorithm>
#include <numeric>
#include <utility>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "input_internal.h"
#include "input_source.h"

namespace neardup {

struct InputReader::Rep {
  explicit Rep(const InputOptions& o) : context(o), parser(context.options) {}

  ReadContext context;
  std::FILE* stdin_file = nullptr;
  InputListing listing;
  size_t next_source = 0;
  // The source being read (the one an error stopped the reading in), and
  // each source's index in the whole listing (OpenShare keeps some).
  size_t reading = 0;
  std::vector<size_t> listing_index;
  bool check_dirs = true;

  // The JSON Lines file being read, if any, and its index in
  // listing.sources.
  std::unique_ptr<JsonlFileReader> jsonl;
  size_t current_source = 0;
  JsonlParser parser;
  // Every id returned so far, to count repeats.
  absl::flat_hash_set<std::string> seen_ids;
  bool count_ids = true;
  absl::Status status;

  absl::StatusOr<bool> NextRecord(InputRecord* record, std::string* line);
  void CountId(const std::string& id, const std::string& origin);
  absl::Status FinishSource(size_t index, bool usable);
};

InputReader::InputReader(std::unique_ptr<Rep> rep) : rep_(std::move(rep)) {}
InputReader::~InputReader() = default;

absl::StatusOr<std::unique_ptr<InputReader>> InputReader::Open(
    std::vector<std::string> paths, const InputOptions& options) {
  return InputReaderInternal::Open(std::move(paths), options, stdin);
}

absl::StatusOr<std::unique_ptr<InputReader>> InputReaderInternal::Open(
    std::vector<std::string> paths, const InputOptions& options,
    std::FILE* stdin_file) {
  auto rep = std::make_unique<InputReader::Rep>(options);
  rep->stdin_file = stdin_file;
  if (absl::Status s = ListInputs(std::move(paths), stdin_file, &rep->listing);
      !s.ok()) {
    return s;
  }
  return Finish(std::move(rep));
}

absl::StatusOr<std::unique_ptr<InputReader>> InputReaderInternal::OpenShare(
    std::vector<std::string> paths, const InputOptions& options,
    const InputShare& share) {
  auto rep = std::make_unique<InputReader::Rep>(options);
  rep->stdin_file = stdin;
  rep->count_ids = share.count_ids;
  rep->check_dirs = share.check_dirs;
  InputListing& listing = rep->listing;
  if (absl::Status s = ListInputs(std::move(paths), stdin, &listing); !s.ok()) {
    return s;
  }
  std::vector<Source> sources;
  rep->listing_index.clear();
  for (const FilePiece& piece : share.pieces) {
    if (piece.source >= listing.sources.size() || piece.begin >= piece.end) {
      return absl::InvalidArgumentError("a share names a piece of no file");
    }
    Source source = listing.sources[piece.source];
    source.begin = piece.begin;
    source.end = piece.end;
    sources.push_back(std::move(source));
    rep->listing_index.push_back(piece.source);
  }
  listing.sources = std::move(sources);
  if (!share.listing_counts) {
    listing.warnings.clear();
    listing.skipped_files = 0;
    listing.repeated_files = 0;
  }
  return Finish(std::move(rep));
}

std::unique_ptr<InputReader> InputReaderInternal::Finish(
    std::unique_ptr<InputReader::Rep> rep) {
  if (rep->listing_index.size() != rep->listing.sources.size()) {
    rep->listing_index.resize(rep->listing.sources.size());
    std::iota(rep->listing_index.begin(), rep->listing_index.end(), 0);
  }
  InputStats& stats = rep->context.stats;
  rep->context.warnings = std::move(rep->listing.warnings);
  stats.skipped_files = rep->listing.skipped_files;
  stats.repeated_files = rep->listing.repeated_files;
  // The total, for progress displays: known only if every input is a
  // regular file.
  size_t total = 0;
  for (const Source& source : rep->listing.sources) {
    struct stat st;
    if (source.name == "-" || stat(source.name.c_str(), &st) != 0 ||
        !S_ISREG(st.st_mode)) {
      total = 0;
      break;
    }
    const auto size = static_cast<uint64_t>(st.st_size);
    total += static_cast<size_t>(std::min(size, source.end) -
                                 std::min(size, source.begin));
  }
  stats.total_stored_bytes = total;
  return std::unique_ptr<InputReader>(new InputReader(std::move(rep)));
}

absl::StatusOr<bool> InputReader::Next(InputRecord* record, std::string* line) {
  if (!rep_->status.ok()) return rep_->status;
  absl::StatusOr<bool> more = rep_->NextRecord(record, line);
  if (!more.ok()) {
    rep_->status = more.status();
    rep_->jsonl.reset();
  } else if (*more) {
    ++rep_->context.stats.records;
    rep_->CountId(record->id, record->origin);
  }
  return more;
}

bool InputReader::Reads(const std::string& path) const {
  struct stat st;
  if (stat(path.c_str(), &st) != 0) return false;
  return rep_->listing.files.contains(FileId{st.st_dev, st.st_ino});
}

std::vector<InputWarning> InputReader::TakeWarnings() {
  std::vector<InputWarning> warnings;
  warnings.swap(rep_->context.warnings);
  return warnings;
}

const InputStats& InputReader::stats() const { return rep_->context.stats; }

void InputReader::Rep::CountId(const std::string& id,
                               const std::string& origin) {
  if (!count_ids || seen_ids.insert(id).second) return;
  // The first repeat is named; the rest are counted, for the summary.
  if (++context.stats.repeated_ids > 1) return;
  context.warnings.push_back(RepeatedIdWarning(id, origin));
}

InputWarning RepeatedIdWarning(std::string_view id, std::string_view origin) {
  return {std::string(origin),
          absl::StrCat("id \"", std::string(id),
                       "\" repeats an earlier record's id",
                       std::string(kRepeatedIdFate)),
          InputWarning::Kind::kRepeatedId};
}

absl::StatusOr<bool> InputReader::Rep::NextRecord(InputRecord* record,
                                                  std::string* line) {
  while (true) {
    if (jsonl != nullptr) {
      absl::StatusOr<bool> more = jsonl->Next(record, line);
      if (!more.ok() || *more) return more;
      const bool usable = jsonl->records() > 0;
      jsonl.reset();
      if (absl::Status s = FinishSource(current_source, usable); !s.ok()) {
        return s;
      }
      continue;
    }
    if (next_source == listing.sources.size()) return false;
    const size_t index = next_source++;
    reading = index;
    const Source& source = listing.sources[index];
    if (!source.whole()) {
      // A piece of an uncompressed JSON Lines file (InputShare): its bytes
      // are counted by the reader, and the file once, by its first piece.
      absl::StatusOr<std::unique_ptr<ByteSource>> bytes =
          OpenFileSource(source.name);
      if (!bytes.ok() && source.begin == 0) {
        if (source.dir < 0) return bytes.status();
        if (absl::Status s = context.SkipOrReject(
                source, {std::string(bytes.status().message()), ""});
            !s.ok()) {
          return s;
        }
      }
      if (!bytes.ok()) {
        if (source.dir < 0) return bytes.status();
        if (absl::Status s = FinishSource(index, false); !s.ok()) return s;
        continue;
      }
      if (source.begin == 0) ++context.stats.files;
      jsonl = std::make_unique<JsonlFileReader>(source, *std::move(bytes),
                                                &parser, &context);
      current_source = index;
      continue;
    }
    bool is_jsonl = false;
    absl::StatusOr<std::unique_ptr<ByteSource>> bytes =
        OpenSource(source, stdin_file, &context, &is_jsonl);
    if (!bytes.ok()) {
      // A file under a directory that vanished or became unreadable since
      // it was listed is skipped as an unreadable one is.
      if (source.dir < 0 || absl::IsCancelled(bytes.status()) ||
          absl::IsDataLoss(bytes.status())) {
        return bytes.status();
      }
      const std::string message(bytes.status().message());
      if (absl::Status s = context.SkipOrReject(source, {message, ""});
          !s.ok()) {
        return s;
      }
      if (absl::Status s = FinishSource(index, false); !s.ok()) return s;
      continue;
    }
    ++context.stats.files;
    if (is_jsonl) {
      jsonl = std::make_unique<JsonlFileReader>(source, *std::move(bytes),
                                                &parser, &context);
      current_source = index;
      continue;
    }
    absl::StatusOr<bool> usable =
        ReadTextFile(source, bytes->get(), &context, record);
    if (!usable.ok()) return usable.status();
    if (absl::Status s = FinishSource(index, *usable); !s.ok()) return s;
    if (*usable) {
      if (line != nullptr) line->clear();
      return true;
    }
  }
}

absl::Status ReadContext::SkipOrReject(const Source& source,
                                       const Problem& problem) {
  if (source.dir < 0) {
    return absl::InvalidArgumentError(
        absl::StrCat(source.name, ": ", problem.what,
                     problem.advice.empty() ? "" : " — ", problem.advice));
  }
  ++stats.skipped_files;
  warnings.push_back({source.name, absl::StrCat("skipped: ", problem.what)});
  return absl::OkStatus();
}

// A directory none of whose files gave a record is an error once its last
// file is done with.
absl::Status InputReader::Rep::FinishSource(size_t index, bool usable) {
  const int dir = listing.sources[index].dir;
  if (dir < 0) return absl::OkStatus();
  if (usable) ++listing.dirs[dir].usable;
  const bool last = index + 1 == listing.sources.size() ||
                    listing.sources[index + 1].dir != dir;
  if (check_dirs && last && listing.dirs[dir].usable == 0) {
    return NoUsableFilesError(listing.dirs[dir].name);
  }
  return absl::OkStatus();
}

absl::Status NoUsableFilesError(std::string_view dir) {
  return absl::InvalidArgumentError(
      absl::StrCat(std::string(dir),
                   ": no usable files in directory (all are empty, binary, "
                   "UTF-16, unreadable or without records) — check the path"));
}

ShareProgress InputReaderInternal::Progress(const InputReader& reader) {
  const InputReader::Rep& rep = *reader.rep_;
  ShareProgress progress;
  if (rep.reading < rep.listing_index.size()) {
    progress.source = rep.listing_index[rep.reading];
  }
  for (const Directory& dir : rep.listing.dirs) {
    progress.usable.push_back(dir.usable);
  }
  return progress;
}

}  // namespace neardup
