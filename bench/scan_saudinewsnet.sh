#!/usr/bin/env bash
# End-to-end benchmark: `neardup scan` over the 31,030 SaudiNewsNet articles.
# Prints wall time, peak RSS, and what the scan found (pairs, passages, and
# pairs whose two articles come from different outlets: republication),
# clusters (a pair counts as found when both articles are in one cluster).
# Usage: bench/scan_saudinewsnet.sh [path/to/neardup] [extra scan flags...]
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-build/cli/neardup}
shift || true
data=../shared/datasets/saudinewsnet/articles.jsonl.zst
out=$(mktemp)
trap 'rm -f "$out" "$out.time"' EXIT
/usr/bin/time -f '%e %M' -o "$out.time" "$bin" scan "$data" --format jsonl "$@" >"$out" || [ $? -eq 1 ]
read -r seconds kib <"$out.time"
python3 - "$out" "$data" "$seconds" "$kib" <<'PY'
import json, sys, subprocess
out, data, seconds, kib = sys.argv[1], sys.argv[2], float(sys.argv[3]), int(sys.argv[4])
source = {}
for line in subprocess.run(['zstd', '-dc', data], capture_output=True).stdout.splitlines():
    r = json.loads(line)
    source[r['id']] = r['source']
pairs = passages = cross = clusters = members = boilerplate = 0
found = set()
for line in open(out):
    r = json.loads(line)
    if r['type'] == 'pair':
        pairs += 1
        cross += source[r['a']] != source[r['b']]
        found.add((r['a'], r['b']))
        found.add((r['b'], r['a']))
    elif r['type'] == 'cluster':
        clusters += 1
        members += len(r['members'])
        ids = sorted({m['id'] for m in r['members']})
        for a in ids:
            for b in ids:
                if a != b:
                    found.add((a, b))
    elif r['type'] == 'boilerplate':
        boilerplate += 1
    elif r['type'] == 'passage':
        passages += 1
    elif r['type'] == 'summary':
        summary = r
print(f"documents {summary['documents']}  candidate pairs {summary['candidate_pairs']}  aligned {summary.get('aligned_pairs', '?')}")
print(f"pairs {pairs} (across outlets {cross})  passages {passages}")
print(f"clusters {clusters} ({members} members)  boilerplate records {boilerplate}")
# Weak ground truth: SPA wire stories sharing >= half their word 8-grams with
# one article of another outlet (../shared/datasets/saudinewsnet/README.md).
spa = [l.rstrip('\n').split('\t') for l in open(data.replace('articles.jsonl.zst', 'spa-reuse.tsv'))][1:]
reused = [(r[0], r[2]) for r in spa if float(r[5]) >= 0.5]
hit = sum((a, b) in found for a, b in reused)
print(f"SPA stories republished by another outlet (containment >= 0.5): {hit}/{len(reused)} paired with their best match")
print(f"wall {seconds:.1f} s  peak RSS {kib / 1024:.0f} MiB  ({summary['documents'] / seconds:.0f} docs/s)")
PY
