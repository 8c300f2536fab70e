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
  mapfile -t files < <(git ls-files 'lib/src/*.cc' 'cli/*.cc' | grep -v '_test\.cc$')
fi
# Two files at a time (CI has 2 cores). clang-tidy prints its findings on
# stdout; stderr only has "N warnings generated" noise.
printf '%s\n' "${files[@]}" |
  xargs -P 2 -n 1 "$tidy" -p build --quiet 2>/dev/null
echo "tidy: ${#files[@]} files clean" >&2
