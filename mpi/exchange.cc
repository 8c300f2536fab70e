#include "exchange.h"

#include <climits>
#include <cstdio>

#include "commands.h"

namespace neardup::mpi {

absl::Status Exchange(World* world, const std::vector<std::string>& out,
                      std::vector<std::string>* in) {
  const int size = world->size;
  std::vector<uint64_t> send_sizes(size), recv_sizes(size);
  for (int r = 0; r < size; ++r) send_sizes[r] = out[r].size();
  MPI_Alltoall(send_sizes.data(), 1, MPI_UINT64_T, recv_sizes.data(), 1,
               MPI_UINT64_T, MPI_COMM_WORLD);
  int too_big = 0;
  uint64_t send_total = 0, recv_total = 0;
  for (int r = 0; r < size; ++r) {
    if (send_sizes[r] >= INT_MAX || recv_sizes[r] >= INT_MAX) too_big = 1;
    send_total += send_sizes[r];
    recv_total += recv_sizes[r];
  }
  if (send_total >= INT_MAX || recv_total >= INT_MAX) too_big = 1;
  int any_too_big = 0;
  MPI_Allreduce(&too_big, &any_too_big, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD);
  if (any_too_big != 0) {
    return absl::ResourceExhaustedError(
        "a rank would exchange 2 GiB or more in one step; run with more "
        "ranks");
  }
  std::vector<int> send_counts(size), send_displs(size), recv_counts(size),
      recv_displs(size);
  std::string send_buffer;
  send_buffer.reserve(send_total);
  int at = 0;
  for (int r = 0; r < size; ++r) {
    send_counts[r] = static_cast<int>(send_sizes[r]);
    send_displs[r] = at;
    at += send_counts[r];
    send_buffer += out[r];
    if (r != world->rank) world->bytes_sent += send_sizes[r];
  }
  std::string recv_buffer(recv_total, '\0');
  at = 0;
  for (int r = 0; r < size; ++r) {
    recv_counts[r] = static_cast<int>(recv_sizes[r]);
    recv_displs[r] = at;
    at += recv_counts[r];
  }
  MPI_Alltoallv(send_buffer.data(), send_counts.data(), send_displs.data(),
                MPI_BYTE, recv_buffer.data(), recv_counts.data(),
                recv_displs.data(), MPI_BYTE, MPI_COMM_WORLD);
  in->assign(size, std::string());
  for (int r = 0; r < size; ++r) {
    (*in)[r].assign(recv_buffer, recv_displs[r], recv_counts[r]);
  }
  return absl::OkStatus();
}

bool Agree(const World& world, const absl::Status& status) {
  // The first failing rank speaks for all: an error every rank meets (a
  // missing path, an output that is an input) is printed once.
  const int mine = status.ok() ? world.size : world.rank;
  int first_failed = world.size;
  MPI_Allreduce(&mine, &first_failed, 1, MPI_INT, MPI_MIN, MPI_COMM_WORLD);
  if (first_failed == world.size) return true;
  if (first_failed == world.rank) {
    cli::Fail(status);
  } else if (world.rank == 0) {
    std::fprintf(stderr,
                 "neardup: stopped: rank %d failed (its message says why); "
                 "no output written\n",
                 first_failed);
  }
  return false;
}

}  // namespace neardup::mpi
