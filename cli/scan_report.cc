// neardup scan --format text|jsonl (scan_report.h).
#include "scan_report.h"

#include <chrono>
#include <cstdio>
#include <string_view>
#include <utility>
#include <vector>

#include "commands.h"
#include "copies.h"
#include "interrupt.h"
#include "scan_input.h"

namespace neardup::cli {
namespace {

struct ScanCounts {
  size_t pairs = 0;
  size_t passages = 0;
  size_t clusters = 0;
  size_t cluster_members = 0;
};

// The pair, cluster and boilerplate records, counted in `counts`.
absl::Status WriteRecords(const ScanRun& run, ResultWriter* writer,
                          ScanCounts* counts) {
  const Scanner& stored = *run.scanner;
  const ScanResult& result = *run.result;
  const std::vector<std::string>& origins = *run.origins;
  for (const DocumentPair& pair : result.pairs) {
    auto a = ReadDocument(stored, pair.a);
    if (!a.ok()) return a.status();
    auto b = ReadDocument(stored, pair.b);
    if (!b.ok()) return b.status();
    writer->WritePair({a->id, a->text, b->id, b->text, &pair.passages,
                       origins[pair.a], origins[pair.b]});
    ++counts->pairs;
    counts->passages += pair.passages.size();
  }
  std::vector<Document> members;
  for (const ReuseCluster& cluster : result.clusters) {
    ClusterView view{++counts->clusters, &cluster, {}, {}};
    members.clear();
    members.reserve(cluster.members.size());
    for (const ClusterMember& member : cluster.members) {
      auto document = ReadDocument(stored, member.document);
      if (!document.ok()) return document.status();
      members.push_back(*std::move(document));
      view.sources.push_back(origins[member.document]);
    }
    for (const Document& member : members) view.documents.push_back(&member);
    writer->WriteCluster(view);
    counts->cluster_members += cluster.members.size();
  }
  for (const BoilerplateText& found : result.boilerplate) {
    auto text = stored.text(found.document);
    if (!text.ok()) return text.status();
    writer->WriteBoilerplate(
        std::string_view(*text).substr(found.span.begin,
                                       found.span.end - found.span.begin),
        found.documents, found.user_phrase);
  }
  return absl::OkStatus();
}

// The summary lines on stderr (text format), the warning about capped
// groups, the boilerplate notice and the reader's summary.
void PrintMessages(const ScanRun& run, const RunSummary& summary,
                   const ScanCounts& counts, Format format) {
  const ScanStats& stats = run.result->stats;
  const size_t pairs = counts.pairs;
  const size_t passages = counts.passages;
  const size_t clusters = counts.clusters;
  if (!run.quiet && format != Format::kJsonl) {
    std::fprintf(stderr,
                 "neardup: %zu document%s, %zu candidate pair%s, %zu pair%s "
                 "sharing %zu passage%s (%.2f s)\n",
                 summary.documents, summary.documents == 1 ? "" : "s",
                 stats.candidate_pairs, stats.candidate_pairs == 1 ? "" : "s",
                 pairs, pairs == 1 ? "" : "s", passages,
                 passages == 1 ? "" : "s", summary.seconds);
    if (clusters > 0) {
      std::fprintf(stderr,
                   "neardup: %zu cluster%s of passages shared by 3 or more "
                   "documents (%zu members)\n",
                   clusters, clusters == 1 ? "" : "s", counts.cluster_members);
    }
  }
  if (stats.capped_pairs > 0) {
    std::fprintf(stderr,
                 "neardup: warning: %zu group%s of more than %d documents "
                 "share%s a window; each was aligned only with its first "
                 "member, so %zu document pairs were not compared\n",
                 stats.candidate_groups, stats.candidate_groups == 1 ? "" : "s",
                 run.max_bucket, stats.candidate_groups == 1 ? "s" : "",
                 stats.capped_pairs);
  }
  if (!run.quiet && stats.boilerplate_texts > 0) {
    std::fprintf(stderr,
                 "neardup: %zu distinct text%s (%zu words in all) treated as "
                 "boilerplate: matches there do not count toward "
                 "--min-tokens%s\n",
                 stats.boilerplate_texts,
                 stats.boilerplate_texts == 1 ? "" : "s",
                 stats.boilerplate_tokens,
                 format == Format::kJsonl
                     ? " (see the boilerplate records)"
                     : "; --format jsonl lists them, --no-boilerplate "
                       "turns the rule off");
  }
  if (!run.quiet && stats.copies > 0) {
    std::fprintf(stderr,
                 "neardup: %zu document%s hold%s another's whole text with at "
                 "most %u words added: each was aligned with that document "
                 "only, and shares its passages (%zu pairs carried over)\n",
                 stats.copies, stats.copies == 1 ? "" : "s",
                 stats.copies == 1 ? "s" : "", kMaxExtraTokens,
                 stats.derived_pairs);
  }
  PrintInputSummary(run.input, run.quiet);
}

}  // namespace

int WriteScanResults(const ScanRun& run, Format format, OutputFile* output) {
  ResultWriter writer(output->file(), format,
                      output->is_stdout() && UseColor(stdout));
  writer.Begin();
  ScanCounts counts;
  if (absl::Status status = WriteRecords(run, &writer, &counts); !status.ok()) {
    return Fail(status);
  }
  const ScanStats& stats = run.result->stats;
  RunSummary summary;
  summary.command = "scan";
  summary.documents = run.scanner->size();
  summary.counts = {{"candidate_pairs", stats.candidate_pairs},
                    {"aligned_pairs", stats.aligned_pairs},
                    {"pairs", counts.pairs},
                    {"passages", counts.passages},
                    {"clusters", counts.clusters},
                    {"cluster_members", counts.cluster_members},
                    {"boilerplate_texts", stats.boilerplate_texts},
                    {"boilerplate_tokens", stats.boilerplate_tokens},
                    {"capped_pairs", stats.capped_pairs},
                    {"copies", stats.copies},
                    {"derived_pairs", stats.derived_pairs}};
  summary.input = run.input;
  summary.seconds = std::chrono::duration<double>(
                        std::chrono::steady_clock::now() - run.start)
                        .count();
  writer.End(summary);
  if (Interrupted()) return InterruptedExit();
  if (absl::Status status = output->Finish(); !status.ok()) {
    return Fail(status);
  }
  PrintMessages(run, summary, counts, format);
  return counts.pairs == 0 && counts.clusters == 0 ? kExitNotFound : kExitFound;
}

}  // namespace neardup::cli
