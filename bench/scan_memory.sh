#!/usr/bin/env bash
# End-to-end benchmark: peak memory of `neardup scan` per input byte.
# Builds a JSONL collection of about MB megabytes from SaudiNewsNet: copy 0 is
# the 31,030 articles as they are, and copy k > 0 appends the same two
# Arabic letters (chosen by k) to every word of every article. So each copy
# has the reuse of the original among its own articles and shares no word
# with another copy: the collection grows like an archive of more news, and
# the scan's work like the input, not like its square.
# Prints wall and CPU time, peak RSS (/usr/bin/time -v) and RSS per input
# byte, and what the scan found. Target: at most 2 bytes of peak RSS per
# input byte (docs/DESIGN.md, "Memory of scan").
# Usage: bench/scan_memory.sh [path/to/neardup] [MB] [extra scan flags...]
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-build/cli/neardup}
megabytes=${2:-360}
shift 2 || shift $# || true
data=../shared/datasets/saudinewsnet/articles.jsonl.zst
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
python3 - "$data" "$dir/input.jsonl" "$megabytes" <<'PY'
import json, re, subprocess, sys
data, out, megabytes = sys.argv[1], sys.argv[2], int(sys.argv[3])
records = [json.loads(line) for line in
           subprocess.run(['zstd', '-dc', data], capture_output=True, check=True).stdout.splitlines()]
# Letters that Arabic folding leaves alone (no hamza forms, ta marbuta or
# alef maqsura), so that every copy's words stay distinct after analysis.
letters = 'بتثجحخدذرزسشصضطظعغفقكلمنو'
word = re.compile(r'\w+')
limit = megabytes * 1000 * 1000
written = 0
with open(out, 'w', encoding='utf-8') as f:
    copy = 0
    while written < limit:
        suffix = letters[copy % len(letters)] + letters[copy // len(letters) % len(letters)]
        for r in records:
            text = r['text'] if copy == 0 else word.sub(lambda m: m.group(0) + suffix, r['text'])
            line = json.dumps({'id': f"{r['id']}#{copy}", 'text': text}, ensure_ascii=False) + '\n'
            written += len(line.encode('utf-8'))
            f.write(line)
            if written >= limit:
                break
        copy += 1
PY
bytes=$(stat -c %s "$dir/input.jsonl")
/usr/bin/time -v -o "$dir/time" "$bin" scan "$dir/input.jsonl" --format jsonl -q "$@" >"$dir/out" || [ $? -eq 1 ]
python3 - "$dir/time" "$dir/out" "$bytes" <<'PY'
import json, re, sys
time_file, out, size = sys.argv[1], sys.argv[2], int(sys.argv[3])
t = open(time_file).read()
def field(name):
    return re.search(re.escape(name) + r': (.*)', t).group(1).strip()
kib = int(field('Maximum resident set size (kbytes)'))
wall = field('Elapsed (wall clock) time (h:mm:ss or m:ss)')
cpu = float(field('User time (seconds)')) + float(field('System time (seconds)'))
summary = json.loads(open(out).readlines()[-1])
print(f"input {size / 1e6:.0f} MB ({summary['documents']} documents)  wall {wall}  cpu {cpu:.1f} s")
print(f"peak RSS {kib / 1024:.0f} MiB = {kib * 1024 / size:.2f} bytes per input byte")
print(f"candidate pairs {summary['candidate_pairs']}  pairs {summary['pairs']}  passages {summary['passages']}  "
      f"clusters {summary['clusters']}  boilerplate texts {summary['boilerplate_texts']}")
PY
