// neardup-mpi dedup: see dedup_mpi.cc and docs/DESIGN.md.
#ifndef NEARDUP_MPI_DEDUP_MPI_H_
#define NEARDUP_MPI_DEDUP_MPI_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "dedup_flags.h"
#include "exchange.h"
#include "input_internal.h"
#include "neardup/dedup.h"
#include "neardup/input.h"

namespace neardup::mpi {

// The flags of `neardup dedup`, with the same names and meanings, and how
// the input is divided among the ranks.
struct DedupMpiFlags : cli::DedupFlags {
  // An uncompressed JSON Lines file of at least this many bytes is cut into
  // byte ranges, one per rank that its bytes fall to; a smaller or
  // compressed file is read whole by one rank. 0: every file whole.
  uint64_t split_bytes = uint64_t{16} << 20;
};

// Runs on every rank (MPI initialised); returns the rank's exit status,
// the same on every rank: 0 when both outputs are written, 2 when any rank
// failed (nothing is written then).
int RunDedupMpi(const DedupMpiFlags& flags);

// Shared with contamination_mpi.cc:

// Where a directory of the listing ends.
struct DirectoryEnd {
  std::string name;
  size_t last = 0;    // listing index of its last file
  bool mine = false;  // this rank reads the end of that file
};

// What ShareOf makes of the listing.
struct Plan {
  InputShare share;  // this rank's
  std::vector<DirectoryEnd> dirs;
  size_t split_files = 0;  // files cut into byte ranges (on every rank)
};

// world.rank's share of the sources ListInputs makes of `paths` (see
// dedup_mpi.cc): contiguous, in input order, balanced by stored bytes; an
// uncompressed JSON Lines file of at least split_bytes (0: none) is cut
// into byte ranges. The share counts neither repeated ids nor directories
// without usable files (CheckDirectories does, over all ranks). Errors:
// standard input ("-") among the paths, the listing's.
absl::Status ShareOf(const std::vector<std::string>& paths,
                     const InputOptions& input, uint64_t split_bytes,
                     const World& world, Plan* plan);

// ShareOf, then a reader of the share; ids_per_share: the reader counts
// the ids repeated within the share (the caller counts those across
// shares), else none.
absl::StatusOr<std::unique_ptr<InputReader>> OpenShareOf(
    const std::vector<std::string>& paths, const InputOptions& input,
    uint64_t split_bytes, bool ids_per_share, const World& world, Plan* plan);

// Collective: "no usable files in directory" over all ranks; returns
// `status` or that error (see dedup_mpi.cc).
absl::Status CheckDirectories(const std::vector<DirectoryEnd>& dirs,
                              const InputReader* reader, absl::Status status);

// Collective: every rank's counts summed, on every rank.
void SumInput(InputStats* s);

}  // namespace neardup::mpi

#endif  // NEARDUP_MPI_DEDUP_MPI_H_
