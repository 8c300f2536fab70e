#!/usr/bin/env bash
# Builds the libFuzzer targets in build-fuzz/ (clang, ASan + UBSan) and runs
# each one in turn.
#
#   tests/fuzz/run.sh [N | Ns] [target...]
#
# N runs each target for -runs=N inputs (default 20000, what CI uses); Ns
# (e.g. 300s) runs each for -max_total_time=N seconds. Targets default to all.
# The seeds in tests/fuzz/corpus/<target>/ are read, never written: inputs
# libFuzzer finds go to build-fuzz/corpus/<target>/, and a crashing input to
# build-fuzz/artifacts/<target>/. Exits non-zero if any target fails.
set -euo pipefail
cd "$(dirname "$0")/../.."

budget=${1:-20000}
shift || true
targets=("$@")
if ((${#targets[@]} == 0)); then targets=(normalize tokenize align jsonl); fi
case "$budget" in
  *s) limit=(-max_total_time="${budget%s}") ;;
  *) limit=(-runs="$budget") ;;
esac

cxx=${NEARDUP_FUZZ_CXX:-$(command -v clang++-14 || command -v clang++)}
# -O1 -g1 as in scripts/sanitize.sh: a third of the build time of -O2 -g.
cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_CXX_COMPILER="$cxx" -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g1 -DNDEBUG" \
  -DNEARDUP_FUZZ=ON \
  -DNEARDUP_BUILD_TESTS=OFF -DNEARDUP_BUILD_BENCH=OFF >/dev/null
cmake --build build-fuzz -j 2 --target "${targets[@]/%/_fuzzer}"

status=0
for t in "${targets[@]}"; do
  mkdir -p "build-fuzz/corpus/$t" "build-fuzz/artifacts/$t"
  max_len=4096
  if [ "$t" = align ]; then max_len=512; fi
  echo "fuzz: $t ${limit[*]}" >&2
  log="build-fuzz/$t.log"
  if ! "build-fuzz/tests/fuzz/${t}_fuzzer" "${limit[@]}" -max_len=$max_len \
      -timeout=30 -rss_limit_mb=2048 -print_final_stats=1 \
      -artifact_prefix="build-fuzz/artifacts/$t/" \
      "build-fuzz/corpus/$t" "tests/fuzz/corpus/$t" >"$log" 2>&1; then
    tail -n 60 "$log" >&2
    echo "fuzz: $t FAILED; full log in $log, input in build-fuzz/artifacts/$t/" >&2
    status=1
  else
    grep -E '^(#[0-9]+ +DONE|stat::number_of_executed_units|stat::average_exec_per_sec)' "$log" >&2 || true
  fi
done
exit $status
