#!/usr/bin/env bash
# Fails if any tracked C++ file differs from what clang-format (.clang-format,
# Google style) would make of it. To fix: clang-format -i <file>.
set -euo pipefail
cd "$(dirname "$0")/.."

format=${CLANG_FORMAT:-$(command -v clang-format-14 || command -v clang-format)}
mapfile -t files < <(git ls-files '*.cc' '*.h')
"$format" --dry-run --Werror "${files[@]}"
echo "format: ${#files[@]} files clean" >&2
