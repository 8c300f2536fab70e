// neardup index add|query|stats|prune: a persistent feed index
// (neardup/feed_index.h) so each new batch is checked against all history.
//
//   index add   --index DIR PATH...   each PATH is one batch, committed alone
//   index query --index DIR PATH...   read-only; near-duplicates (and, with
//                                     --passages, shared passages) per doc
//   index stats --index DIR           documents, batches, size, parameters
//   index prune --index DIR --older-than 365d | --batch NAME
//
// The flags are here; each subcommand runs in its own file (index_add.cc,
// index_query.cc, index_stats.cc, index_prune.cc).
#include "index_command.h"

#include <memory>
#include <string>

#include "commands.h"

namespace neardup::cli {
namespace {

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

CLI::App* InstallAdd(CLI::App* index,
                     const std::shared_ptr<IndexFlags>& flags) {
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
  return add;
}

CLI::App* InstallQuery(CLI::App* index, IndexFlags* flags) {
  CLI::App* query = index->add_subcommand(
      "query",
      "For each document, the indexed documents it near-duplicates (exit 0 "
      "if any, 1 if none)");
  AddIndexFlag(query, flags);
  AddReadFlags(query, flags);
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
  return query;
}

CLI::App* InstallStats(CLI::App* index, IndexFlags* flags) {
  CLI::App* stats = index->add_subcommand(
      "stats",
      "Documents, batches (when added, content hash), size on disk "
      "and free pages, parameters");
  AddIndexFlag(stats, flags);
  stats->add_option("--format", flags->format, "text or jsonl")
      ->check(CLI::IsMember({"text", "jsonl"}))
      ->capture_default_str();
  return stats;
}

CLI::App* InstallPrune(CLI::App* index, IndexFlags* flags) {
  CLI::App* prune = index->add_subcommand(
      "prune", "Remove old batches and their documents; their space is reused");
  AddIndexFlag(prune, flags);
  prune->add_option("--older-than", flags->older_than,
                    "Remove batches added longer ago than this (365d, 12h, "
                    "30m, 90s)");
  prune->add_option("--batch", flags->batch, "Remove the batch named NAME");
  prune->add_flag("--wait", flags->wait,
                  "If another process is writing, wait for it");
  prune->add_flag("-q,--quiet", flags->quiet, "No messages on stderr");
  return prune;
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
  CLI::App* add = InstallAdd(index, flags);
  CLI::App* query = InstallQuery(index, flags.get());
  CLI::App* stats = InstallStats(index, flags.get());
  CLI::App* prune = InstallPrune(index, flags.get());
  return [flags, add, query, stats, prune]() -> int {
    if (add->parsed()) return RunIndexAdd(*flags);
    if (query->parsed()) return RunIndexQuery(*flags);
    if (stats->parsed()) return RunIndexStats(*flags);
    if (prune->parsed()) return RunIndexPrune(*flags);
    return kExitError;
  };
}

}  // namespace neardup::cli
