#!/usr/bin/env bash
# Candidate recall of `scan`: every pair of a sample is aligned directly (what
# `compare` reports, boilerplate off) and checked against `scan
# --boilerplate-documents 0`. Prints the recall and, per missed pair, its
# passages and the best bigram Jaccard of any two of its windows.
# Usage: bench/scan_recall.sh [FILE] [--window N --stride N --threshold X ...]
# Build first: cmake --build build --target scan_recall
set -euo pipefail
cd "$(dirname "$0")/.."
file=${1:-../shared/datasets/saudinewsnet/sample-1k.jsonl}
shift || true
exec build/bench/scan_recall "$file" --threads 2 "$@"
