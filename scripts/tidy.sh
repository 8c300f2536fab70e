#!/usr/bin/env bash
# Runs clang-tidy (the checks in .clang-tidy, every warning an error) over the
# library and CLI sources, using build/compile_commands.json. Configures
# build/ first if it has no compilation database.
#
#   scripts/tidy.sh [file.cc...]   # every check on the files named
#   scripts/tidy.sh                # the tree, as CI runs it (below)
#   scripts/tidy.sh --all          # every check on every file
#
# The clang static analyzer (clang-analyzer-*) is ~70 % of clang-tidy's time
# here (lib/src/align.cc: 24 s of user time with it, 6.8 s without). Without
# file arguments, the analyzer therefore runs only on the files that changed
# since .ci/tidy-base -- the last commit at which every check passed on
# every file -- and on the .cc files that include a changed header; every other
# check runs on every file. When the base is not in the history (a shallow
# clone), or .clang-tidy changed since it, every check runs on
# every file.
set -euo pipefail
cd "$(dirname "$0")/.."

tidy=${CLANG_TIDY:-$(command -v clang-tidy-14 || command -v clang-tidy)}
if [ ! -f build/compile_commands.json ]; then
  cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
fi

# The database holds g++'s flags: clang must ignore those it does not know
# (-Wno-restrict), which -Werror (CI) would otherwise make fatal. Two files
# at a time (CI has 2 cores). clang-tidy prints its findings on stdout; of
# stderr, only the "N warnings generated." counts are dropped.
run_tidy() { # extra clang-tidy arguments; the files on stdin, one a line
  xargs -r -P 2 -n 1 "$tidy" -p build --quiet \
    --extra-arg=-Wno-unknown-warning-option "$@" \
    2> >(grep -v -E '^[0-9]+ warnings? (and [0-9]+ errors? )?generated\.$' >&2)
}

all=0
files=()
for arg in "$@"; do
  if [ "$arg" = --all ]; then all=1; else files+=("$arg"); fi
done
if ((${#files[@]})); then
  printf '%s\n' "${files[@]}" | run_tidy
  echo "tidy: ${#files[@]} files clean" >&2
  exit 0
fi

mapfile -t files < <(git ls-files 'lib/src/*.cc' 'cli/*.cc' 'mpi/*.cc' | grep -v '_test\.cc$')
base=$(cat .ci/tidy-base 2>/dev/null || true)
if ((all == 0)) && [ -n "$base" ] && git cat-file -e "$base^{commit}" 2>/dev/null &&
  git diff --quiet "$base" -- .clang-tidy; then
  mapfile -t changed < <(git diff --name-only "$base" -- 'lib/*' 'cli/*' 'mpi/*')
  declare -A full=()
  for f in "${changed[@]}"; do
    case "$f" in
      *.cc) full[$f]=1 ;;
      *.h)
        for g in $(git grep -l -F "$(basename "$f")\"" -- 'lib/src/*.cc' 'cli/*.cc' 'mpi/*.cc'); do
          full[$g]=1
        done ;;
    esac
  done
  analyzed=()
  rest=()
  for f in "${files[@]}"; do
    if [ -n "${full[$f]:-}" ]; then analyzed+=("$f"); else rest+=("$f"); fi
  done
  echo "tidy: every check on ${#analyzed[@]} files changed since ${base:0:12}" \
    "(.ci/tidy-base); all but clang-analyzer-* on the other ${#rest[@]}" >&2
  ((${#analyzed[@]} == 0)) || printf '%s\n' "${analyzed[@]}" | run_tidy
  ((${#rest[@]} == 0)) || printf '%s\n' "${rest[@]}" | run_tidy '--checks=-clang-analyzer-*'
else
  echo "tidy: every check on all ${#files[@]} files" >&2
  printf '%s\n' "${files[@]}" | run_tidy
fi
echo "tidy: ${#files[@]} files clean" >&2
