#!/usr/bin/env bash
# Builds neardup with AddressSanitizer and UndefinedBehaviorSanitizer in
# build-asan/ and runs the test suite there, all but the `large` tests (see
# below). Any sanitizer report fails the test that triggered it
# (-fno-sanitize-recover=all).
#
#   scripts/sanitize.sh            # with clang++-14 if installed, else g++
#   CXX=g++ scripts/sanitize.sh
#
# -O1 -g1, as the sanitizers' own documentation suggests: reports keep file
# and line, and the build takes about a third of the time of g++ -O2 -g
# (lib/src/align.cc: 10.4 s with g++ -O2 -g, 3.5 s with clang++ -O1 -g1).
set -euo pipefail
cd "$(dirname "$0")/.."

cxx=${CXX:-$(command -v clang++-14 || command -v clang++ || command -v g++)}
cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_CXX_COMPILER="$cxx" -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g1 -DNDEBUG" \
  -DNEARDUP_SANITIZE=ON -DNEARDUP_BUILD_BENCH=OFF >/dev/null
cmake --build build-asan -j 2
# detect_leaks: LeakSanitizer is on by default on Linux; say so explicitly.
# -LE large: the `large` tests (tests/large_input_test.cc: a 200 MB line, a
# 1 GB file) take minutes in a Release build and would take far longer under
# ASan, whose shadow memory would also break their memory bounds. The code
# paths they run are covered here by the other tests at small sizes.
ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:strict_string_checks=1:detect_stack_use_after_return=1} \
UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1} \
  ctest --test-dir build-asan --output-on-failure -j 2 -LE large
