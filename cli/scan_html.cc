// neardup scan --format html (scan_report.h).
#include <chrono>
#include <cstdio>
#include <map>
#include <utility>

#include "commands.h"
#include "html/html_report.h"
#include "interrupt.h"
#include "scan_input.h"
#include "scan_report.h"

namespace neardup::cli {

int WriteScanHtml(const ScanRun& run, HtmlReportOptions options,
                  OutputFile* output) {
  const Scanner& scanner = *run.scanner;
  const ScanResult& result = *run.result;
  HtmlReport report(std::move(options));
  size_t pairs = 0;
  size_t passages = 0;
  // The report points into the texts until it is written: the paired
  // documents are read back once each and kept (std::map keeps them in
  // place).
  std::map<size_t, Document> paired;
  const auto get = [&](size_t index) -> absl::StatusOr<const Document*> {
    auto at = paired.find(index);
    if (at != paired.end()) return &at->second;
    auto document = ReadDocument(scanner, index);
    if (!document.ok()) return document.status();
    return &paired.emplace(index, *std::move(document)).first->second;
  };
  for (const DocumentPair& pair : result.pairs) {
    auto a = get(pair.a);
    if (!a.ok()) return Fail(a.status());
    auto b = get(pair.b);
    if (!b.ok()) return Fail(b.status());
    report.AddPair(
        {(*a)->id, (*a)->text, (*b)->id, (*b)->text, &pair.passages, "", ""});
    ++pairs;
    passages += pair.passages.size();
  }
  for (size_t k = 0; k < result.clusters.size(); ++k) {
    ClusterView view{k + 1, &result.clusters[k], {}, {}};
    for (const ClusterMember& member : result.clusters[k].members) {
      auto document = get(member.document);
      if (!document.ok()) return Fail(document.status());
      view.documents.push_back(*document);
    }
    report.AddCluster(view);
  }
  RunSummary summary;
  summary.command = "scan";
  summary.documents = scanner.size();
  summary.counts = {{"candidate_pairs", result.stats.candidate_pairs},
                    {"aligned_pairs", result.stats.aligned_pairs},
                    {"pairs", pairs},
                    {"passages", passages},
                    {"clusters", result.clusters.size()}};
  summary.input = run.input;
  summary.seconds = std::chrono::duration<double>(
                        std::chrono::steady_clock::now() - run.start)
                        .count();
  report.Write(output->file(), summary);
  if (Interrupted()) return InterruptedExit();
  if (absl::Status status = output->Finish(); !status.ok()) return Fail(status);
  if (!run.quiet) {
    std::fprintf(stderr,
                 "neardup: %zu documents, %zu pair%s sharing %zu passage%s; "
                 "the HTML report shows %zu of the %zu pairs%s (%.2f s)\n",
                 summary.documents, pairs, pairs == 1 ? "" : "s", passages,
                 passages == 1 ? "" : "s", report.pairs_shown(),
                 report.pairs_added(),
                 report.pairs_shown() < report.pairs_added()
                     ? " (capped by --html-max-pairs; those whose better-"
                       "covered document is covered most)"
                     : "",
                 summary.seconds);
  }
  if (!run.quiet) std::fputs(report.ClusterNotice().c_str(), stderr);
  PrintInputSummary(run.input, run.quiet);
  return pairs == 0 && result.clusters.empty() ? kExitNotFound : kExitFound;
}

}  // namespace neardup::cli
