// neardup-mpi: `neardup dedup` and `neardup contamination` on MPI ranks
// (mpirun -np N neardup-mpi dedup ...). This file parses the command line,
// the same flags as `neardup dedup` and `neardup contamination`, and runs
// dedup_mpi.cc or contamination_mpi.cc on every rank.
#include <mpi.h>

#include <cstdint>
#include <cstdio>
#include <exception>
#include <string>

#include "commands.h"
#include "contamination_mpi.h"
#include "dedup_mpi.h"
#include "neardup/version.h"

namespace {

int Run(int argc, char** argv, int rank) {
  using neardup::cli::Within;
  auto flags = std::make_shared<neardup::mpi::DedupMpiFlags>();
  // One thread per rank: MPI runs one rank per core.
  flags->dedup.threads = 1;
  CLI::App app{
      "neardup-mpi: neardup dedup and contamination divided among MPI ranks; "
      "the outputs are the same as one process's, whatever the number of "
      "ranks.",
      "neardup-mpi"};
  app.set_version_flag("--version",
                       "neardup-mpi " + std::string(neardup::Version()));
  app.require_subcommand(1);
  app.footer(
      "Example: mpirun -np 64 neardup-mpi dedup shards/ --output kept.jsonl "
      "--clusters clusters.jsonl\n"
      "Exit status: as neardup's (dedup: 0 when both outputs are written; "
      "contamination: 0 when some item is partial or contaminated, 1 when "
      "all are clean); 2 on error on any rank (no output is written then).");
  CLI::App* command = app.add_subcommand(
      "dedup", "As `neardup dedup` (same flags, same outputs)");
  command->add_option("PATH", flags->paths, "Files and directories")
      ->required();
  command->add_option("--output", flags->output, "Kept records (JSONL)")
      ->required();
  command
      ->add_option("--clusters", flags->clusters, "One JSON line per document")
      ->required();
  command->add_option("--threshold", flags->dedup.threshold)
      ->check(Within(0.01, 1.0))
      ->capture_default_str();
  command->add_option("--mode", flags->mode)
      ->check(CLI::IsMember({"jaccard", "containment"}))
      ->capture_default_str();
  command->add_option("--keep", flags->keep)
      ->check(CLI::IsMember({"first", "longest"}))
      ->capture_default_str();
  command->add_option("--shingle", flags->dedup.shingle)
      ->check(CLI::Range(1, 64))
      ->capture_default_str();
  command->add_option("--lsh-threshold", flags->dedup.lsh_threshold)
      ->check(Within(0.01, 0.99, /*zero_too=*/true))
      ->capture_default_str();
  command
      ->add_option("--threads", flags->dedup.threads,
                   "Worker threads per rank (0: one per core)")
      ->check(CLI::Range(0, 1024))
      ->capture_default_str();
  command->add_option("--format", flags->format, "Summary: text or jsonl")
      ->check(CLI::IsMember({"text", "jsonl"}))
      ->capture_default_str();
  command
      ->add_option("--split-bytes", flags->split_bytes,
                   "Cut uncompressed JSONL files of at least this many bytes "
                   "into byte ranges read by different ranks (0: never)")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  neardup::cli::AddInputFlags(command, &flags->input, &flags->dedup.analyze);
  command->add_flag("-q,--quiet", flags->quiet,
                    "No warnings or summary on stderr");
  auto contamination = std::make_shared<neardup::cli::ContaminationFlags>();
  contamination->threads = 1;  // one rank per core
  CLI::App* contamination_command = app.add_subcommand(
      "contamination",
      "As `neardup contamination` (same flags, same report); --threads is "
      "per rank");
  neardup::cli::AddContaminationFlags(contamination_command,
                                      contamination.get());
  uint64_t contamination_split = uint64_t{16} << 20;
  contamination_command
      ->add_option("--split-bytes", contamination_split,
                   "Cut uncompressed JSONL corpus files of at least this many "
                   "bytes into byte ranges read by different ranks (0: never)")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    if (rank != 0) return e.get_exit_code() == 0 ? 0 : neardup::cli::kExitError;
    if (e.get_exit_code() == 0) return app.exit(e);
    std::fprintf(stderr, "neardup: %s\nRun `neardup-mpi %s --help`.\n",
                 e.what(),
                 contamination_command->parsed() ? "contamination" : "dedup");
    return neardup::cli::kExitError;
  }
  if (contamination_command->parsed()) {
    return neardup::mpi::RunContaminationMpi(*contamination,
                                             contamination_split);
  }
  return neardup::mpi::RunDedupMpi(*flags);
}

}  // namespace

int main(int argc, char** argv) {
  MPI_Init(&argc, &argv);
  int rank = 0;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  int exit = neardup::cli::kExitError;
  try {
    exit = Run(argc, argv, rank);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "neardup: %s\n", e.what());
    // Other ranks may be waiting in a collective call: stop them all.
    MPI_Abort(MPI_COMM_WORLD, neardup::cli::kExitError);
  }
  MPI_Finalize();
  return exit;
}
