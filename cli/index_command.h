// neardup index: the flags its subcommands share and what they have in
// common (opening the index, timing, dates). Each subcommand's run is in its
// own file: index_add.cc, index_query.cc, index_stats.cc, index_prune.cc.
#ifndef NEARDUP_CLI_INDEX_COMMAND_H_
#define NEARDUP_CLI_INDEX_COMMAND_H_

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "commands.h"
#include "neardup/feed_index.h"

namespace neardup::cli {

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

// Opens flags.index (`writable`, created if missing when `create`) and
// checks that the parameter flags given agree with the index's own.
absl::StatusOr<std::unique_ptr<FeedIndex>> OpenIndex(const IndexFlags& flags,
                                                     bool writable,
                                                     bool create);

// The reading flags of `flags` as the shared readers take them.
CommonFlags ReadFlags(const IndexFlags& flags);

double SecondsSince(std::chrono::steady_clock::time_point start);

// User + system CPU time of this process so far.
double CpuSeconds();

// "2026-11-22T10:00:00Z" (UTC).
std::string TimeText(int64_t unix_seconds);

// The subcommands; each returns the exit status.
int RunIndexAdd(const IndexFlags& flags);
int RunIndexQuery(const IndexFlags& flags);
int RunIndexStats(const IndexFlags& flags);
int RunIndexPrune(const IndexFlags& flags);

}  // namespace neardup::cli

#endif  // NEARDUP_CLI_INDEX_COMMAND_H_
