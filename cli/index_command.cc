// neardup index add|query|stats|prune: a persistent feed index
// (neardup/feed_index.h) so each new batch is checked against all history.
//
//   index add   --index DIR PATH...   each PATH is one batch, committed alone
//   index query --index DIR PATH...   read-only; near-duplicates (and, with
//                                     --passages, shared passages) per doc
//   index stats --index DIR           documents, batches, size, parameters
//   index prune --index DIR --older-than 365d | --batch NAME
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <ctime>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "commands.h"
#include "interrupt.h"
#include "neardup/feed_index.h"
#include "text_escape.h"

namespace neardup::cli {
namespace {

struct IndexFlags {
  std::string index;
  std::vector<std::string> paths;
  InputOptions input;
  FeedIndexParams params;
  bool no_text = false;
  bool wait = false;
  std::string batch;
  std::string older_than;
  double threshold = 0.8;
  bool passages = false;
  AlignOptions align;
  int threads = 0;
  std::string format = "text";
  bool quiet = false;
  // Which parameter flags were given (to compare with the index's own).
  std::vector<std::string> given;
};

double SecondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
      .count();
}

double CpuSeconds() {
  rusage usage;
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
         static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) /
             1e6;
}

absl::StatusOr<std::unique_ptr<FeedIndex>> OpenIndex(const IndexFlags& flags,
                                                     bool writable,
                                                     bool create) {
  FeedIndexOptions options;
  options.params = flags.params;
  options.params.store_texts = !flags.no_text;
  options.writable = writable;
  options.create_if_missing = create;
  options.wait_for_writer = flags.wait;
  options.threads = flags.threads;
  auto index = FeedIndex::Open(flags.index, options);
  if (!index.ok()) return index.status();
  FeedIndexParams wanted = flags.params;
  wanted.store_texts = !flags.no_text;
  if (absl::Status s =
          CheckFeedIndexParams((*index)->params(), wanted, flags.given);
      !s.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat(flags.index, ": ", s.message()));
  }
  return index;
}

CommonFlags ReadFlags(const IndexFlags& flags) {
  CommonFlags common;
  common.input = flags.input;
  common.quiet = flags.quiet;
  return common;
}

int RunAdd(const IndexFlags& flags) {
  const auto start = std::chrono::steady_clock::now();
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
  for (const std::string& path : flags.paths) {
    InputStats stats;
    auto documents = ReadDocuments({path}, ReadFlags(flags), nullptr, &stats);
    if (!documents.ok()) {
      return Fail(absl::StrCat(documents.status().message(), " (nothing of ",
                               path, " was added)"));
    }
    total.files += stats.files;
    total.records += stats.records;
    total.bytes += stats.bytes;
    total.skipped_bad += stats.skipped_bad;
    total.skipped_files += stats.skipped_files;
    total.repeated_ids += stats.repeated_ids;
    total.invalid_utf8 += stats.invalid_utf8;
    PrintInputSummary(stats, flags.quiet);
    std::vector<DocumentView> views;
    views.reserve(documents->size());
    for (const Document& d : *documents) views.push_back({d.id, d.text});
    const std::string name = flags.batch.empty() ? path : flags.batch;
    if (Interrupted()) return InterruptedExit();
    auto result = (*index)->AddBatch(name, views);
    if (!result.ok()) return Fail(result.status());
    ++inputs;
    summary.documents += documents->size();
    added += result->added;
    existing += result->existing_ids;
    already += result->already_added ? 1 : 0;
    if (!flags.quiet) {
      if (result->already_added) {
        std::fprintf(stderr,
                     "neardup: %s: already in the index (batch %s, same "
                     "content); nothing added\n",
                     DisplayText(path).c_str(),
                     DisplayText(result->batch.name).c_str());
      } else {
        std::fprintf(stderr, "neardup: %s: %zu documents added as batch %s%s\n",
                     DisplayText(path).c_str(), result->added,
                     DisplayText(name).c_str(),
                     result->existing_ids == 0
                         ? ""
                         : absl::StrCat(" (", result->existing_ids,
                                        " left out: their id is already "
                                        "indexed)")
                               .c_str());
      }
    }
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
  if (std::fflush(stdout) != 0) return Fail("cannot write the summary");
  return kExitFound;
}

int RunQuery(const IndexFlags& flags) {
  const auto start = std::chrono::steady_clock::now();
  auto index = OpenIndex(flags, /*writable=*/false, /*create=*/false);
  if (!index.ok()) return Fail(index.status());
  if (flags.passages && !(*index)->params().store_texts) {
    return Fail(flags.index +
                ": --passages needs the indexed texts, and this index was "
                "built with --no-text");
  }
  InputStats stats;
  auto documents =
      ReadDocuments(flags.paths, ReadFlags(flags), nullptr, &stats);
  if (!documents.ok()) return Fail(documents.status());
  Format format = Format::kText;
  ParseFormat(flags.format, &format);
  ResultWriter writer(stdout, format, false);
  FeedQueryOptions options;
  options.threshold = flags.threshold;
  options.all_candidates = flags.passages;
  options.want_texts = flags.passages;
  options.cancel = InterruptFlag();
  FeedQueryStats query_stats;
  size_t matched_documents = 0, matches = 0, pairs = 0;
  CompareOptions compare;
  compare.analyze = (*index)->params().analyze;
  compare.align = flags.align;
  constexpr size_t kChunk = 8192;
  std::string line;
  for (size_t begin = 0; begin < documents->size(); begin += kChunk) {
    const size_t end = std::min(documents->size(), begin + kChunk);
    std::vector<std::string_view> texts;
    for (size_t i = begin; i < end; ++i) texts.push_back((*documents)[i].text);
    auto results = (*index)->Query(texts, options, &query_stats);
    if (!results.ok()) return Fail(results.status());
    for (size_t i = begin; i < end; ++i) {
      const Document& doc = (*documents)[i];
      bool any = false;
      for (const FeedMatch& m : (*results)[i - begin]) {
        if (m.similarity >= flags.threshold - 1e-9) {
          any = true;
          ++matches;
          if (format == Format::kJsonl) {
            line = "{\"type\":\"match\",\"a\":";
            AppendJsonString(doc.id, &line);
            line += ",\"b\":";
            AppendJsonString(m.id, &line);
            line += ",\"b_batch\":";
            AppendJsonString(m.batch, &line);
            absl::StrAppendFormat(&line, ",\"similarity\":%.4f,\"exact\":%s}\n",
                                  m.similarity, m.exact ? "true" : "false");
          } else {
            line = absl::StrFormat("%s\t%s\t%.4f\t%s\n", DisplayText(doc.id),
                                   DisplayText(m.id), m.similarity,
                                   DisplayText(m.batch));
          }
          std::fwrite(line.data(), 1, line.size(), stdout);
        }
        if (flags.passages && !m.text.empty()) {
          auto passages = Compare(doc.text, m.text, compare);
          if (!passages.ok()) return Fail(passages.status());
          if (passages->empty()) continue;
          any = true;
          ++pairs;
          writer.WritePair(
              {doc.id, doc.text, m.id, m.text, &*passages, "", ""});
        }
      }
      matched_documents += any ? 1 : 0;
    }
    if (Interrupted()) return InterruptedExit();
  }
  const double seconds = SecondsSince(start);
  RunSummary summary;
  summary.command = "index query";
  summary.documents = documents->size();
  summary.counts = {{"matched_documents", matched_documents},
                    {"matches", matches},
                    {"pairs", pairs},
                    {"candidates", query_stats.candidates},
                    {"capped_buckets", query_stats.capped_buckets}};
  summary.input = stats;
  summary.seconds = seconds;
  summary.measures = {
      {"docs_per_second",
       seconds > 0 ? static_cast<double>(documents->size()) / seconds : 0},
      {"cpu_seconds", CpuSeconds()}};
  writer.End(summary);
  if (format != Format::kJsonl && !flags.quiet) {
    std::fprintf(stderr,
                 "neardup: %zu documents queried, %zu with a match in the "
                 "index (%zu near-duplicate matches, %zu passage pairs); "
                 "%.2f s\n",
                 documents->size(), matched_documents, matches, pairs, seconds);
  }
  if (query_stats.capped_buckets > 0 && !flags.quiet) {
    std::fprintf(stderr,
                 "neardup: warning: %zu LSH buckets held more indexed "
                 "documents than are compared (256); only their first were "
                 "compared\n",
                 query_stats.capped_buckets);
  }
  PrintInputSummary(stats, flags.quiet);
  if (std::fflush(stdout) != 0) return Fail("cannot write the results");
  return matched_documents > 0 ? kExitFound : kExitNotFound;
}

std::string TimeText(int64_t unix_seconds) {
  const std::time_t t = static_cast<std::time_t>(unix_seconds);
  std::tm tm;
  gmtime_r(&t, &tm);
  char text[32];
  std::strftime(text, sizeof(text), "%Y-%m-%dT%H:%M:%SZ", &tm);
  return text;
}

int RunStats(const IndexFlags& flags) {
  auto index = OpenIndex(flags, /*writable=*/false, /*create=*/false);
  if (!index.ok()) return Fail(index.status());
  auto stats = (*index)->Stats();
  if (!stats.ok()) return Fail(stats.status());
  const FeedIndexParams& p = stats->params;
  const uint64_t free_bytes = stats->free_pages * stats->page_bytes;
  std::string out;
  if (flags.format == "jsonl") {
    for (const FeedBatchInfo& b : stats->batches) {
      out += "{\"type\":\"batch\",\"name\":";
      AppendJsonString(b.name, &out);
      absl::StrAppend(&out, ",\"added\":\"", TimeText(b.added_unix_seconds),
                      "\",\"content_hash\":\"", b.content_hash,
                      "\",\"documents\":", b.documents, "}\n");
    }
    absl::StrAppend(
        &out, "{\"type\":\"index\",\"format_version\":", stats->format_version,
        ",\"documents\":", stats->documents,
        ",\"batches\":", stats->batches.size(),
        ",\"file_bytes\":", stats->file_bytes,
        ",\"used_bytes\":", stats->used_pages * stats->page_bytes,
        ",\"free_pages\":", stats->free_pages, ",\"free_bytes\":", free_bytes,
        ",\"text_bytes\":", stats->text_bytes);
    for (const auto& [name, bytes] : stats->database_bytes) {
      absl::StrAppend(&out, ",\"", name, "_bytes\":", bytes);
    }
    absl::StrAppend(
        &out, ",\"shingle\":", p.shingle, ",\"num_hashes\":", p.num_hashes,
        ",\"lsh_threshold\":", p.lsh_threshold, ",\"bands\":", p.bands,
        ",\"rows\":", p.rows, ",\"seed\":", p.seed,
        ",\"fold_case\":", p.analyze.fold_case ? "true" : "false",
        ",\"strip_marks\":", p.analyze.strip_marks ? "true" : "false",
        ",\"fold_arabic\":", p.analyze.fold_arabic ? "true" : "false",
        ",\"fold_digits\":", p.analyze.fold_digits ? "true" : "false",
        ",\"match_variants\":", p.analyze.match_variants ? "true" : "false",
        ",\"store_texts\":", p.store_texts ? "true" : "false", "}\n");
  } else {
    absl::StrAppend(
        &out, "index ", DisplayText(flags.index), " (format version ",
        stats->format_version, ")\n", "documents  ", stats->documents, "\n",
        "batches    ", stats->batches.size(), "\n", "size       ",
        stats->file_bytes, " bytes on disk, ",
        stats->used_pages * stats->page_bytes, " in use, ", free_bytes,
        " free (", stats->free_pages, " pages, reused by later adds)\n",
        "texts      ",
        p.store_texts ? absl::StrCat(stats->text_bytes, " bytes")
                      : std::string("not stored"),
        "\n", "parameters shingle ", p.shingle, ", ", p.num_hashes, " hashes, ",
        p.bands, " bands x ", p.rows, " rows (tuned for ", p.lsh_threshold,
        "), seed ", p.seed, "\n", "analysis   fold_case ", p.analyze.fold_case,
        ", strip_marks ", p.analyze.strip_marks, ", fold_arabic ",
        p.analyze.fold_arabic, ", fold_digits ", p.analyze.fold_digits,
        ", match_variants ", p.analyze.match_variants, "\n");
    for (const FeedBatchInfo& b : stats->batches) {
      absl::StrAppend(&out, "batch      ", DisplayText(b.name), "  ",
                      TimeText(b.added_unix_seconds), "  ", b.documents,
                      " documents  xxh128:", b.content_hash, "\n");
    }
  }
  std::fwrite(out.data(), 1, out.size(), stdout);
  if (std::fflush(stdout) != 0) return Fail("cannot write the statistics");
  return kExitFound;
}

// "365d", "12h", "30m", "90s" -> seconds; false if malformed.
bool ParseAge(std::string_view text, int64_t* seconds) {
  if (text.empty()) return false;
  int64_t unit = 86400;
  const char last = text.back();
  if (last == 'd' || last == 'h' || last == 'm' || last == 's') {
    unit = last == 'd' ? 86400 : last == 'h' ? 3600 : last == 'm' ? 60 : 1;
    text.remove_suffix(1);
  }
  int64_t n = 0;
  if (!absl::SimpleAtoi(std::string(text), &n) || n < 0 ||
      n > (int64_t{1} << 40) / unit) {
    return false;
  }
  *seconds = n * unit;
  return true;
}

int RunPrune(const IndexFlags& flags) {
  if (flags.older_than.empty() == flags.batch.empty()) {
    return Fail(
        "index prune needs exactly one of --older-than AGE and "
        "--batch NAME");
  }
  int64_t age = 0;
  if (!flags.older_than.empty() && !ParseAge(flags.older_than, &age)) {
    return Fail("--older-than " + flags.older_than +
                ": not an age such as 365d, 12h, 30m or 90s");
  }
  auto index = OpenIndex(flags, /*writable=*/true, /*create=*/false);
  if (!index.ok()) return Fail(index.status());
  auto removed = flags.batch.empty()
                     ? (*index)->PruneOlderThan(
                           static_cast<int64_t>(std::time(nullptr)) - age)
                     : (*index)->PruneBatch(flags.batch);
  if (!removed.ok()) return Fail(removed.status());
  if (!flags.batch.empty() && removed->empty()) {
    return Fail(absl::StrCat(flags.index, ": no batch named ", flags.batch));
  }
  size_t documents = 0;
  for (const FeedBatchInfo& b : *removed) documents += b.documents;
  if (!flags.quiet) {
    for (const FeedBatchInfo& b : *removed) {
      std::fprintf(stderr, "neardup: removed batch %s (%s, %llu documents)\n",
                   DisplayText(b.name).c_str(),
                   TimeText(b.added_unix_seconds).c_str(),
                   static_cast<unsigned long long>(b.documents));
    }
    std::fprintf(stderr, "neardup: %zu batches, %zu documents removed\n",
                 removed->size(), documents);
  }
  return kExitFound;
}

void AddIndexFlag(CLI::App* command, IndexFlags* flags) {
  command
      ->add_option("--index", flags->index,
                   "The index directory (created by the first index add)")
      ->required();
}

void AddParamFlags(CLI::App* command, IndexFlags* flags) {
  auto given = [flags](const char* name) {
    return [flags, name](const auto&) { flags->given.emplace_back(name); };
  };
  command
      ->add_option("--shingle", flags->params.shingle,
                   "Shingle length in words (fixed when the index is created)")
      ->check(CLI::Range(1, 64))
      ->capture_default_str()
      ->each(given("shingle"));
  command
      ->add_option("--num-hashes", flags->params.num_hashes,
                   "MinHash values per document (fixed at creation)")
      ->check(CLI::Range(16, 1024))
      ->capture_default_str()
      ->each(given("num_hashes"));
  command
      ->add_option("--lsh-threshold", flags->params.lsh_threshold,
                   "Jaccard similarity the LSH bands are tuned for (fixed at "
                   "creation)")
      ->check(Within(0.05, 0.95))
      ->capture_default_str()
      ->each(given("lsh_threshold"));
}

void AddReadFlags(CLI::App* command, IndexFlags* flags) {
  command
      ->add_option("PATH", flags->paths,
                   "Text files, directories, JSONL files (.jsonl, .gz, .zst), "
                   "or - for standard input")
      ->required();
  AddInputFlags(command, &flags->input, &flags->params.analyze);
  command->get_option("--exact-variants")->each([flags](const std::string&) {
    flags->given.emplace_back("match_variants");
  });
  command
      ->add_option("--threads", flags->threads,
                   "Worker threads (0: one per core); the output does not "
                   "depend on it")
      ->check(CLI::Range(0, 1024))
      ->capture_default_str();
}

}  // namespace

RunFunction InstallIndex(CLI::App* app) {
  auto flags = std::make_shared<IndexFlags>();
  CLI::App* index = app->add_subcommand(
      "index",
      "A persistent index of documents already seen: add batches, query new "
      "ones against all of them, prune old ones");
  index->require_subcommand(1);
  index->footer(
      "Examples:\n"
      "  neardup index add --index feeds.ndx batch-2026-11-22.jsonl.zst\n"
      "  neardup index query --index feeds.ndx batch-2026-11-23.jsonl "
      "--format jsonl\n"
      "  neardup index stats --index feeds.ndx\n"
      "  neardup index prune --index feeds.ndx --older-than 365d");

  CLI::App* add = index->add_subcommand(
      "add",
      "Add each PATH as one batch, committed atomically; adding the same "
      "content again changes nothing");
  AddIndexFlag(add, flags.get());
  AddReadFlags(add, flags.get());
  AddParamFlags(add, flags.get());
  add->add_flag("--no-text", flags->no_text,
                "Do not store texts (smaller; similarities are then estimated "
                "and --passages is unavailable); fixed at creation")
      ->each([flags](const std::string&) {
        flags->given.emplace_back("store_texts");
      });
  add->add_option("--batch", flags->batch,
                  "Batch name (one PATH only); default: the path as given");
  add->add_flag("--wait", flags->wait,
                "If another process is writing to the index, wait for it "
                "instead of failing");
  add->add_option("--format", flags->format,
                  "Summary: text (stderr) or jsonl (a summary record on "
                  "stdout)")
      ->check(CLI::IsMember({"text", "jsonl"}))
      ->capture_default_str();
  add->add_flag("-q,--quiet", flags->quiet, "No messages on stderr");

  CLI::App* query = index->add_subcommand(
      "query",
      "For each document, the indexed documents it near-duplicates (exit 0 "
      "if any, 1 if none)");
  AddIndexFlag(query, flags.get());
  AddReadFlags(query, flags.get());
  query
      ->add_option("--threshold", flags->threshold,
                   "Jaccard similarity of word-shingle sets at which a "
                   "document is a near-duplicate")
      ->check(Within(0.01, 1.0))
      ->capture_default_str();
  query->add_flag("--passages", flags->passages,
                  "Also align each document with the indexed documents it "
                  "shares LSH keys with and report shared passages (pair and "
                  "passage records, as scan)");
  query
      ->add_option("--min-tokens", flags->align.min_tokens,
                   "With --passages: matching words a passage needs")
      ->check(CLI::Range(1, 100000))
      ->capture_default_str();
  query
      ->add_option("--format", flags->format,
                   "text: one line per match (id, indexed id, similarity, "
                   "batch); jsonl: match records, pair/passage records with "
                   "--passages, and a summary record")
      ->check(CLI::IsMember({"text", "jsonl"}))
      ->capture_default_str();
  query->add_flag("-q,--quiet", flags->quiet, "No messages on stderr");

  CLI::App* stats = index->add_subcommand(
      "stats",
      "Documents, batches (when added, content hash), size on disk "
      "and free pages, parameters");
  AddIndexFlag(stats, flags.get());
  stats->add_option("--format", flags->format, "text or jsonl")
      ->check(CLI::IsMember({"text", "jsonl"}))
      ->capture_default_str();

  CLI::App* prune = index->add_subcommand(
      "prune", "Remove old batches and their documents; their space is reused");
  AddIndexFlag(prune, flags.get());
  prune->add_option("--older-than", flags->older_than,
                    "Remove batches added longer ago than this (365d, 12h, "
                    "30m, 90s)");
  prune->add_option("--batch", flags->batch, "Remove the batch named NAME");
  prune->add_flag("--wait", flags->wait,
                  "If another process is writing, wait for it");
  prune->add_flag("-q,--quiet", flags->quiet, "No messages on stderr");

  return [flags, add, query, stats, prune]() -> int {
    if (add->parsed()) return RunAdd(*flags);
    if (query->parsed()) return RunQuery(*flags);
    if (stats->parsed()) return RunStats(*flags);
    if (prune->parsed()) return RunPrune(*flags);
    return kExitError;
  };
}

}  // namespace neardup::cli
