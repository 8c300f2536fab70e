// neardup-mpi dedup: see dedup_mpi.cc and docs/DESIGN.md.
#ifndef NEARDUP_MPI_DEDUP_MPI_H_
#define NEARDUP_MPI_DEDUP_MPI_H_

#include <cstdint>
#include <string>
#include <vector>

#include "dedup_flags.h"
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

}  // namespace neardup::mpi

#endif  // NEARDUP_MPI_DEDUP_MPI_H_
