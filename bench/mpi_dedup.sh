#!/bin/sh
# neardup-mpi dedup on SaudiNewsNet (31,030 articles) on 1, 2 and 4 ranks,
# against one `neardup dedup` process: docs/s, CPU seconds (user + system,
# all ranks: the machine is shared, so wall time alone says little), bytes
# exchanged between ranks per document, peak RSS per rank, and a check that
# the outputs are identical. The articles are decompressed into ONE JSONL
# file (104 MB), which the ranks read in byte ranges (--split-bytes); with
# SPLIT=files it is cut into 8 files instead (whole files as shares).
# On a 2-core machine the point is correctness and overhead, not speed-up.
# Usage: [SPLIT=files] bench/mpi_dedup.sh [BUILD_DIR] [WORKDIR]
set -eu
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-$here/../build}
work=${2:-${TMPDIR:-/tmp}/neardup-mpi-bench}
data=$here/../../shared/datasets/saudinewsnet/articles.jsonl.zst
[ -f "$data" ] || data=/work/shared/datasets/saudinewsnet/articles.jsonl.zst
[ -f "$data" ] || { echo "SaudiNewsNet not found: skipped" >&2; exit 0; }
command -v mpirun >/dev/null || { echo "mpirun not found: skipped" >&2; exit 0; }
mkdir -p "$work"
if [ "${SPLIT:-ranges}" = files ]; then
  if [ ! -f "$work/part7.jsonl" ]; then
    zstd -dc "$data" | python3 -c '
import sys
out = [open(sys.argv[1] + "/part%d.jsonl" % p, "w") for p in range(8)]
lines = sys.stdin.readlines()
for p in range(8):  # contiguous eighths: input order is kept
    out[p].writelines(lines[p * len(lines) // 8:(p + 1) * len(lines) // 8])
' "$work"
  fi
  parts=$(ls "$work"/part*.jsonl | sort)
else
  [ -f "$work/articles.jsonl" ] || zstd -qdc "$data" >"$work/articles.jsonl"
  parts=$work/articles.jsonl
fi
root=""
[ "$(id -u)" -eq 0 ] && root=--allow-run-as-root
export OMPI_MCA_btl_vader_single_copy_mechanism=none OMPI_MCA_btl=self,vader

# shellcheck disable=SC2086
/usr/bin/time -f 'wall %e s, CPU %U+%S s, peak RSS %M KiB' -o "$work/time" \
  "$build/cli/neardup" dedup $parts --output "$work/single.kept" \
  --clusters "$work/single.clusters" --threads 1 --format jsonl -q >"$work/single.json"
echo "neardup dedup (1 process, 1 thread): $(cat "$work/time")"
python3 -c 'import json,sys; s=json.load(open(sys.argv[1])); print("  %d docs, %d kept, %.0f docs/s, peak %.1f MB" % (s["documents"], s["kept"], s["docs_per_second"], s["peak_memory_mb"]))' "$work/single.json" 2>/dev/null || cat "$work/single.json"

for np in 1 2 4; do
  # shellcheck disable=SC2086
  /usr/bin/time -f 'wall %e s, CPU %U+%S s' -o "$work/time" \
    mpirun --oversubscribe $root -np $np "$build/mpi/neardup-mpi" dedup $parts \
    --output "$work/np$np.kept" --clusters "$work/np$np.clusters" \
    --format jsonl -q >"$work/np$np.json"
  same=identical
  cmp -s "$work/np$np.kept" "$work/single.kept" || same=DIFFERENT
  cmp -s "$work/np$np.clusters" "$work/single.clusters" || same=DIFFERENT
  python3 -c '
import json, sys
s = json.load(open(sys.argv[1]))
print("neardup-mpi -np %s: %d docs, %.0f docs/s (in-program), peak RSS %.1f MB/rank, %d file(s) cut into ranges, outputs %s; mpirun %s"
      % (sys.argv[2], s["documents"], s["docs_per_second"], s["peak_memory_mb_per_rank"], s["split_files"], sys.argv[3], sys.argv[4]))
print("  bytes sent between ranks per document: %.0f band keys + %.0f verify/cluster (= %.0f exchanged), %.0f output lines to rank 0"
      % (s["key_bytes_per_document"], s["cluster_bytes_per_document"], s["bytes_exchanged_per_document"], s["output_bytes_per_document"]))
print("  stages (s): read+sketch %.2f, band keys+candidates %.2f, components+verify+cluster %.2f, outputs %.2f"
      % (s["read_sketch_seconds"], s["candidates_seconds"], s["cluster_seconds"], s["output_seconds"]))
' "$work/np$np.json" "$np" "$same" "$(cat "$work/time")"
done
