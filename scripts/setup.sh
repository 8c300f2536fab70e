#!/usr/bin/env bash
# Installs the Debian packages neardup needs (only those missing) and builds
# it in build/ (Release). Safe to run again: it only does what is left to do.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(build-essential cmake pkg-config libicu-dev libxxhash-dev libabsl-dev
          libbenchmark-dev libgtest-dev libsimdjson-dev libcli11-dev libzstd-dev
          zlib1g-dev liblmdb-dev python3-dev pybind11-dev python3-pytest libstemmer-dev
          dict-freedict-ara-eng dict-freedict-eng-ara chromium
          libopenmpi-dev openmpi-bin)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}" >&2
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi

werror=OFF
if [ -n "${CI:-}" ]; then werror=ON; fi
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DNEARDUP_WERROR=$werror >/dev/null
cmake --build build -j "$(nproc)"
