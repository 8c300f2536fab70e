#!/usr/bin/env bash
# Splits SaudiNewsNet by the date of each article into DIR/YYYY-MM-DD.jsonl
# (the daily batches of bench/feed_index_daily.sh and feed_dedup_daily.sh).
# usage: bench/saudinewsnet_days.sh DIR
set -euo pipefail
cd "$(dirname "$0")/.."
dir=$1
articles=../shared/datasets/saudinewsnet/articles.jsonl.zst
[ -f "$articles" ] || { echo "saudinewsnet_days.sh: $articles not found" >&2; exit 2; }
mkdir -p "$dir"
zstd -dc "$articles" | python3 -c '
import json, sys
out = {}
for line in sys.stdin:
    day = json.loads(line).get("date", "")[:10] or "undated"
    if day not in out:
        out[day] = open(f"{sys.argv[1]}/{day}.jsonl", "w", encoding="utf-8")
    out[day].write(line)
' "$dir"
