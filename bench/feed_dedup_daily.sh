#!/usr/bin/env bash
# The README's `dedup --index` example: SaudiNewsNet split by date into daily
# batches; each day is de-duplicated within itself and against the index of
# all earlier days, and its kept articles are added. Prints, per day:
# articles, how many were dropped as near-duplicates (Jaccard >= 0.8) of an
# article of an earlier day, how many as near-duplicates of an article of the
# same day, and how many were kept (and added to the index).
# usage: bench/feed_dedup_daily.sh [BUILD_DIR] [WORK_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
work=${2:-/tmp/neardup-feed-dedup}
neardup=$PWD/$build/cli/neardup
rm -rf "$work"; mkdir -p "$work/days" "$work/out"
bench/saudinewsnet_days.sh "$work/days"
printf "%-12s %8s %16s %14s %8s %8s\n" day articles dup-of-earlier dup-same-day kept seconds
for day in "$work"/days/*.jsonl; do
  name=$(basename "$day" .jsonl)
  start=$(date +%s.%N)
  "$neardup" dedup -q --format jsonl --index "$work/feeds.ndx" --batch "$name" \
    "$day" --output "$work/out/$name.kept.jsonl" \
    --clusters "$work/out/$name.clusters.jsonl" > "$work/out/$name.summary.jsonl"
  end=$(date +%s.%N)
  python3 - "$work/out/$name.clusters.jsonl" "$name" "$start" "$end" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
earlier = sum(1 for r in rows if r["in_index"])
same = sum(1 for r in rows if not r["kept"] and not r["in_index"])
kept = sum(1 for r in rows if r["kept"])
print(f"{sys.argv[2]:<12} {len(rows):8d} {earlier:16d} {same:14d} {kept:8d} "
      f"{float(sys.argv[4]) - float(sys.argv[3]):8.2f}")
PY
done
"$neardup" index stats --index "$work/feeds.ndx" | head -n 4
