#!/usr/bin/env bash
# Regenerate tests/abi/libcsat.abi, the ABI baseline the "abi" test compares
# libcsat.so.1 against. Refreshing it is a deliberate act: do it in the same
# commit as the additive API change it records, and read the report printed
# below (it is what reviewers should see).
#
# Usage: tests/abi/update-baseline.sh [--allow-incompatible] [BUILD_DIR]
#   BUILD_DIR  take BUILD_DIR/libcsat.so.1 (must be a -g build);
#              default: a fresh gcc RelWithDebInfo build in a temporary dir.
# Refuses an incompatible change (a removed function: abidiff bit 8) unless
# --allow-incompatible is given; that needs a SOVERSION bump, not a refresh.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
baseline=$here/libcsat.abi
# shellcheck source=SCRIPTDIR/abi_common.sh
. "$here/abi_common.sh"

allow=0
if [ "${1:-}" = --allow-incompatible ]; then allow=1; shift; fi
{ command -v abidw && command -v abidiff; } >/dev/null || {
  echo "abidw/abidiff not installed: apt-get install -y abigail-tools" >&2; exit 1; }

work=$(mktemp -d "${TMPDIR:-/tmp}/csat-abi-update.XXXXXX")
trap 'rm -rf "$work"' EXIT
if [ $# -ge 1 ]; then
  lib=$1/libcsat.so.1
else
  cc=cc
  command -v gcc >/dev/null && cc=gcc
  gen=()
  command -v ninja >/dev/null && gen=(-G Ninja)
  echo "building libcsat.so.1 ($cc, RelWithDebInfo) in $work/build"
  cmake -S "$root" -B "$work/build" "${gen[@]}" -DCMAKE_C_COMPILER="$cc" \
    -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCSAT_BUILD_TESTS=OFF -DCSAT_BUILD_EXAMPLES=OFF >/dev/null
  cmake --build "$work/build" --target csat >"$work/build.log" 2>&1 || {
    cat "$work/build.log" >&2; echo "build failed" >&2; exit 1; }
  lib=$work/build/libcsat.so.1
fi
[ -e "$lib" ] || { echo "no $lib" >&2; exit 1; }
csat_has_debug_info "$lib" || { echo "$lib has no debug info: build with -g" >&2; exit 1; }

csat_abi_dump "$lib" "$root/include" "$root" "$work/new.abi"
if [ -f "$baseline" ]; then
  rc=0
  abidiff --no-show-locs "$baseline" "$work/new.abi" >"$work/report" 2>&1 || rc=$?
  if [ "$rc" -eq 0 ]; then
    cp "$work/new.abi" "$baseline"
    echo "ABI unchanged; $baseline rewritten (git diff shows any textual change)"
    exit 0
  fi
  echo "==== ABI changes recorded by this refresh (abidiff exit $rc) ===="
  cat "$work/report"
  if [ $((rc & 3)) -ne 0 ]; then echo "abidiff failed" >&2; exit 1; fi
  if [ $((rc & 8)) -ne 0 ] && [ "$allow" -ne 1 ]; then
    echo "REFUSED: incompatible ABI change (removed or changed function)." >&2
    echo "That breaks every host built against libcsat.so.1: keep the old function" >&2
    echo "and add a new one. Override only together with a SOVERSION bump:" >&2
    echo "  tests/abi/update-baseline.sh --allow-incompatible" >&2
    exit 1
  fi
fi
cp "$work/new.abi" "$baseline"
echo "wrote $baseline ($(grep -c "<elf-symbol .*type='func-type'" "$baseline") functions)"
