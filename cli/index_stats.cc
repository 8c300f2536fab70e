// neardup index stats --index DIR: documents, batches, size, parameters.
#include <cstdio>
#include <string>

#include "absl/strings/str_cat.h"
#include "index_command.h"
#include "neardup/feed_index.h"
#include "text_escape.h"

namespace neardup::cli {

int RunIndexStats(const IndexFlags& flags) {
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
        ",\"store_texts\":", p.store_texts ? "true" : "false",
        ",\"passage_keys\":", p.passage_keys ? "true" : "false", "}\n");
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
        "), seed ", p.seed,
        p.passage_keys ? ", passage keys (winnowed, window 8)"
                       : ", no passage keys",
        "\n", "analysis   fold_case ", p.analyze.fold_case, ", strip_marks ",
        p.analyze.strip_marks, ", fold_arabic ", p.analyze.fold_arabic,
        ", fold_digits ", p.analyze.fold_digits, ", match_variants ",
        p.analyze.match_variants, "\n");
    for (const FeedBatchInfo& b : stats->batches) {
      absl::StrAppend(&out, "batch      ", DisplayText(b.name), "  ",
                      TimeText(b.added_unix_seconds), "  ", b.documents,
                      " documents  xxh128:", b.content_hash, "\n");
    }
  }
  std::fwrite(out.data(), 1, out.size(), stdout);
  if (!StdoutWritten()) return Fail("cannot write the statistics");
  return kExitFound;
}

}  // namespace neardup::cli
