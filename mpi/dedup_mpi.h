// neardup-mpi dedup: see dedup_mpi.cc and docs/DESIGN.md.
#ifndef NEARDUP_MPI_DEDUP_MPI_H_
#define NEARDUP_MPI_DEDUP_MPI_H_

#include <string>
#include <vector>

#include "dedup_flags.h"
#include "neardup/dedup.h"
#include "neardup/input.h"

namespace neardup::mpi {

// The flags of `neardup dedup`, with the same names and meanings.
using DedupMpiFlags = cli::DedupFlags;

// Runs on every rank (MPI initialised); returns the rank's exit status,
// the same on every rank: 0 when both outputs are written, 2 when any rank
// failed (nothing is written then).
int RunDedupMpi(const DedupMpiFlags& flags);

}  // namespace neardup::mpi

#endif  // NEARDUP_MPI_DEDUP_MPI_H_
