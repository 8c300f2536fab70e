#include "dedup_output.h"

#include <cstdio>

#include "absl/strings/str_format.h"
#include "interrupt.h"
#include "output.h"

namespace neardup::cli {
namespace {

// One line of clusters.jsonl: the document, where it came from (ids may
// repeat; sources do not), and its cluster.
std::string ClusterLine(const ReadResult& read, const DedupDecision& decision,
                        size_t i) {
  std::string line = "{\"id\":";
  AppendJsonString(read.ids[i], &line);
  line += ",\"source\":";
  AppendJsonString(read.origins[i], &line);
  line += ",\"cluster\":";
  AppendJsonString(read.ids[decision.representative], &line);
  line += ",\"cluster_source\":";
  AppendJsonString(read.origins[decision.representative], &line);
  if (decision.kept) {
    line += ",\"kept\":true,\"duplicate_of\":null,\"similarity\":null}\n";
  } else {
    line += ",\"kept\":false,\"duplicate_of\":";
    AppendJsonString(read.ids[decision.representative], &line);
    absl::StrAppendFormat(&line, ",\"similarity\":%.6g}\n",
                          decision.similarity);
  }
  return line;
}

}  // namespace

absl::Status WriteOutputs(const ReadResult& read,
                          const std::vector<DedupDecision>& decisions,
                          Spool* spool, AtomicFile* kept,
                          AtomicFile* clusters) {
  if (absl::Status s = kept->Open(); !s.ok()) return s;
  if (absl::Status s = clusters->Open(); !s.ok()) return s;
  std::vector<bool> keep(decisions.size());
  for (size_t i = 0; i < decisions.size(); ++i) keep[i] = decisions[i].kept;
  absl::Status status = spool->CopyLines(keep, kept->file());
  for (size_t i = 0; i < decisions.size() && status.ok(); ++i) {
    const std::string line = ClusterLine(read, decisions[i], i);
    if (std::fwrite(line.data(), 1, line.size(), clusters->file()) !=
        line.size()) {
      status = absl::InternalError(ErrnoMessage("cannot write the output"));
    }
  }
  if (status.ok()) status = kept->Close();
  if (status.ok()) status = clusters->Close();
  if (status.ok() && Interrupted()) return absl::CancelledError("interrupted");
  if (status.ok()) status = kept->Commit();
  if (status.ok()) status = clusters->Commit();
  return status;
}

}  // namespace neardup::cli
