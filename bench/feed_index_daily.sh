#!/usr/bin/env bash
# The README's feed example: SaudiNewsNet split by date into daily batches;
# each day is queried against the index of all earlier days, then added.
# Prints, per day: articles, how many near-duplicate (Jaccard >= 0.8) an
# article of an earlier day, and how many share a passage with one.
# usage: bench/feed_index_daily.sh [BUILD_DIR] [WORK_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
work=${2:-/tmp/neardup-feed-daily}
neardup=$PWD/$build/cli/neardup
rm -rf "$work"
bench/saudinewsnet_days.sh "$work/days"
printf "%-12s %8s %14s %14s\n" day articles near-dup-of-earlier shares-passage
for day in "$work"/days/*.jsonl; do
  name=$(basename "$day" .jsonl)
  near=0; passages=0
  if [ -d "$work/feeds.ndx" ]; then
    "$neardup" index query -q --index "$work/feeds.ndx" "$day" --format jsonl \
      > "$work/$name.matches.jsonl" || [ $? -eq 1 ]
    "$neardup" index query -q --passages --index "$work/feeds.ndx" "$day" \
      --format jsonl > "$work/$name.passages.jsonl" || [ $? -eq 1 ]
    near=$(python3 -c 'import json,sys; print(len({r["a"] for r in map(json.loads, open(sys.argv[1])) if r["type"]=="match"}))' "$work/$name.matches.jsonl")
    passages=$(python3 -c 'import json,sys; print(len({r["a"] for r in map(json.loads, open(sys.argv[1])) if r["type"]=="pair"}))' "$work/$name.passages.jsonl")
  fi
  "$neardup" index add -q --index "$work/feeds.ndx" "$day" --batch "$name"
  printf "%-12s %8d %14d %14d\n" "$name" "$(wc -l < "$day")" "$near" "$passages"
done
"$neardup" index stats --index "$work/feeds.ndx" | head -n 6
