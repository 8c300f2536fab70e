// neardup index query --index DIR PATH...: read-only; for each document, the
// indexed near-duplicates (and, with --passages, the shared passages).
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "absl/strings/str_format.h"
#include "heap.h"
#include "index_command.h"
#include "interrupt.h"
#include "neardup/feed_index.h"
#include "text_escape.h"

namespace neardup::cli {
namespace {

// One match: a {"type":"match",...} record, or a line of text.
std::string MatchLine(const Document& doc, const FeedMatch& m, Format format) {
  std::string line;
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
    line =
        absl::StrFormat("%s\t%s\t%.4f\t%s\n", DisplayText(doc.id),
                        DisplayText(m.id), m.similarity, DisplayText(m.batch));
  }
  return line;
}

struct QueryCounts {
  size_t documents = 0;
  size_t matched_documents = 0;
  size_t matches = 0;
  size_t pairs = 0;
};

// The summary (a record with --format jsonl, else a line on stderr), the
// warning about capped buckets, and the reader's summary.
void EndQuery(const IndexFlags& flags, const QueryCounts& counts,
              const FeedQueryStats& query_stats, const InputStats& stats,
              double seconds, Format format, ResultWriter* writer) {
  RunSummary summary;
  summary.command = "index query";
  summary.documents = counts.documents;
  summary.counts = {{"matched_documents", counts.matched_documents},
                    {"matches", counts.matches},
                    {"pairs", counts.pairs},
                    {"candidates", query_stats.candidates},
                    {"capped_buckets", query_stats.capped_buckets},
                    {"capped_passage_keys", query_stats.capped_passage_keys}};
  summary.input = stats;
  summary.seconds = seconds;
  summary.measures = {
      {"docs_per_second",
       seconds > 0 ? static_cast<double>(counts.documents) / seconds : 0},
      {"cpu_seconds", CpuSeconds()}};
  writer->End(summary);
  if (format != Format::kJsonl && !flags.quiet) {
    std::fprintf(stderr,
                 "neardup: %zu documents queried, %zu with a match in the "
                 "index (%zu near-duplicate matches, %zu passage pairs); "
                 "%.2f s\n",
                 counts.documents, counts.matched_documents, counts.matches,
                 counts.pairs, seconds);
  }
  // Caps are said even with -q, as scan and dedup say theirs.
  if (query_stats.capped_buckets > 0) {
    std::fprintf(stderr,
                 "neardup: warning: %zu LSH buckets held more indexed "
                 "documents than are compared (256); only their first were "
                 "compared\n",
                 query_stats.capped_buckets);
  }
  if (query_stats.capped_passage_keys > 0) {
    std::fprintf(stderr,
                 "neardup: %zu passage keys were held by more than 256 "
                 "indexed documents (stock phrases) and found none of them\n",
                 query_stats.capped_passage_keys);
  }
  PrintInputSummary(stats, flags.quiet);
}

}  // namespace

int RunIndexQuery(const IndexFlags& flags) {
  const auto start = std::chrono::steady_clock::now();
  // What a query touches first (its input, sketches, lookups, candidates:
  // about 40 MB for 5,000 documents) in huge pages; the heap not trimmed.
  TuneHeap(size_t{256} << 20, size_t{1} << 30);
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
  QueryCounts counts;
  counts.documents = documents->size();
  CompareOptions compare;
  compare.analyze = (*index)->params().analyze;
  compare.align = flags.align;
  constexpr size_t kChunk = 8192;
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
          ++counts.matches;
          const std::string line = MatchLine(doc, m, format);
          std::fwrite(line.data(), 1, line.size(), stdout);
        }
        if (flags.passages && !m.text.empty()) {
          auto passages = Compare(doc.text, m.text, compare);
          if (!passages.ok()) return Fail(passages.status());
          if (passages->empty()) continue;
          any = true;
          ++counts.pairs;
          writer.WritePair(
              {doc.id, doc.text, m.id, m.text, &*passages, "", ""});
        }
      }
      counts.matched_documents += any ? 1 : 0;
    }
    if (Interrupted()) return InterruptedExit();
  }
  EndQuery(flags, counts, query_stats, stats, SecondsSince(start), format,
           &writer);
  if (!StdoutWritten()) return Fail("cannot write the results");
  return counts.matched_documents > 0 ? kExitFound : kExitNotFound;
}

}  // namespace neardup::cli
