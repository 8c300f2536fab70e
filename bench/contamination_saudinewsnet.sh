#!/bin/sh
# Contamination on SaudiNewsNet: quality on planted copies, then speed and
# memory. Builds the data with contamination_data.py (4,000 items from half
# the articles; the other half, ~45 MB, as the corpus with 300 verbatim and
# 600 reworded copies planted), then runs
#   1. --mode aligned: recall on verbatim and reworded copies, false
#      positives on the items not planted (and on those that the classic
#      8-gram overlap does not find in the corpus either: an item whose
#      sentence SaudiNewsNet repeats in another article is really there);
#   2. --mode ngram --n 13 for comparison;
#   3. throughput on 1 and 2 threads, and peak RSS on the corpus twice over
#      (~90 MB).
# Usage: bench/contamination_saudinewsnet.sh [NEARDUP] [WORKDIR]
set -eu
here=$(cd "$(dirname "$0")" && pwd)
neardup=${1:-$here/../build/cli/neardup}
work=${2:-${TMPDIR:-/tmp}/neardup-contamination-bench}
data=$here/../../shared/datasets/saudinewsnet/articles.jsonl.zst
[ -f "$data" ] || data=/work/shared/datasets/saudinewsnet/articles.jsonl.zst
[ -f "$data" ] || { echo "SaudiNewsNet not found: skipped" >&2; exit 0; }
mkdir -p "$work"
[ -f "$work/corpus.jsonl" ] || python3 "$here/contamination_data.py" "$data" "$work"

run() {  # run OUT ARGS...: the report in OUT, "seconds peak_kib" on stdout
  out=$1; shift
  /usr/bin/time -f 'wall %e s, user %U s, sys %S s, peak RSS %M KiB' -o "$work/time" "$neardup" contamination \
    --benchmark "$work/benchmark.jsonl" --benchmark-field question \
    --format jsonl -q -o "$out" "$@" || [ $? -eq 1 ]
  cat "$work/time"
}

evaluate() {  # evaluate REPORT [NGRAM8_REPORT]
  python3 - "$work/truth.jsonl" "$@" <<'EOF'
import json, sys
truth = {json.loads(l)["id"]: json.loads(l)["planted"] for l in open(sys.argv[1])}
def load(path):
    return {r["id"]: r for r in map(json.loads, open(path)) if r["type"] == "item"}
rep = load(sys.argv[2])
natural = set()
if len(sys.argv) > 3:
    natural = {i for i, r in load(sys.argv[3]).items() if r["status"] != "clean"}
def share(kind, test):
    ids = [i for i, k in truth.items() if k == kind]
    return sum(test(rep[i]) for i in ids), len(ids)
for kind in ("verbatim", "reworded"):
    hit, n = share(kind, lambda r: r["status"] != "clean")
    full, _ = share(kind, lambda r: r["status"] == "contaminated")
    print(f"{kind}: {hit}/{n} found ({100*hit/n:.1f} %), {full} contaminated")
unplanted = [i for i, k in truth.items() if k is None]
fp = [i for i in unplanted if rep[i]["status"] != "clean"]
print(f"not planted: {len(fp)}/{len(unplanted)} flagged ({100*len(fp)/len(unplanted):.2f} %)")
if natural:
    clean = [i for i in unplanted if i not in natural]
    fp2 = [i for i in clean if rep[i]["status"] != "clean"]
    print(f"not planted, no 8-gram in the corpus: {len(fp2)}/{len(clean)} flagged "
          f"({100*len(fp2)/len(clean):.2f} %)")
EOF
}

echo "== ngram 8 (which unplanted items the corpus really holds)"
run "$work/ngram8.jsonl" --mode ngram --n 8 --threads 2 "$work/corpus.jsonl"
echo "== aligned (default), 2 threads"
run "$work/aligned.jsonl" --threads 2 "$work/corpus.jsonl"
evaluate "$work/aligned.jsonl" "$work/ngram8.jsonl"
echo "== reworded copies alone, one per document: recall, and unrelated items"
echo "   flagged (items whose text shares an 8-gram with a planted item's are"
echo "   not counted: the benchmark holds some stories twice)"
run "$work/alone.jsonl" --threads 2 "$work/reworded-alone.jsonl"
run "$work/alone-ngram8.jsonl" --mode ngram --n 8 --threads 2 \
  "$work/reworded-originals.jsonl"
python3 - "$work/truth.jsonl" "$work/alone.jsonl" "$work/alone-ngram8.jsonl" <<'EOF'
import json, sys
truth = {json.loads(l)["id"]: json.loads(l)["planted"] for l in open(sys.argv[1])}
def load(path):
    return {r["id"]: r for r in map(json.loads, open(path)) if r["type"] == "item"}
rep, same = load(sys.argv[2]), load(sys.argv[3])
planted = [i for i, k in truth.items() if k == "reworded"]
found = [i for i in planted if rep[i]["status"] != "clean"]
print(f"reworded: {len(found)}/{len(planted)} found ({100*len(found)/len(planted):.1f} %)")
others = [i for i, k in truth.items() if k != "reworded" and same[i]["status"] == "clean"]
fp = [i for i in others if rep[i]["status"] != "clean"]
print(f"unrelated items flagged: {len(fp)}/{len(others)} ({100*len(fp)/len(others):.2f} %)")
EOF
echo "== ngram 13"
run "$work/ngram13.jsonl" --mode ngram --n 13 --threads 2 "$work/corpus.jsonl"
evaluate "$work/ngram13.jsonl" "$work/ngram8.jsonl"
bytes=$(wc -c < "$work/corpus.jsonl")
for threads in 1 2; do
  echo "== aligned, $threads thread(s), corpus $bytes bytes: seconds, peak KiB"
  run "$work/t$threads.jsonl" --threads "$threads" "$work/corpus.jsonl"
  cmp "$work/t$threads.jsonl" "$work/aligned.jsonl" 2>/dev/null ||
    python3 -c "import sys,json
a=[l for l in open(sys.argv[1]) if '\"item\"' in l]; b=[l for l in open(sys.argv[2]) if '\"item\"' in l]
print('items identical' if a==b else 'ITEMS DIFFER')" "$work/t$threads.jsonl" "$work/aligned.jsonl"
done
echo "== aligned, 2 threads, the corpus twice (2 x $bytes bytes): seconds, peak KiB"
cp "$work/corpus.jsonl" "$work/corpus-again.jsonl"
# The same ids twice: counted as repeated ids (a warning), which is fine here.
run "$work/twice.jsonl" --threads 2 "$work/corpus.jsonl" "$work/corpus-again.jsonl"
