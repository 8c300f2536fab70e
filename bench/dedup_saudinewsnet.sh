#!/usr/bin/env bash
# End-to-end benchmark: `neardup dedup` over the 31,030 SaudiNewsNet articles.
# Prints the run's summary, wall and CPU time, peak RSS, and checks that every
# group of byte-identical non-blank texts lands in one cluster.
# Usage: bench/dedup_saudinewsnet.sh [path/to/neardup] [extra dedup flags...]
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-build/cli/neardup}
shift || true
data=../shared/datasets/saudinewsnet/articles.jsonl.zst
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
/usr/bin/time -f 'wall %e s, user %U s, sys %S s, peak RSS %M KiB' \
  "$bin" dedup "$data" --output "$dir/kept.jsonl" \
  --clusters "$dir/clusters.jsonl" "$@"
python3 bench/dedup_exact_groups.py "$data" "$dir/clusters.jsonl"
