// neardup-mpi dedup: see dedup_mpi.cc and docs/DESIGN.md.
#ifndef NEARDUP_MPI_DEDUP_MPI_H_
#define NEARDUP_MPI_DEDUP_MPI_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "dedup_flags.h"
#include "exchange.h"
#include "neardup/dedup.h"
#include "neardup/input.h"

namespace neardup::mpi {

// The flags of `neardup dedup`, with the same names and meanings.
using DedupMpiFlags = cli::DedupFlags;

// Runs on every rank (MPI initialised); returns the rank's exit status,
// the same on every rank: 0 when both outputs are written, 2 when any rank
// failed (nothing is written then).
int RunDedupMpi(const DedupMpiFlags& flags);

// Shared with contamination_mpi.cc:
// The stretch [first, end) of the sources ListInputs makes of `paths` that
// world.rank reads: contiguous shares in input order, balanced by stored
// bytes to within a file. Errors: standard input ("-") among the paths,
// the listing's.
absl::Status ShareOf(const std::vector<std::string>& paths, const World& world,
                     size_t* first, size_t* end);
// Collective: every rank's counts summed, on every rank.
void SumInput(InputStats* s);

}  // namespace neardup::mpi

#endif  // NEARDUP_MPI_DEDUP_MPI_H_
