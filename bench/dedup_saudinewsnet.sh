#!/usr/bin/env bash
# End-to-end benchmark: `neardup dedup` over the 31,030 SaudiNewsNet articles.
# Prints each run's summary, wall and CPU time, docs/s (by wall time and per
# CPU second) and peak RSS, and checks that every group of byte-identical
# non-blank texts lands in one cluster and that every run's outputs are
# byte-identical to the first run's.
# Usage: bench/dedup_saudinewsnet.sh [path/to/neardup] [extra dedup flags...]
# Environment: RUNS (default 1) runs in a row; DATASKETCH=1 also times the
# Python datasketch pipeline (bench/dedup_datasketch.py) after each run, in
# turn with neardup's, and prints the ratio of the two medians (it says so
# and goes on if datasketch is missing; PYTHON names the interpreter that
# has datasketch and numpy, default python3);
# CALLGRIND=N also counts the instructions of one run over the first N
# articles on 1 thread under valgrind (repeatable where times are not).
# The machine is shared: wall time depends on the load, CPU time much less.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-build/cli/neardup}
shift || true
data=../shared/datasets/saudinewsnet/articles.jsonl.zst
runs=${RUNS:-1}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
docs=31030
walls=()
ds_walls=()
python=${PYTHON:-python3}
datasketch=0
if [ "${DATASKETCH:-0}" = 1 ]; then
  if "$python" -c 'import datasketch' 2>/dev/null; then
    datasketch=1
  else
    echo "datasketch: not installed for $python (pip install datasketch); not compared"
  fi
fi
median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
for ((run = 1; run <= runs; run++)); do
  /usr/bin/time -o "$dir/time" -f '%e %U %S %M' \
    "$bin" dedup "$data" --output "$dir/kept.jsonl" \
    --clusters "$dir/clusters.jsonl" "$@"
  read -r wall user sys rss <"$dir/time"
  walls+=("$wall")
  awk -v w="$wall" -v u="$user" -v s="$sys" -v m="$rss" -v n="$docs" \
    -v r="$run" 'BEGIN { printf "run %d: wall %.2f s (%.0f docs/s), user %.2f s, sys %.2f s (%.0f docs per CPU-second), peak RSS %.1f MiB\n", r, w, n / w, u, s, n / (u + s), m / 1024 }'
  if ((run == 1)); then
    mv "$dir/kept.jsonl" "$dir/kept.first"
    mv "$dir/clusters.jsonl" "$dir/clusters.first"
  else
    cmp "$dir/kept.jsonl" "$dir/kept.first"
    cmp "$dir/clusters.jsonl" "$dir/clusters.first"
    # Every run writes new files, as a first run does: replacing a 97 MB
    # output makes the rename free the old file's blocks, which took the
    # file system (ext4 mounted with discard) 30-45 ms here, in neardup's
    # wall time but none of its work (docs/DEDUP.md).
    rm -f "$dir/kept.jsonl" "$dir/clusters.jsonl"
    sync
  fi
  if ((datasketch)); then
    start=$(date +%s.%N)
    "$python" bench/dedup_datasketch.py "$data"
    end=$(date +%s.%N)
    ds_walls+=("$(awk -v s="$start" -v e="$end" 'BEGIN { print e - s }')")
    echo "datasketch run $run: wall ${ds_walls[-1]} s"
  fi
done
python3 bench/dedup_exact_groups.py "$data" "$dir/clusters.first"
if [ -n "${CALLGRIND:-}" ]; then
  # zstd stops early (SIGPIPE) once head has its lines.
  (zstd -dc "$data" 2>/dev/null || true) | head -n "$CALLGRIND" |
    zstd -q -o "$dir/subset.jsonl.zst"
  valgrind --tool=callgrind --callgrind-out-file="$dir/callgrind.out" \
    "$bin" dedup "$dir/subset.jsonl.zst" --output "$dir/kept.jsonl" \
    --clusters "$dir/clusters.jsonl" --threads 1 -q "$@" 2>&1 |
    sed -n "s/.*Collected : \([0-9]*\)/callgrind, first $CALLGRIND articles, 1 thread: \1 instructions/p"
  callgrind_annotate --inclusive=no "$dir/callgrind.out" 2>/dev/null |
    grep -E '^ *[0-9,]+ +\(' | sed -n 1,12p
fi
if ((datasketch)); then
  ds=$(printf '%s\n' "${ds_walls[@]}" | median)
  nd=$(printf '%s\n' "${walls[@]}" | median)
  awk -v d="$ds" -v n="$nd" -v r="$runs" 'BEGIN { printf "datasketch: median wall %.2f s, neardup %.3f s (%d runs each, in turn): neardup is %.1fx faster\n", d, n, r, d / n }'
fi
