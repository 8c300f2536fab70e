#!/bin/sh
# neardup-mpi contamination on 1, 2 and 4 ranks against one `neardup
# contamination` process (1 thread): the data of
# bench/contamination_saudinewsnet.sh (4,000 items of SaudiNewsNet
# sentences; ~45 MB of other articles with 900 copies planted), the corpus
# cut into 8 JSONL files (a file is the unit a rank reads). Prints MB/s and
# docs/s, the bytes sent to merge the per-item results (per item and per
# document), peak RSS per rank, and whether the report is identical to the
# single process's (the summary's "seconds" aside). On a 2-core machine the
# point is correctness and overhead, not speed-up.
# Usage: bench/mpi_contamination.sh [BUILD_DIR] [WORKDIR]
set -eu
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-$here/../build}
work=${2:-${TMPDIR:-/tmp}/neardup-mpi-contamination-bench}
data=$here/../../shared/datasets/saudinewsnet/articles.jsonl.zst
[ -f "$data" ] || data=/work/shared/datasets/saudinewsnet/articles.jsonl.zst
[ -f "$data" ] || { echo "SaudiNewsNet not found: skipped" >&2; exit 0; }
command -v mpirun >/dev/null || { echo "mpirun not found: skipped" >&2; exit 0; }
mkdir -p "$work"
[ -f "$work/corpus.jsonl" ] || python3 "$here/contamination_data.py" "$data" "$work"
if [ ! -f "$work/part7.jsonl" ]; then
  python3 -c '
import sys
lines = open(sys.argv[1] + "/corpus.jsonl").readlines()
for p in range(8):  # contiguous eighths: input order is kept
    with open(sys.argv[1] + "/part%d.jsonl" % p, "w") as out:
        out.writelines(lines[p * len(lines) // 8:(p + 1) * len(lines) // 8])
' "$work"
fi
parts=$(ls "$work"/part*.jsonl | sort)
root=""
[ "$(id -u)" -eq 0 ] && root=--allow-run-as-root
export OMPI_MCA_btl_vader_single_copy_mechanism=none OMPI_MCA_btl=self,vader
flags="--benchmark $work/benchmark.jsonl --benchmark-field question --benchmark-field answer --format jsonl"

# shellcheck disable=SC2086
/usr/bin/time -f 'wall %e s, peak RSS %M KiB' -o "$work/time" \
  "$build/cli/neardup" contamination $flags $parts --threads 1 \
  -o "$work/single.jsonl" 2>"$work/single.err" || [ $? -eq 1 ]
echo "neardup contamination (1 process, 1 thread): $(cat "$work/time")"
grep 'MB/s' "$work/single.err"
sed 's/,"seconds":[0-9.]*//' "$work/single.jsonl" >"$work/single.cmp"

for np in 1 2 4; do
  # shellcheck disable=SC2086
  /usr/bin/time -f 'wall %e s' -o "$work/time" \
    mpirun --oversubscribe $root -np $np "$build/mpi/neardup-mpi" \
    contamination $flags $parts -o "$work/np$np.jsonl" 2>"$work/np$np.err" \
    || [ $? -eq 1 ]
  same=identical
  sed 's/,"seconds":[0-9.]*//' "$work/np$np.jsonl" | cmp -s - "$work/single.cmp" \
    || same=DIFFERENT
  echo "neardup-mpi -np $np: report $same; mpirun $(cat "$work/time")"
  grep -h 'MB/s\|rank' "$work/np$np.err" | sed 's/^/  /'
done
