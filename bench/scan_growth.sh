#!/usr/bin/env bash
# End-to-end benchmark: how `neardup scan` time grows with copies of each
# document. Builds SaudiNewsNet x K (every article K times, one word added to
# each copy, so no two copies are byte-identical) and scans x1 and x K.
# With reuse clusters a group of K copies costs about K alignments, not
# K^2/2, so x4 should take well under 16 times x1 (target: within 5 times).
# Usage: bench/scan_growth.sh [path/to/neardup] [K] [extra scan flags...]
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-build/cli/neardup}
copies=${2:-4}
shift 2 || shift $# || true
data=../shared/datasets/saudinewsnet/articles.jsonl.zst
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
python3 - "$data" "$dir" "$copies" <<'PY'
import json, subprocess, sys
data, out, copies = sys.argv[1], sys.argv[2], int(sys.argv[3])
lines = subprocess.run(['zstd', '-dc', data], capture_output=True, check=True).stdout.splitlines()
with open(f'{out}/x1.jsonl', 'w') as one, open(f'{out}/xk.jsonl', 'w') as many:
    for line in lines:
        r = json.loads(line)
        one.write(json.dumps({'id': r['id'], 'text': r['text']}, ensure_ascii=False) + '\n')
        for k in range(copies):
            text = r['text'] + f' copy{k}' if k else r['text']
            many.write(json.dumps({'id': f"{r['id']}#{k}", 'text': text}, ensure_ascii=False) + '\n')
PY
run() {  # run NAME FILE: prints NAME, wall s, user+sys s, peak RSS MiB, summary
  /usr/bin/time -f '%e %U %S %M' -o "$dir/time" "$bin" scan "$2" --format jsonl -q "${@:3}" >"$dir/out" || [ $? -eq 1 ]
  read -r wall user sys kib <"$dir/time"
  python3 - "$1" "$wall" "$user" "$sys" "$kib" "$dir/out" <<'PY'
import json, sys
name, wall, user, sys_s, kib, out = sys.argv[1:]
summary = json.loads(open(out).readlines()[-1])
print(f"{name}: wall {float(wall):.1f} s  cpu {float(user) + float(sys_s):.1f} s  peak RSS {int(kib) / 1024:.0f} MiB  "
      f"documents {summary['documents']}  candidate pairs {summary['candidate_pairs']}  aligned {summary.get('aligned_pairs', '?')}  copies {summary.get('copies', '?')}  pairs {summary['pairs']}  "
      f"clusters {summary['clusters']} ({summary['cluster_members']} members)")
PY
  echo "$wall" >"$dir/$1.wall"
}
run x1 "$dir/x1.jsonl" "$@"
run "x$copies" "$dir/xk.jsonl" "$@"
python3 -c "import sys; a, b = (float(open(p).read()) for p in sys.argv[1:]); print(f'x$copies / x1 wall time: {b / a:.1f}')" "$dir/x1.wall" "$dir/x$copies.wall"
