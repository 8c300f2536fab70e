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
//
// The flags and the run are here; reading is in dedup_read.cc, the summary
// in dedup_summary.cc, the outputs are written by dedup_output.cc.
#include <chrono>
#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "atomic_file.h"
#include "commands.h"
#include "dedup_flags.h"
#include "dedup_index.h"
#include "dedup_output.h"
#include "dedup_read.h"
#include "dedup_summary.h"
#include "heap.h"
#include "interrupt.h"
#include "neardup/dedup.h"
#include "record_batches.h"
#include "spool.h"

namespace neardup::cli {
namespace {

int RunDedup(const DedupFlags& flags) {
  const auto start = std::chrono::steady_clock::now();
  // The reader thread allocates every record's strings and the main thread
  // frees them a batch later: 64 MiB kept for reuse, 60 MiB of it in huge
  // pages (peak RSS 72-77 MB either way).
  TuneHeap(size_t{60} << 20, size_t{64} << 20);
  ProgressLine progress(stderr, ProgressLine::Wanted(flags.quiet));
  DedupOptions options = flags.dedup;
  options.cancel = InterruptFlag();
  options.mode = flags.mode == "containment" ? DedupMode::kContainment
                                             : DedupMode::kJaccard;
  options.keep =
      flags.keep == "longest" ? DedupKeep::kLongest : DedupKeep::kFirst;

  if (flags.index.empty() && (!flags.batch.empty() || flags.wait)) {
    return Fail("--batch and --wait are about --index; give --index DIR");
  }
  const std::vector<OutputPath> outputs = {{"--output", flags.output},
                                           {"--clusters", flags.clusters}};
  for (const OutputPath& output : outputs) {
    // "-" reads standard input as a PATH, but here it would be a file
    // named "-" (dedup writes two outputs, and its summary may be on
    // standard output).
    if (output.path == "-") {
      return Fail(absl::StrCat(
          output.flag,
          " -: dedup writes files; give a path (/dev/stdout writes to the "
          "standard output)"));
    }
  }
  if (absl::Status s = CheckDistinctOutputs(outputs); !s.ok()) return Fail(s);
  if (!flags.index.empty()) {
    if (absl::Status s = CheckOutsideIndex(outputs, flags.index); !s.ok()) {
      return Fail(s);
    }
  }
  auto reader = OpenInput(flags.paths, flags.input, outputs);
  if (!reader.ok()) return Fail(reader.status());
  // An unwritable destination fails before the work. The temporary files
  // themselves are created only once the reading is done (KEPT's when the
  // clustering starts, CLUSTERS' once everything is decided), and removed
  // if the run fails or is interrupted.
  AtomicFile kept(flags.output);
  AtomicFile clusters(flags.clusters);
  for (AtomicFile* file : {&kept, &clusters}) {
    if (absl::Status s = file->CheckWritable(); !s.ok()) return Fail(s);
  }
  std::unique_ptr<IndexCheck> index;
  if (!flags.index.empty()) {
    auto opened = IndexCheck::Open(flags, &options);
    if (!opened.ok()) return Fail(opened.status());
    index = std::move(*opened);
  }
  // The first batch is read while the deduplicator is set up (choosing the
  // LSH bands is ~55 M instructions, 15 ms), when every input is a regular
  // file (total_stored_bytes is known): reading one cannot wait on a
  // terminal or a pipe and so hold up an error of the setup.
  RecordBatch first;
  std::thread read_first;
  const bool read_ahead = (*reader)->stats().total_stored_bytes > 0;
  if (read_ahead) read_first = std::thread(ReadBatch, reader->get(), &first);
  auto deduplicator = Deduplicator::Create(options);
  if (read_first.joinable()) read_first.join();
  if (!deduplicator.ok()) return Fail(deduplicator.status());
  Spool spool;
  if (absl::Status s = spool.Open(); !s.ok()) return Fail(s);

  ReadResult read;
  if (const int exit = ReadDedupInput(
          reader->get(), deduplicator->get(), index.get(), &spool, flags.quiet,
          &progress, &read, read_ahead ? &first : nullptr);
      exit >= 0) {
    return exit;
  }
  progress.Stage("clustering", 0, (*deduplicator)->size(), "documents");
  // Without --index, and with --keep first (decisions come in input order),
  // KEPT is written as the clustering decides, so that the disk is busy
  // with it during the clustering rather than after (its temporary file is
  // created now, and removed if the run fails).
  std::optional<KeptStream> stream;
  if (index == nullptr && options.keep == DedupKeep::kFirst) {
    stream.emplace(&spool, &kept, (*deduplicator)->size());
    if (absl::Status s = stream->Start(); !s.ok()) return Fail(s);
  }
  auto result = stream.has_value()
                    ? (*deduplicator)
                          ->Finish([&](absl::Span<const DedupDecision> prefix) {
                            stream->Decided(prefix);
                          })
                    : (*deduplicator)->Finish();
  progress.Clear();
  if (!result.ok()) return Fail(result.status());
  // The deduplicator (band keys, and its temporary file, whose 70 MB of
  // pages on SaudiNewsNet take ~15 ms to free) is released while the
  // outputs are written; joined on the way out.
  const std::jthread release(
      [done = std::move(*deduplicator)]() mutable { done.reset(); });
  absl::Status written;
  if (index == nullptr) {
    written = WriteOutputs(read, result->decisions, &spool, &kept, &clusters,
                           nullptr, nullptr, stream ? &*stream : nullptr);
  } else {
    // The kept documents are added once both outputs are complete, and the
    // outputs renamed into place only once the add is committed.
    const std::vector<DedupDecision> decisions =
        index->Merge(result->decisions);
    written = WriteOutputs(read, decisions, &spool, &kept, &clusters,
                           &index->duplicates(),
                           [&] { return index->AddKept(decisions, read); });
    result->stats.documents = decisions.size();
    result->stats.dropped += index->duplicates().size();
  }
  if (!written.ok()) return Fail(written);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
          .count();
  const std::optional<IndexCounts> index_counts =
      index == nullptr ? std::nullopt
                       : std::optional<IndexCounts>(index->counts());
  PrintDedupSummary(flags.format, flags.quiet, result->stats,
                    index_counts ? &*index_counts : nullptr, (*reader)->stats(),
                    seconds);
  if (!StdoutWritten()) return Fail("cannot write the summary");
  return kExitFound;
}

// --threshold, --mode, --keep, --shingle, --lsh-threshold, --threads,
// --format.
void AddDedupTuningFlags(CLI::App* command, DedupFlags* flags) {
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
}

// --index, --batch, --wait: de-duplicate against a feed index.
void AddIndexFlags(CLI::App* command, DedupFlags* flags) {
  command->add_option(
      "--index", flags->index,
      "Feed index directory (neardup index; created if missing): "
      "documents that near-duplicate an indexed one are dropped "
      "(duplicate_of names it), the rest are de-duplicated among "
      "themselves, and the kept ones are added to the index as "
      "one batch");
  command->add_option(
      "--batch", flags->batch,
      "Name of the batch added to the index (default: the input "
      "path; needed for several inputs or standard input)");
  command->add_flag("--wait", flags->wait,
                    "If another process is writing to the index, wait for it "
                    "instead of failing");
  command->get_option("--shingle")->each([flags](const std::string&) {
    flags->given.emplace_back("shingle");
  });
  command->get_option("--exact-variants")->each([flags](const std::string&) {
    flags->given.emplace_back("match_variants");
  });
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
      "With --index, a document that near-duplicates an indexed one "
      "(similarity >= --threshold; estimated, and marked \"exact\":false, "
      "when the index was made with --no-text) is dropped first, with "
      "duplicate_of naming it and cluster_source its batch; the kept documents "
      "are added to the "
      "index once both outputs are complete (outputs are renamed into place "
      "only after the index commit). Running the same command again gives "
      "the same outputs and adds nothing.\n"
      "Examples:\n"
      "  neardup dedup feed.jsonl.zst --output kept.jsonl --clusters "
      "clusters.jsonl\n"
      "  neardup dedup --index feeds.ndx batch-2026-11-23.jsonl --output "
      "kept.jsonl --clusters clusters.jsonl\n"
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
  AddDedupTuningFlags(command, flags.get());
  AddInputFlags(command, &flags->input, &flags->dedup.analyze);
  AddIndexFlags(command, flags.get());
  command->add_flag("-q,--quiet", flags->quiet,
                    "No warnings, progress or summary on stderr");
  return [flags] { return RunDedup(*flags); };
}

}  // namespace neardup::cli
