#!/usr/bin/env bash
# Runs clang-tidy (the checks in .clang-tidy, every warning an error) over the
# library and CLI sources, using build/compile_commands.json. Configures
# build/ first if it has no compilation database.
#
#   scripts/tidy.sh [file.cc...]
set -euo pipefail
cd "$(dirname "$0")/.."

tidy=${CLANG_TIDY:-$(command -v clang-tidy-14 || command -v clang-tidy)}
if [ ! -f build/compile_commands.json ]; then
  cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
fi
files=("$@")
if ((${#files[@]} == 0)); then
  mapfile -t files < <(git ls-files 'lib/src/*.cc' 'cli/*.cc' 'mpi/*.cc' | grep -v '_test\.cc$')
fi
# The database holds g++'s flags: clang must ignore those it does not know
# (-Wno-restrict), which -Werror (CI) would otherwise make fatal. Two files
# at a time (CI has 2 cores). clang-tidy prints its findings on stdout; of
# stderr, only the "N warnings generated." counts are dropped.
printf '%s\n' "${files[@]}" |
  xargs -P 2 -n 1 "$tidy" -p build --quiet \
    --extra-arg=-Wno-unknown-warning-option \
    2> >(grep -v -E '^[0-9]+ warnings? (and [0-9]+ errors? )?generated\.$' >&2)
echo "tidy: ${#files[@]} files clean" >&2
