// neardup dedup PATH... --output KEPT --clusters CLUSTERS: keep one document
// per cluster of near-duplicates.
//
// Streaming: texts are analysed batch by batch and dropped; what is kept in
// RAM per document is its sketch state in the Deduplicator, its id, and the
// offset of its output line in a spool file. Every output line (the JSONL
// record's bytes, or {"id":...,"text":...} for a text file) goes to the spool
// as it is read; once all documents are decided, the kept lines are copied
// from the spool to KEPT in input order. Both outputs are written to
// temporary files beside their destinations and renamed into place only when
// everything has succeeded.
#include <fcntl.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "absl/strings/str_format.h"
#include "atomic_file.h"
#include "commands.h"
#include "interrupt.h"
#include "neardup/dedup.h"

namespace neardup::cli {
namespace {

// A batch ends after this many records or this many bytes of text and
// raw lines, whichever comes first: long documents do not make the batch,
// and the memory it holds, grow.
constexpr size_t kBatchRecords = 1024;
constexpr size_t kBatchBytes = size_t{8} << 20;

// Records read ahead, and how the reading ended.
struct Batch {
  std::vector<InputRecord> records = std::vector<InputRecord>(kBatchRecords);
  size_t count = 0;
  std::vector<InputWarning> warnings;
  absl::Status status;
  bool end = false;  // the input ended (or failed) in this batch
};

void ReadBatch(InputReader* reader, Batch* batch) {
  batch->count = 0;
  batch->warnings.clear();
  size_t bytes = 0;
  while (batch->count < kBatchRecords && bytes < kBatchBytes) {
    InputRecord& record = batch->records[batch->count];
    absl::StatusOr<bool> next = reader->Next(&record);
    for (InputWarning& warning : reader->TakeWarnings()) {
      batch->warnings.push_back(std::move(warning));
    }
    if (!next.ok() || !*next) {
      batch->status = next.status();
      batch->end = true;
      return;
    }
    bytes += record.text.size() + record.raw.size();
    ++batch->count;
  }
}

// Frees the records' buffers once the batch is analysed. Reusing them would
// save two allocations per document, but each slot would keep the capacity
// of the longest document it ever held, and the batches' memory would creep
// up to a high quantile of document length times the slots.
void TrimBatch(Batch* batch) {
  for (size_t i = 0; i < batch->count; ++i) {
    std::string().swap(batch->records[i].text);
    std::string().swap(batch->records[i].raw);
  }
}

struct DedupFlags {
  std::vector<std::string> paths;
  std::string output;
  std::string clusters;
  InputOptions input;
  DedupOptions dedup;
  std::string mode = "jaccard";
  std::string keep = "first";
  std::string format = "text";
  bool quiet = false;
};

absl::Status WriteAll(int fd, std::string_view bytes) {
  while (!bytes.empty()) {
    const ssize_t n = write(fd, bytes.data(), bytes.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return absl::InternalError(ErrnoMessage("cannot write"));
    bytes.remove_prefix(static_cast<size_t>(n));
  }
  return absl::OkStatus();
}

// A file holding every document's output line, unlinked as soon as it is
// created.
class Spool {
 public:
  ~Spool() {
    if (file_ != nullptr) std::fclose(file_);
  }

  absl::Status Open() {
    const char* tmpdir = std::getenv("TMPDIR");
    std::string path =
        std::string(tmpdir != nullptr && tmpdir[0] != '\0' ? tmpdir : "/tmp") +
        "/neardup-spool-XXXXXX";
    const int fd = mkstemp(path.data());
    if (fd < 0) {
      return absl::InternalError(ErrnoMessage(
          "cannot create a temporary file (set TMPDIR to a writable "
          "directory)"));
    }
    unlink(path.c_str());
    file_ = fdopen(fd, "w+");
    if (file_ == nullptr) {
      close(fd);
      return absl::InternalError(ErrnoMessage("cannot open the spool file"));
    }
    return absl::OkStatus();
  }

  // Appends `line` and a "\n".
  absl::Status Append(std::string_view line) {
    if (std::fwrite(line.data(), 1, line.size(), file_) != line.size() ||
        std::fputc('\n', file_) == EOF) {
      return absl::InternalError(ErrnoMessage(
          "cannot write the temporary spool file (set TMPDIR to a directory "
          "with space)"));
    }
    size_ += line.size() + 1;
    ends_.push_back(size_);
    return absl::OkStatus();
  }

  // Copies the lines i for which keep(i) is true to `out`, in order. Each
  // run of consecutive kept lines is one copy_file_range() (no copy through
  // user space), or pread() and write() where the kernel cannot do that.
  template <typename Keep>
  absl::Status CopyLines(Keep keep, FILE* out) {
    if (std::fflush(file_) != 0 || std::fflush(out) != 0) {
      return absl::InternalError(ErrnoMessage("cannot write the output"));
    }
    const int in_fd = fileno(file_);
    const int out_fd = fileno(out);
    bool in_kernel = true;
    std::string buffer;
    for (size_t i = 0; i < ends_.size();) {
      if (!keep(i)) {
        ++i;
        continue;
      }
      size_t j = i + 1;
      while (j < ends_.size() && keep(j)) ++j;
      off_t from = static_cast<off_t>(i == 0 ? 0 : ends_[i - 1]);
      size_t left = ends_[j - 1] - static_cast<uint64_t>(from);
      while (left > 0) {
        ssize_t n = -1;
        if (in_kernel) {
          n = copy_file_range(in_fd, &from, out_fd, nullptr, left, 0);
          if (n < 0 && errno != EINTR) {
            in_kernel = false;  // e.g. EXDEV, EINVAL, ENOSYS: copy by hand
            continue;
          }
        } else {
          buffer.resize(std::min<size_t>(left, size_t{4} << 20));
          n = pread(in_fd, buffer.data(), buffer.size(), from);
          if (n > 0) {
            if (absl::Status status =
                    WriteAll(out_fd, std::string_view(buffer.data(), n));
                !status.ok()) {
              return status;
            }
            from += n;
          }
        }
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
          return absl::InternalError(
              ErrnoMessage("cannot copy from the spool file"));
        }
        left -= static_cast<size_t>(n);
      }
      i = j;
    }
    return absl::OkStatus();
  }

 private:
  FILE* file_ = nullptr;
  uint64_t size_ = 0;
  std::vector<uint64_t> ends_;
};

absl::Status Write(FILE* file, std::string_view bytes) {
  if (std::fwrite(bytes.data(), 1, bytes.size(), file) != bytes.size()) {
    return absl::InternalError(ErrnoMessage("cannot write the output"));
  }
  return absl::OkStatus();
}

double PeakMemoryMb() {
  rusage usage;
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_maxrss) / 1024.0;  // KiB on Linux
}

int RunDedup(const DedupFlags& flags) {
  const auto start = std::chrono::steady_clock::now();
  ProgressLine progress(stderr, ProgressLine::Wanted(flags.quiet));
  DedupOptions options = flags.dedup;
  options.cancel = InterruptFlag();
  options.mode = flags.mode == "containment" ? DedupMode::kContainment
                                             : DedupMode::kJaccard;
  options.keep =
      flags.keep == "longest" ? DedupKeep::kLongest : DedupKeep::kFirst;

  if (flags.output == flags.clusters) {
    return Fail("--output and --clusters name the same file; give two paths");
  }
  // An unwritable destination fails before the work. The temporary files
  // themselves are created only once everything is decided, so that an
  // interrupted run leaves none behind.
  AtomicFile kept(flags.output);
  AtomicFile clusters(flags.clusters);
  for (AtomicFile* file : {&kept, &clusters}) {
    if (absl::Status status = file->CheckWritable(); !status.ok()) {
      return Fail(status);
    }
  }
  auto reader = InputReader::Open(flags.paths, flags.input);
  if (!reader.ok()) return Fail(reader.status());
  auto deduplicator = Deduplicator::Create(options);
  if (!deduplicator.ok()) return Fail(deduplicator.status());
  Spool spool;
  if (absl::Status status = spool.Open(); !status.ok()) return Fail(status);

  // Ids, end to end; id i ends at id_ends[i].
  std::string ids;
  std::vector<uint64_t> id_ends;
  std::vector<std::string_view> texts;
  std::string line;
  // Reading (decompression, JSON parsing) of batch k + 1 overlaps the
  // analysis of batch k.
  Batch batches[2];
  ReadBatch(reader->get(), &batches[0]);
  for (int current = 0;; current ^= 1) {
    Batch& batch = batches[current];
    PrintWarnings(batch.warnings, flags.quiet, &progress);
    if (!batch.status.ok()) return Fail(batch.status);
    std::thread read_ahead;
    if (!batch.end) {
      read_ahead = std::thread(ReadBatch, reader->get(), &batches[current ^ 1]);
    }
    absl::Status status;
    texts.clear();
    for (size_t i = 0; i < batch.count && status.ok(); ++i) {
      const InputRecord& record = batch.records[i];
      ids += record.id;
      id_ends.push_back(ids.size());
      if (record.from_jsonl) {
        status = spool.Append(record.raw);
      } else {
        line = "{\"id\":";
        AppendJsonString(record.id, &line);
        line += ",\"text\":";
        AppendJsonString(record.text, &line);
        line += '}';
        status = spool.Append(line);
      }
      texts.push_back(record.text);
    }
    if (status.ok()) status = (*deduplicator)->Add(texts);
    if (read_ahead.joinable()) read_ahead.join();
    if (!status.ok()) return Fail(status);
    TrimBatch(&batch);
    if (Interrupted()) return InterruptedExit();
    progress.Reading((*deduplicator)->size(), (*reader)->stats());
    if (batch.end) break;
  }
  progress.Stage("clustering", 0, (*deduplicator)->size(), "documents");
  auto result = (*deduplicator)->Finish();
  progress.Clear();
  if (!result.ok()) return Fail(result.status());
  const std::vector<DedupDecision>& decisions = result->decisions;
  const auto id = [&](size_t i) {
    const uint64_t begin = i == 0 ? 0 : id_ends[i - 1];
    return std::string_view(ids).substr(begin, id_ends[i] - begin);
  };
  if (absl::Status status = kept.Open(); !status.ok()) return Fail(status);
  if (absl::Status status = clusters.Open(); !status.ok()) return Fail(status);

  absl::Status status =
      spool.CopyLines([&](size_t i) { return decisions[i].kept; }, kept.file());
  for (size_t i = 0; i < decisions.size() && status.ok(); ++i) {
    const DedupDecision& decision = decisions[i];
    line = "{\"id\":";
    AppendJsonString(id(i), &line);
    line += ",\"cluster\":";
    AppendJsonString(id(decision.representative), &line);
    if (decision.kept) {
      line += ",\"kept\":true,\"duplicate_of\":null,\"similarity\":null}\n";
    } else {
      line += ",\"kept\":false,\"duplicate_of\":";
      AppendJsonString(id(decision.representative), &line);
      absl::StrAppendFormat(&line, ",\"similarity\":%.6g}\n",
                            decision.similarity);
    }
    status = Write(clusters.file(), line);
  }
  if (status.ok()) status = kept.Close();
  if (status.ok()) status = clusters.Close();
  if (status.ok() && Interrupted()) return InterruptedExit();
  if (status.ok()) status = kept.Commit();
  if (status.ok()) status = clusters.Commit();
  if (!status.ok()) return Fail(status);

  const DedupStats& stats = result->stats;
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
          .count();
  const double docs_per_second =
      seconds > 0 ? static_cast<double>(stats.documents) / seconds : 0;
  const double mb_per_second =
      seconds > 0
          ? static_cast<double>((*reader)->stats().bytes) / 1e6 / seconds
          : 0;
  const double peak_mb = PeakMemoryMb();
  if (flags.format == "jsonl") {
    std::printf(
        "{\"type\":\"summary\",\"documents\":%zu,\"kept\":%zu,\"dropped\":%zu,"
        "\"clusters\":%zu,\"duplicate_clusters\":%zu,\"candidate_pairs\":%zu,"
        "\"verified_pairs\":%zu,\"bands\":%d,\"rows\":%d,"
        "\"shingle_file_bytes\":%zu,\"skipped_files\":%zu,"
        "\"skipped_lines\":%zu,\"invalid_utf8_documents\":%zu,"
        "\"seconds\":%.3f,\"docs_per_second\":%.0f,\"mb_per_second\":%.1f,"
        "\"peak_memory_mb\":%.1f}\n",
        stats.documents, stats.kept, stats.dropped, stats.kept,
        stats.duplicate_clusters, stats.candidate_pairs, stats.verified_pairs,
        stats.bands, stats.rows, stats.shingle_file_bytes,
        (*reader)->stats().skipped_files, (*reader)->stats().skipped_bad,
        (*reader)->stats().invalid_utf8, seconds, docs_per_second,
        mb_per_second, peak_mb);
    if (std::fflush(stdout) != 0) return Fail("cannot write the summary");
  } else if (!flags.quiet) {
    std::fprintf(
        stderr,
        "neardup: %zu documents read, %zu kept, %zu dropped; %zu clusters "
        "(%zu with duplicates)\n"
        "neardup: LSH %d bands x %d rows, %zu candidate pairs, %zu verified\n"
        "neardup: %.2f s, %.0f docs/s, %.1f MB/s, peak memory %.1f MB\n",
        stats.documents, stats.kept, stats.dropped, stats.kept,
        stats.duplicate_clusters, stats.bands, stats.rows,
        stats.candidate_pairs, stats.verified_pairs, seconds, docs_per_second,
        mb_per_second, peak_mb);
  }
  PrintInputSummary((*reader)->stats(), flags.quiet);
  return kExitFound;
}

}  // namespace

RunFunction InstallDedup(CLI::App* app) {
  auto flags = std::make_shared<DedupFlags>();
  CLI::App* command = app->add_subcommand(
      "dedup",
      "Keep one document per cluster of near-duplicates; write the kept "
      "records and every document's cluster");
  command->footer(
      "Each document, in input order (or longest first with --keep longest), "
      "joins the first kept document it is verified similar to (exact "
      "similarity of word-shingle sets >= --threshold); otherwise it is kept. "
      "A dropped document is always >= threshold to the kept one of its "
      "cluster.\n"
      "Exit status: 0 on success, 2 on error (no output is written then).\n"
      "Examples:\n"
      "  neardup dedup feed.jsonl.zst --output kept.jsonl --clusters "
      "clusters.jsonl\n"
      "  cat feed.jsonl | neardup dedup - --output kept.jsonl --clusters "
      "clusters.jsonl --threshold 0.9");
  command
      ->add_option("PATH", flags->paths,
                   "Text files, directories (read recursively), JSONL files "
                   "(.jsonl, .gz, .zst), or - for standard input")
      ->required();
  command
      ->add_option("--output", flags->output,
                   "Kept records: JSONL lines byte for byte, text files as "
                   "{\"id\":...,\"text\":...}; in input order")
      ->required();
  command
      ->add_option("--clusters", flags->clusters,
                   "One JSON line per document: id, cluster, kept, "
                   "duplicate_of, similarity")
      ->required();
  command
      ->add_option("--threshold", flags->dedup.threshold,
                   "Similarity at which two documents are duplicates")
      ->check(CLI::Range(0.01, 1.0))
      ->capture_default_str();
  command
      ->add_option("--mode", flags->mode,
                   "jaccard: |A∩B|/|A∪B| of shingle sets; containment: "
                   "|A∩B|/|smaller| (a short text inside a long one is its "
                   "duplicate)")
      ->check(CLI::IsMember({"jaccard", "containment"}))
      ->capture_default_str();
  command
      ->add_option("--keep", flags->keep,
                   "Which document of a cluster is kept: the first in input "
                   "order, or the longest (most words; ties: the first)")
      ->check(CLI::IsMember({"first", "longest"}))
      ->capture_default_str();
  command
      ->add_option("--shingle", flags->dedup.shingle, "Shingle length in words")
      ->check(CLI::Range(1, 64))
      ->capture_default_str();
  command
      ->add_option("--lsh-threshold", flags->dedup.lsh_threshold,
                   "Jaccard similarity the LSH bands are tuned for; 0: the "
                   "threshold (jaccard) or half of it (containment). Lower "
                   "finds more pairs, slower")
      ->check(CLI::Range(0.0, 0.99))
      ->capture_default_str();
  command
      ->add_option("--threads", flags->dedup.threads,
                   "Worker threads (0: one per core); the output does not "
                   "depend on it")
      ->check(CLI::Range(0, 1024))
      ->capture_default_str();
  command
      ->add_option("--format", flags->format,
                   "Summary: text (on stderr) or jsonl (a final summary record "
                   "on stdout)")
      ->check(CLI::IsMember({"text", "jsonl"}))
      ->capture_default_str();
  AddInputFlags(command, &flags->input, &flags->dedup.analyze);
  command->add_flag("-q,--quiet", flags->quiet,
                    "No warnings, progress or summary on stderr");
  return [flags, command]() -> int {
    if (!command->parsed()) return -1;
    return RunDedup(*flags);
  };
}

}  // namespace neardup::cli
