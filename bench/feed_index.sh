#!/usr/bin/env bash
# The feed index benchmark (issue 11): an index of TOTAL documents (default
# 1,000,000) built from SaudiNewsNet's words by bench/feed_index_data.py, in
# batches of 50,000 after a first one of 10,000. Measures, each with wall and
# CPU time (the machine may be shared: CPU time is the steadier figure):
#   - add rate (docs/s), without texts (--no-text) and with texts, and of
#     four more batches of 50,000 at TOTAL, one add each, and their rate
#     together (one may merge many runs, the next none);
#   - query rate at 10k and at TOTAL indexed documents, for 5,000
#     near-duplicate variants of indexed documents and 5,000 new ones;
#   - query --passages rate (100 documents, index with texts);
#   - bytes on disk per document, with and without texts;
#   - open time (index stats at TOTAL).
# usage: bench/feed_index.sh [BUILD_DIR] [WORK_DIR] [TOTAL]
# Run it once; it takes minutes and several GB of WORK_DIR.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
work=${2:-/tmp/neardup-feed-bench}
total=${3:-1000000}
neardup=$PWD/$build/cli/neardup
articles=../shared/datasets/saudinewsnet/articles.jsonl.zst
[ -f "$articles" ] || { echo "feed_index.sh: $articles not found" >&2; exit 2; }
mkdir -p "$work/data"
if [ ! -f "$work/data/query-new.jsonl" ]; then
  python3 bench/feed_index_data.py "$articles" "$work/data" "$total" 50000 10000
fi
# 100 documents for --passages: in these synthetic documents (runs of 20-60
# words of 31,030 real articles), each run recurs in hundreds of the 1M
# documents, so each query shares passages with ~500 of them (measured:
# 50,815 passage pairs for 100 queries) and takes ~0.5 s to align.
head -n 100 "$work/data/query-near.jsonl" > "$work/data/query-100.jsonl"

# run LABEL DOCS COMMAND...: prints "LABEL wall_s cpu_s docs/s(wall)
# docs/s(cpu) page_faults" (page faults: minor + major; on a virtualised
# machine each costs some 15-20 us of CPU, DESIGN.md)
run() {
  local label=$1 docs=$2; shift 2
  local t; t=$(mktemp)
  /usr/bin/time -f "%e %U %S %R %F" -o "$t" "$@" > /dev/null || [ $? -eq 1 ]
  read -r wall user sys minor major < <(tail -n 1 "$t"); rm -f "$t"
  last_wall=$wall
  awk -v l="$label" -v d="$docs" -v w="$wall" -v u="$user" -v s="$sys" -v f=$((minor + major)) \
    'BEGIN { c = u + s; printf "%-34s %8.2f s wall %8.2f s cpu %9.0f docs/s wall %9.0f docs/s cpu %8d faults\n", l, w, c, d / w, d / c, f }'
}
per_doc() {  # INDEX DOCS -> bytes in use per document
  "$neardup" index stats --index "$1" --format jsonl | tail -n 1 |
    python3 -c "import json,sys; r=json.load(sys.stdin); print(f\"{r['used_bytes']/$2:.0f} B/doc in use ({r['file_bytes']/$2:.0f} file; bands {r['bands_bytes']/$2:.0f}, docs {r['docs_bytes']/$2:.0f}, ids {r['ids_bytes']/$2:.0f}, texts {r['texts_bytes']/$2:.0f})\")"
}
batches=("$work"/data/batch-*.jsonl)
for kind in notext text; do
  index=$work/$kind.ndx
  rm -rf "$index"
  flag=(); [ $kind = notext ] && flag=(--no-text)
  run "add first 10k ($kind)" 10000 "$neardup" index add -q --index "$index" "${flag[@]}" "${batches[0]}"
  for q in near new; do
    run "query 5k $q @10k ($kind)" 5000 "$neardup" index query -q --index "$index" "$work/data/query-$q.jsonl"
  done
  run "add rest ($kind)" $((total - 10000)) "$neardup" index add -q --index "$index" "${batches[@]:1}"
  for q in near new; do
    run "query 5k $q @$total ($kind)" 5000 "$neardup" index query -q --index "$index" "$work/data/query-$q.jsonl"
  done
  echo "bytes per document ($kind): $(per_doc "$index" "$total")"
  # Four more batches of 50,000 (batches 1-4's texts under new ids), one
  # add each: the cost of an add at TOTAL. One add may merge many runs and
  # the next none (DESIGN.md, "runs"), so the rate is the four's together.
  walls=()
  for k in 1 2 3 4; do
    more=$work/data/more.jsonl prefix=more-
    [ $k = 1 ] || { more=$work/data/more$k.jsonl; prefix=more$k-; }
    [ -f "$more" ] ||
      sed "s/\"id\": *\"/\"id\":\"$prefix/" "${batches[$k]}" > "$more"
    # Dirty pages of earlier writes would be flushed by this add's fsync.
    sync
    run "add 50k more @$total, $k of 4 ($kind)" 50000 "$neardup" index add -q --index "$index" "${flag[@]}" "$more"
    walls+=("$last_wall")
  done
  echo "${walls[@]}" | awk -v t="$total" -v k="$kind" '{ s = 0; for (i = 1; i <= NF; i++) s += $i; printf "add 4 x 50k more @%s (%s): %.2f s wall in all, %.0f docs/s\n", t, k, s, 200000 / s }'
done
run "query --passages 100 @$total (text)" 100 "$neardup" index query -q --passages --index "$work/text.ndx" "$work/data/query-100.jsonl"
start=$(date +%s.%N); "$neardup" index stats --index "$work/text.ndx" > /dev/null; end=$(date +%s.%N)
awk -v s="$start" -v e="$end" 'BEGIN { printf "open + stats at %s documents: %.3f s\n", "'"$total"'", e - s }'
