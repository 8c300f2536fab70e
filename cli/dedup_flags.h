// The flags of `neardup dedup`, shared with `neardup-mpi dedup` (mpi/) so
// both take the same names and meanings.
#ifndef NEARDUP_CLI_DEDUP_FLAGS_H_
#define NEARDUP_CLI_DEDUP_FLAGS_H_

#include <string>
#include <vector>

#include "neardup/dedup.h"
#include "neardup/input.h"

namespace neardup::cli {

struct DedupFlags {
  std::vector<std::string> paths;
  std::string output;
  std::string clusters;
  InputOptions input;
  DedupOptions dedup;
  std::string mode = "jaccard";
  std::string keep = "first";
  std::string format = "text";
  bool quiet = false;
  // dedup --index (neardup dedup only): the feed index, the name of the
  // batch the kept documents are added as, whether to wait for another
  // writer, and which index parameters were given ("shingle",
  // "match_variants") to check against the index's.
  std::string index;
  std::string batch;
  bool wait = false;
  std::vector<std::string> given;
};

}  // namespace neardup::cli

#endif  // NEARDUP_CLI_DEDUP_FLAGS_H_
