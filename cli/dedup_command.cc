// neardup dedup PATH... --output KEPT --clusters CLUSTERS: keep one document
// per cluster of near-duplicates.
//
// Streaming: texts are analysed batch by batch (record_batches.h) and
// dropped; what is kept in RAM per document is its sketch state in the
// Deduplicator, its id and origin, and the offset of its output line in a
// spool file (spool.h). Every output line (the JSONL record's line, or
// {"id":...,"text":...} for a text file) goes to the spool as it is read;
// once all documents are decided, the kept lines are copied from the spool
// to KEPT in input order. Both outputs are written to temporary files beside
// their destinations and renamed into place only when everything has
// succeeded.
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <memory>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "atomic_file.h"
#include "commands.h"
#include "dedup_output.h"
#include "interrupt.h"
#include "neardup/dedup.h"
#include "record_batches.h"
#include "spool.h"

namespace neardup::cli {
namespace {

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

// Reads every record into the spool and the deduplicator. Reading
// (decompression, JSON parsing) of batch k + 1 overlaps the analysis of
// batch k. Returns the exit status to fail with, or -1 to go on.
int ReadAll(InputReader* reader, Deduplicator* deduplicator, Spool* spool,
            bool quiet, ProgressLine* progress, ReadResult* result) {
  std::vector<std::string_view> texts;
  std::string line;
  RecordBatch batches[2];
  ReadBatch(reader, &batches[0]);
  for (int current = 0;; current ^= 1) {
    RecordBatch& batch = batches[current];
    PrintWarnings(batch.warnings, quiet, progress);
    if (!batch.status.ok()) return Fail(batch.status);
    std::thread read_ahead;
    if (!batch.end) {
      read_ahead = std::thread(ReadBatch, reader, &batches[current ^ 1]);
    }
    absl::Status status;
    texts.clear();
    for (size_t i = 0; i < batch.count && status.ok(); ++i) {
      const InputRecord& record = batch.records[i];
      result->ids.Add(record.id);
      result->origins.Add(record.origin);
      if (!batch.lines[i].empty()) {
        status = spool->Append(batch.lines[i]);
      } else {
        line = "{\"id\":";
        AppendJsonString(record.id, &line);
        line += ",\"text\":";
        AppendJsonString(record.text, &line);  // repaired if need be
        line += '}';
        status = spool->Append(line);
      }
      texts.push_back(record.text);
    }
    if (status.ok()) status = deduplicator->Add(texts);
    if (read_ahead.joinable()) read_ahead.join();
    if (!status.ok()) return Fail(status);
    TrimBatch(&batch);
    if (Interrupted()) return InterruptedExit();
    progress->Reading(deduplicator->size(), reader->stats());
    if (batch.end) return -1;
  }
}

// "1 document", "2 documents".
std::string Count(size_t n, const char* noun) {
  return absl::StrCat(n, " ", noun, n == 1 ? "" : "s");
}

void PrintSummary(const DedupFlags& flags, const DedupStats& stats,
                  const InputStats& input, double seconds) {
  rusage usage;
  getrusage(RUSAGE_SELF, &usage);
  const double peak_mb = static_cast<double>(usage.ru_maxrss) / 1024.0;
  const double docs_per_second =
      seconds > 0 ? static_cast<double>(stats.documents) / seconds : 0;
  const double mb_per_second =
      seconds > 0 ? static_cast<double>(input.bytes) / 1e6 / seconds : 0;
  if (flags.format == "jsonl") {
    RunSummary summary;
    summary.command = "dedup";
    summary.documents = stats.documents;
    summary.counts = {{"kept", stats.kept},
                      {"dropped", stats.dropped},
                      {"clusters", stats.kept},
                      {"duplicate_clusters", stats.duplicate_clusters},
                      {"candidate_pairs", stats.candidate_pairs},
                      {"verified_pairs", stats.verified_pairs},
                      {"bands", static_cast<size_t>(stats.bands)},
                      {"rows", static_cast<size_t>(stats.rows)},
                      {"shingle_file_bytes", stats.shingle_file_bytes}};
    summary.input = input;
    summary.seconds = seconds;
    summary.measures = {{"docs_per_second", docs_per_second},
                        {"mb_per_second", mb_per_second},
                        {"peak_memory_mb", peak_mb}};
    const std::string line = SummaryJson(summary);
    std::fwrite(line.data(), 1, line.size(), stdout);
  } else if (!flags.quiet) {
    std::fprintf(
        stderr,
        "neardup: %s read, %zu kept, %zu dropped; %s (%zu with duplicates)\n"
        "neardup: LSH %d bands x %d rows, %s, %zu verified\n"
        "neardup: %.2f s, %.0f docs/s, %.1f MB/s, peak memory %.1f MB\n",
        Count(stats.documents, "document").c_str(), stats.kept, stats.dropped,
        Count(stats.kept, "cluster").c_str(), stats.duplicate_clusters,
        stats.bands, stats.rows,
        Count(stats.candidate_pairs, "candidate pair").c_str(),
        stats.verified_pairs, seconds, docs_per_second, mb_per_second, peak_mb);
  }
  PrintInputSummary(input, flags.quiet);
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

  const std::vector<OutputPath> outputs = {{"--output", flags.output},
                                           {"--clusters", flags.clusters}};
  if (absl::Status s = CheckDistinctOutputs(outputs); !s.ok()) return Fail(s);
  auto reader = OpenInput(flags.paths, flags.input, outputs);
  if (!reader.ok()) return Fail(reader.status());
  // An unwritable destination fails before the work. The temporary files
  // themselves are created only once everything is decided, so that an
  // interrupted run leaves none behind.
  AtomicFile kept(flags.output);
  AtomicFile clusters(flags.clusters);
  for (AtomicFile* file : {&kept, &clusters}) {
    if (absl::Status s = file->CheckWritable(); !s.ok()) return Fail(s);
  }
  auto deduplicator = Deduplicator::Create(options);
  if (!deduplicator.ok()) return Fail(deduplicator.status());
  Spool spool;
  if (absl::Status s = spool.Open(); !s.ok()) return Fail(s);

  ReadResult read;
  if (const int exit = ReadAll(reader->get(), deduplicator->get(), &spool,
                               flags.quiet, &progress, &read);
      exit >= 0) {
    return exit;
  }
  progress.Stage("clustering", 0, (*deduplicator)->size(), "documents");
  auto result = (*deduplicator)->Finish();
  progress.Clear();
  if (!result.ok()) return Fail(result.status());
  if (absl::Status s =
          WriteOutputs(read, result->decisions, &spool, &kept, &clusters);
      !s.ok()) {
    return Fail(s);
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
          .count();
  PrintSummary(flags, result->stats, (*reader)->stats(), seconds);
  if (std::fflush(stdout) != 0) return Fail("cannot write the summary");
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
      "Exit status: 0 when both outputs are written (whether or not "
      "anything was dropped), 2 on error (no output is written then), 130 "
      "when interrupted.\n"
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
                   "Kept records: JSONL lines byte for byte (invalid UTF-8 "
                   "replaced by U+FFFD), text files as "
                   "{\"id\":...,\"text\":...}; in input order")
      ->required();
  command
      ->add_option("--clusters", flags->clusters,
                   "One JSON line per document: id, source (file:line), "
                   "cluster, cluster_source, kept, duplicate_of, similarity")
      ->required();
  command
      ->add_option("--threshold", flags->dedup.threshold,
                   "Similarity at which two documents are duplicates")
      ->check(Within(0.01, 1.0))
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
      ->check(Within(0.01, 0.99, /*zero_too=*/true))
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
  return [flags] { return RunDedup(*flags); };
}

}  // namespace neardup::cli
