// neardup contamination --benchmark B.jsonl --benchmark-field F... CORPUS...:
// how much of each benchmark item occurs in the corpus, and where.
//
// The benchmark is read whole into a ContaminationIndex; the corpus is
// streamed batch by batch (the next batch is read while worker threads scan
// the current one), so memory is the benchmark plus two batches.
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <memory>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "atomic_file.h"
#include "commands.h"
#include "interrupt.h"
#include "neardup/contamination.h"

namespace neardup::cli {
namespace {

constexpr size_t kBatchRecords = 1024;
constexpr size_t kBatchBytes = size_t{8} << 20;

struct ContaminationFlags {
  std::vector<std::string> benchmarks;
  std::vector<std::string> fields;
  std::string benchmark_id_field;
  std::vector<std::string> paths;
  InputOptions input;
  ContaminationOptions options;
  std::string mode = "aligned";
  std::string format;
  std::string output;
  int threads = 0;
  int top = 20;
  bool quiet = false;
};

struct Batch {
  std::vector<InputRecord> records = std::vector<InputRecord>(kBatchRecords);
  size_t count = 0;
  std::vector<InputWarning> warnings;
  absl::Status status;
  bool end = false;
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
    bytes += record.text.size();
    ++batch->count;
  }
}

// The benchmark's items: one read of the files per field, joined on each
// record's "path:line". A record skipped (--skip-bad) in any read is left
// out; the first read's warnings and those new in later reads are printed.
struct Benchmark {
  std::vector<BenchmarkItem> items;
  size_t skipped_lines = 0;
  size_t skipped_files = 0;
};

bool FromJsonLines(const InputRecord& record) {
  const size_t colon = record.origin.rfind(':');
  if (colon == std::string::npos || colon + 1 == record.origin.size()) {
    return false;
  }
  return std::all_of(record.origin.begin() + colon + 1, record.origin.end(),
                     [](char c) { return c >= '0' && c <= '9'; });
}

absl::StatusOr<Benchmark> ReadBenchmark(const ContaminationFlags& flags) {
  Benchmark benchmark;
  absl::flat_hash_map<std::string, size_t> line_to_item;
  std::vector<size_t> fields_found;
  absl::flat_hash_set<std::string> warned;
  for (size_t f = 0; f < flags.fields.size(); ++f) {
    InputOptions options = flags.input;
    options.text_field = flags.fields[f];
    options.id_field = flags.benchmark_id_field.empty()
                           ? flags.input.id_field
                           : flags.benchmark_id_field;
    auto reader =
        OpenInput(flags.benchmarks, options, {{"--output", flags.output}});
    if (!reader.ok()) return reader.status();
    InputRecord record;
    for (;;) {
      absl::StatusOr<bool> more = (*reader)->Next(&record);
      std::vector<InputWarning> warnings;
      for (InputWarning& warning : (*reader)->TakeWarnings()) {
        if (warned.insert(warning.origin + warning.message).second) {
          warnings.push_back(std::move(warning));
        }
      }
      PrintWarnings(warnings, flags.quiet);
      if (!more.ok()) return more.status();
      if (!*more) break;
      if (Interrupted()) return absl::CancelledError("interrupted");
      // A JSON Lines record's origin is "path:line"; a text file's is its
      // path alone.
      if (!FromJsonLines(record)) {
        return absl::InvalidArgumentError(
            record.origin +
            ": a benchmark is JSON Lines (one item per line, e.g. "
            "bench.jsonl or bench.jsonl.gz), not a text file");
      }
      if (f == 0) {
        line_to_item[record.origin] = benchmark.items.size();
        benchmark.items.push_back(
            {std::move(record.id), {std::move(record.text)}});
        fields_found.push_back(1);
        continue;
      }
      auto it = line_to_item.find(record.origin);
      if (it == line_to_item.end()) continue;  // skipped in the first read
      benchmark.items[it->second].fields.push_back(std::move(record.text));
      ++fields_found[it->second];
    }
    if (f == 0) {
      benchmark.skipped_lines = (*reader)->stats().skipped_bad;
      benchmark.skipped_files = (*reader)->stats().skipped_files;
    }
  }
  std::vector<BenchmarkItem> complete;
  for (size_t i = 0; i < benchmark.items.size(); ++i) {
    if (fields_found[i] == flags.fields.size()) {
      complete.push_back(std::move(benchmark.items[i]));
    } else {
      ++benchmark.skipped_lines;
    }
  }
  benchmark.items = std::move(complete);
  return benchmark;
}

// A span's text on one line: whitespace runs and control characters become
// one space.
std::string Excerpt(std::string_view text) {
  std::string out;
  bool space = false;
  for (char c : text) {
    if (static_cast<unsigned char>(c) < 0x20 || c == ' ' || c == 0x7f) {
      space = true;
      continue;
    }
    if (space && !out.empty()) out.push_back(' ');
    space = false;
    out.push_back(c);
  }
  return out;
}

void AppendSpan(const TextSpan& span, std::string* out) {
  absl::StrAppend(out, "{\"start\":", span.begin, ",\"end\":", span.end,
                  ",\"char_start\":", span.char_begin,
                  ",\"char_end\":", span.char_end, "}");
}

std::string ItemJson(const ItemReport& report,
                     const std::vector<std::string>& fields) {
  std::string line = "{\"type\":\"item\",\"id\":";
  AppendJsonString(report.id, &line);
  absl::StrAppendFormat(
      &line,
      ",\"status\":\"%s\",\"contaminated_fraction\":%.4f,\"tokens\":%u,"
      "\"covered_tokens\":%u,\"longest_match\":%u,\"total_matches\":%zu,"
      "\"matches\":[",
      ContaminationStatusName(report.status), report.contaminated_fraction,
      report.tokens, report.covered, report.longest_match,
      report.total_matches);
  for (size_t m = 0; m < report.matches.size(); ++m) {
    const ContaminationMatch& match = report.matches[m];
    if (m > 0) line += ',';
    line += "{\"doc\":";
    AppendJsonString(match.document_id, &line);
    line += ",\"item\":";
    AppendSpan(match.item, &line);
    line += ",\"doc_span\":";
    AppendSpan(match.doc, &line);
    absl::StrAppendFormat(
        &line, ",\"score\":%.4f,\"tokens\":%u,\"kind\":\"%s\"", match.score,
        match.item_tokens, match.reworded ? "reworded" : "aligned");
    if (fields.size() > 1) {
      line += ",\"fields\":[";
      bool first = true;
      for (size_t f = 0; f < fields.size() && f < 64; ++f) {
        if ((match.fields >> f & 1) == 0) continue;
        if (!first) line += ',';
        first = false;
        AppendJsonString(fields[f], &line);
      }
      line += ']';
    }
    line += '}';
  }
  line += "]}\n";
  return line;
}

int RunContamination(const ContaminationFlags& flags) {
  const auto start = std::chrono::steady_clock::now();
  ProgressLine progress(stderr, ProgressLine::Wanted(flags.quiet));
  OutputFile output(flags.output);
  if (absl::Status status = output.CheckWritable(); !status.ok()) {
    return Fail(status);
  }
  std::string format = flags.format;
  if (format.empty()) {
    format =
        output.is_stdout() && isatty(STDOUT_FILENO) == 1 ? "text" : "jsonl";
  }
  // The corpus is opened (and the output checked against its files and the
  // benchmark's) before anything is read.
  auto reader =
      OpenInput(flags.paths, flags.input, {{"--output", flags.output}});
  if (!reader.ok()) return Fail(reader.status());
  absl::StatusOr<Benchmark> benchmark = ReadBenchmark(flags);
  if (!benchmark.ok()) return Fail(benchmark.status());
  const size_t skipped_benchmark_lines = benchmark->skipped_lines;
  const size_t skipped_benchmark_files = benchmark->skipped_files;
  if (benchmark->items.empty() && !flags.quiet) {
    std::fprintf(stderr,
                 "neardup: warning: the benchmark has no items; every "
                 "report will be empty\n");
  }
  ContaminationOptions options = flags.options;
  options.analyze = flags.options.analyze;
  options.mode = flags.mode == "ngram" ? ContaminationMode::kNgram
                                       : ContaminationMode::kAligned;
  auto index = ContaminationIndex::Create(std::move(benchmark->items), options);
  if (!index.ok()) return Fail(index.status());

  const int threads =
      flags.threads > 0
          ? flags.threads
          : std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
  std::vector<std::unique_ptr<ContaminationIndex::Scanner>> scanners;
  scanners.reserve(static_cast<size_t>(threads));
  for (int t = 0; t < threads; ++t) scanners.push_back((*index)->NewScanner());

  size_t documents = 0;
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
    std::atomic<size_t> next{0};
    std::vector<absl::Status> errors(static_cast<size_t>(threads));
    const auto work = [&](int t) {
      for (size_t i; (i = next.fetch_add(1)) < batch.count;) {
        if (Interrupted()) return;
        const InputRecord& record = batch.records[i];
        absl::Status status = scanners[static_cast<size_t>(t)]->Scan(
            documents + i, record.id, record.text);
        if (!status.ok()) {
          errors[static_cast<size_t>(t)] = status;
          return;
        }
      }
    };
    std::vector<std::thread> workers;
    for (int t = 1; t < threads; ++t) workers.emplace_back(work, t);
    work(0);
    for (std::thread& worker : workers) worker.join();
    if (read_ahead.joinable()) read_ahead.join();
    for (const absl::Status& status : errors) {
      if (!status.ok()) return Fail(status);
    }
    if (Interrupted()) return InterruptedExit();
    documents += batch.count;
    for (size_t i = 0; i < batch.count; ++i) {
      std::string().swap(batch.records[i].text);
    }
    progress.Reading(documents, (*reader)->stats());
    if (batch.end) break;
  }
  progress.Clear();

  ContaminationStats stats;
  const std::vector<ItemReport> reports = (*index)->Report(&stats);
  const InputStats& input = (*reader)->stats();
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
          .count();
  if (absl::Status status = output.Open(); !status.ok()) return Fail(status);
  FILE* out = output.file();
  std::string text;
  if (format == "jsonl") {
    for (const ItemReport& report : reports) {
      text = ItemJson(report, flags.fields);
      std::fwrite(text.data(), 1, text.size(), out);
    }
  } else {
    // The most contaminated items first, then benchmark order.
    std::vector<size_t> order;
    for (size_t i = 0; i < reports.size(); ++i) {
      if (reports[i].covered > 0) order.push_back(i);
    }
    std::stable_sort(order.begin(), order.end(), [&](size_t x, size_t y) {
      return reports[x].contaminated_fraction >
             reports[y].contaminated_fraction;
    });
    if (order.size() > static_cast<size_t>(flags.top)) {
      order.resize(static_cast<size_t>(flags.top));
    }
    text = absl::StrFormat(
        "%zu items: %zu contaminated, %zu partial, %zu clean (%zu documents, "
        "%.1f MB)\n",
        stats.items, stats.contaminated, stats.partial, stats.clean,
        stats.documents, static_cast<double>(stats.bytes) / 1e6);
    if (!order.empty()) {
      absl::StrAppendFormat(&text, "\n%-24s %-13s %9s %8s %8s\n", "item",
                            "status", "fraction", "longest", "matches");
    }
    for (size_t i : order) {
      const ItemReport& report = reports[i];
      absl::StrAppendFormat(&text, "%-24s %-13s %9.2f %8u %8zu\n", report.id,
                            ContaminationStatusName(report.status),
                            report.contaminated_fraction, report.longest_match,
                            report.total_matches);
      if (report.matches.empty()) continue;
      const ContaminationMatch& match = report.matches[0];
      const std::string_view item_text = (*index)->ItemText(i);
      absl::StrAppendFormat(
          &text, "  item  chars %u-%u: %s\n  %s chars %u-%u%s: %s\n",
          match.item.char_begin, match.item.char_end,
          Excerpt(item_text.substr(match.item.begin,
                                   match.item.end - match.item.begin)),
          match.document_id, match.doc.char_begin, match.doc.char_end,
          match.reworded ? " (reworded)" : "", Excerpt(match.doc_text));
    }
    if (reports.size() > order.size() && !order.empty()) {
      absl::StrAppendFormat(&text, "(%zu items not shown%s)\n",
                            reports.size() - order.size(),
                            stats.clean > 0 ? ", clean ones included" : "");
    }
    std::fwrite(text.data(), 1, text.size(), out);
  }
  if (format == "jsonl") {
    const auto share = [&stats](size_t count) {
      return stats.items == 0 ? 0.0
                              : static_cast<double>(count) /
                                    static_cast<double>(stats.items);
    };
    RunSummary summary;
    summary.command = "contamination";
    summary.documents = stats.documents;
    summary.counts = {{"items", stats.items},
                      {"clean", stats.clean},
                      {"partial", stats.partial},
                      {"contaminated", stats.contaminated},
                      {"bytes", stats.bytes},
                      {"skipped_benchmark_files", skipped_benchmark_files},
                      {"skipped_benchmark_lines", skipped_benchmark_lines},
                      {"candidates", stats.candidates}};
    summary.fractions = {{"contaminated_fraction", share(stats.contaminated)},
                         {"partial_or_contaminated_fraction",
                          share(stats.contaminated + stats.partial)}};
    summary.input = input;
    summary.seconds = seconds;
    text = SummaryJson(summary);
    std::fwrite(text.data(), 1, text.size(), out);
  }
  if (absl::Status status = output.Finish(); !status.ok()) return Fail(status);
  if (!flags.quiet) {
    std::fprintf(
        stderr,
        "neardup: %zu item%s (%zu contaminated, %zu partial), %zu "
        "document%s, %.1f MB in %.2f s (%.1f MB/s)\n",
        stats.items, stats.items == 1 ? "" : "s", stats.contaminated,
        stats.partial, stats.documents, stats.documents == 1 ? "" : "s",
        static_cast<double>(stats.bytes) / 1e6, seconds,
        seconds > 0 ? static_cast<double>(stats.bytes) / 1e6 / seconds : 0.0);
    if (skipped_benchmark_lines + skipped_benchmark_files > 0) {
      std::fprintf(stderr,
                   "neardup: benchmark: skipped %zu files and %zu bad lines\n",
                   skipped_benchmark_files, skipped_benchmark_lines);
    }
  }
  PrintInputSummary(input, flags.quiet);
  return stats.contaminated + stats.partial > 0 ? kExitFound : kExitNotFound;
}

}  // namespace

RunFunction InstallContamination(CLI::App* app) {
  auto flags = std::make_shared<ContaminationFlags>();
  CLI::App* command = app->add_subcommand(
      "contamination",
      "How much of each benchmark item occurs in a training corpus, and "
      "where");
  command->footer(
      "Exit status: 0 when some item is partial or contaminated, 1 when all "
      "are clean, 2 on error.\n"
      "Example:\n"
      "  neardup contamination --benchmark test.jsonl --benchmark-field "
      "question --benchmark-field answer corpus/ shard-*.jsonl.zst "
      "--format jsonl -o report.jsonl");
  command
      ->add_option("--benchmark", flags->benchmarks,
                   "Benchmark JSONL file(s): one item per line (repeatable)")
      ->allow_extra_args(false)
      ->required();
  command
      ->add_option("--benchmark-field", flags->fields,
                   "Field(s) whose texts, joined with a blank line, make an "
                   "item (repeatable, in order)")
      ->allow_extra_args(false)
      ->required();
  command->add_option("--benchmark-id-field", flags->benchmark_id_field,
                      "Benchmark field holding the item id (default: "
                      "--id-field)");
  command
      ->add_option("PATH", flags->paths,
                   "Corpus: text files, directories, JSONL files (.jsonl, "
                   ".gz, .zst), or - for standard input")
      ->required();
  AddInputFlags(command, &flags->input, &flags->options.analyze);
  command
      ->add_option("--mode", flags->mode,
                   "aligned: seeds extended into aligned spans plus reworded "
                   "copies; ngram: classic exact n-gram overlap")
      ->check(CLI::IsMember({"aligned", "ngram"}))
      ->capture_default_str();
  command
      ->add_option("--n", flags->options.ngram,
                   "n-gram length for --mode ngram")
      ->check(CLI::Range(1, 1000))
      ->capture_default_str();
  command
      ->add_option("--contaminated-at", flags->options.contaminated_at,
                   "Share of an item's tokens matched that makes it "
                   "contaminated")
      ->check(CLI::Range(0.0, 1.0))
      ->capture_default_str();
  command
      ->add_option("--partial-at", flags->options.partial_at,
                   "Share of an item's tokens matched that makes it partial")
      ->check(CLI::Range(0.0, 1.0))
      ->capture_default_str();
  command
      ->add_option("--max-matches", flags->options.max_matches,
                   "Matches listed per item, best first (all are counted)")
      ->check(CLI::Range(0, 1000000))
      ->capture_default_str();
  command
      ->add_option("--format", flags->format,
                   "text (a table, the default on a terminal) or jsonl (one "
                   "record per item and a summary; the default otherwise)")
      ->check(CLI::IsMember({"text", "jsonl"}));
  command->add_option("-o,--output", flags->output,
                      "Write the report to this file (whole or not at all)");
  command->add_option("--top", flags->top, "Items shown by --format text")
      ->check(CLI::Range(0, 1000000000))
      ->capture_default_str();
  command
      ->add_option("--threads", flags->threads,
                   "Worker threads (0: one per core); same output on any")
      ->check(CLI::Range(0, 1024))
      ->capture_default_str();
  command->add_flag("-q,--quiet", flags->quiet,
                    "No warnings, progress or summary on stderr");
  return [command, flags]() -> int {
    if (!command->parsed()) return -1;
    return RunContamination(*flags);
  };
}

}  // namespace neardup::cli
