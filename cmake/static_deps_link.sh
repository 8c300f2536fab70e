#!/bin/sh
# Link launcher of the neardup program (cli/CMakeLists.txt,
# NEARDUP_STATIC_DEPS): runs the link command CMake made with each system
# shared library replaced by its static archive where the system has one
# (Debian's -dev packages ship both), so that the program does not load
# ~45 shared objects at every start. The archives are named once more at
# the end, in one group, so that their order does not matter.
set -eu
archives=
n=$#
i=0
while [ "$i" -lt "$n" ]; do
  arg=$1
  shift
  i=$((i + 1))
  case $arg in
    /usr/lib/*/lib*.so | /usr/lib/*/lib*.so.*)
      archive=${arg%%.so*}.a
      if [ -f "$archive" ]; then
        arg=$archive
        archives="$archives $archive"
        # ICU's data, which its shared library loads for itself.
        data=${archive%/*}/libicudata.a
        case $archive in
          */libicuuc.a) [ -f "$data" ] && archives="$archives $data" ;;
        esac
      fi
      ;;
  esac
  set -- "$@" "$arg"
done
# Word splitting of $archives is meant: paths under /usr/lib have no spaces.
# shellcheck disable=SC2086
exec "$@" -Wl,--start-group $archives -Wl,--end-group -ldl -lpthread
