#!/usr/bin/env bash
# How `neardup dedup` (and optionally `scan`) grows with the size of one group
# of copies: a mixed-script wire story (Arabic, Greek, Japanese, Hebrew,
# English, emoji) carried N times, every second copy with one word added
# (bench/copies_data.py). Every copy must end in one cluster; the time should
# grow about linearly in N (it grew quadratically when the capped pairs of the
# oversized LSH buckets were counted document by document).
# Prints, for each N: CPU time (user + sys, the figure to trust on a loaded
# machine), wall time, peak RSS, and the summary's counts. With CALLGRIND=1,
# also the instruction count of the run (valgrind; about 50x slower).
# With SCAN=1, `scan` too: every copy must be a member of one cluster (the
# cluster_members count), and its time and peak RSS should grow about
# linearly in N, --distinct too (they grew quadratically while every copy
# got a pair with each partner of its representative).
# Usage: bench/dedup_copies.sh [path/to/neardup] [N ...]
#   env: DISTINCT=1  every edited copy gets its own word (copies_data.py --distinct)
#        SCAN=1      also time `neardup scan` on each input
#        THREADS=n   --threads (default 1)
set -euo pipefail
cd "$(dirname "$0")/.."
bin=$(realpath "${1:-build/cli/neardup}")
shift || true
sizes=("$@")
((${#sizes[@]})) || sizes=(1000 5000 20000)
threads=${THREADS:-1}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
flags=()
[ -n "${DISTINCT:-}" ] && flags=(--distinct)
for n in "${sizes[@]}"; do
  python3 bench/copies_data.py "${flags[@]}" "$n" >"$dir/in.jsonl"
  /usr/bin/time -f '%e %U %S %M' -o "$dir/time" "$bin" dedup "$dir/in.jsonl" \
    --output "$dir/kept.jsonl" --clusters "$dir/clusters.jsonl" \
    --threads "$threads" --format jsonl -q >"$dir/summary.json"
  read -r wall user sys kib <"$dir/time"
  instructions=""
  if [ -n "${CALLGRIND:-}" ]; then
    instructions=$(valgrind --tool=callgrind --callgrind-out-file=/dev/null \
      "$bin" dedup "$dir/in.jsonl" --output "$dir/kept2.jsonl" \
      --clusters "$dir/clusters2.jsonl" --threads 1 -q 2>&1 |
      sed -n 's/.*Collected : \([0-9]*\).*/\1/p')
  fi
  python3 - "$n" "$wall" "$user" "$sys" "$kib" "$dir/summary.json" "$instructions" <<'PY'
import json, sys
n, wall, user, sys_s, kib, summary, instructions = sys.argv[1:]
s = json.loads(open(summary).read())
line = (f"dedup {int(n):>6} copies: cpu {float(user) + float(sys_s):6.2f} s "
        f"(user {float(user):.2f})  wall {float(wall):6.2f} s  "
        f"peak RSS {int(kib) / 1024:4.0f} MiB  kept {s['kept']}  "
        f"clusters {s['clusters']}  candidate pairs {s['candidate_pairs']}  "
        f"verified {s['verified_pairs']}")
if instructions:
    line += f"  instructions {int(instructions) / 1e9:.2f} G"
print(line)
PY
  if [ -n "${SCAN:-}" ]; then
    /usr/bin/time -f '%e %U %S %M' -o "$dir/time" "$bin" scan "$dir/in.jsonl" \
      --threads "$threads" --format jsonl -q >"$dir/scan.jsonl" || [ $? -eq 1 ]
    read -r wall user sys kib <"$dir/time"
    python3 - "$n" "$wall" "$user" "$sys" "$kib" "$dir/scan.jsonl" <<'PY'
import json, sys
n, wall, user, sys_s, kib, out = sys.argv[1:]
s = json.loads(open(out).readlines()[-1])
members = s["cluster_members"]
print(f"scan  {int(n):>6} copies: cpu {float(user) + float(sys_s):6.2f} s "
      f"(user {float(user):.2f})  wall {float(wall):6.2f} s  "
      f"peak RSS {int(kib) / 1024:4.0f} MiB  clusters {s['clusters']} "
      f"({members} members)  pairs {s['pairs']}  copies {s['copies']}  "
      f"aligned {s['aligned_pairs']}  derived {s['derived_pairs']}  "
      f"capped_pairs {s['capped_pairs']}")
PY
  fi
done
