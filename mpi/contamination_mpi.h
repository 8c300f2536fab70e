// neardup-mpi contamination: see contamination_mpi.cc and docs/SCALE.md.
#ifndef NEARDUP_MPI_CONTAMINATION_MPI_H_
#define NEARDUP_MPI_CONTAMINATION_MPI_H_

#include <cstdint>

#include "contamination_flags.h"

namespace neardup::mpi {

// Runs on every rank (MPI initialised); returns the rank's exit status, the
// same on every rank and the same as `neardup contamination`'s: 0 when some
// item is partial or contaminated, 1 when all are clean, 2 when any rank
// failed (no report is written then).
// `split_bytes`: as neardup-mpi dedup's --split-bytes (an uncompressed JSON
// Lines corpus file of at least this many bytes is cut into byte ranges;
// 0: whole files only).
int RunContaminationMpi(const cli::ContaminationFlags& flags,
                        uint64_t split_bytes);

}  // namespace neardup::mpi

#endif  // NEARDUP_MPI_CONTAMINATION_MPI_H_
