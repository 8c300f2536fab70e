// neardup scan: writing the result, as text or JSON Lines (scan_report.cc)
// or as an HTML report (scan_html.cc), with the summary on stderr.
#ifndef NEARDUP_CLI_SCAN_REPORT_H_
#define NEARDUP_CLI_SCAN_REPORT_H_

#include <chrono>
#include <string>
#include <vector>

#include "atomic_file.h"
#include "html/html_report.h"
#include "neardup/input.h"
#include "neardup/neardup.h"
#include "output.h"

namespace neardup::cli {

// A finished scan, as the writers need it.
struct ScanRun {
  const Scanner* scanner = nullptr;
  const ScanResult* result = nullptr;
  // Document i was read at (*origins)[i] ("path:line" or the path).
  const std::vector<std::string>* origins = nullptr;
  InputStats input;
  std::chrono::steady_clock::time_point start;
  bool quiet = false;
  int max_bucket = 0;  // --windows' group cap, named by the warning
};

// --format text or jsonl: pair, cluster and boilerplate records, the
// summary, then the messages on stderr. Returns the exit status (0 when
// something is shared, 1 when nothing is).
int WriteScanResults(const ScanRun& run, Format format, OutputFile* output);

// --format html: the whole report is written at the end (pairs, clusters and
// members capped as `options` says, said in the report and on stderr).
// Returns the exit status.
int WriteScanHtml(const ScanRun& run, HtmlReportOptions options,
                  OutputFile* output);

}  // namespace neardup::cli

#endif  // NEARDUP_CLI_SCAN_REPORT_H_
