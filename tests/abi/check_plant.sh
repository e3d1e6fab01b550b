#!/usr/bin/env bash
# Proves the ABI gate catches a planted break: copies the tree to a scratch
# directory, builds libcsat.so.1 there unchanged (control: check_abi.sh must
# pass), then inserts a member at the start of the public struct csat_contact
# in the scratch copy of csat.h, rebuilds, and requires check_abi.sh to fail
# with the planted member named in the abidiff report. The real tree is never
# touched. Run by .ci/run after the ABI gate; about 15 s on 2 cores.
#
# Usage: tests/abi/check_plant.sh
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/csat-abi-plant.XXXXXX")
trap 'rm -rf "$work"' EXIT
export CSAT_REQUIRE_ABI=1

src=$work/src
mkdir -p "$src"
cp -R "$root/CMakeLists.txt" "$root/cmake" "$root/include" "$root/src" "$root/fuzz" "$root/tests" "$src/"
gen=()
command -v ninja >/dev/null && gen=(-G Ninja)
build() {
  cmake -S "$src" -B "$work/build" "${gen[@]}" -DCMAKE_BUILD_TYPE=Debug \
    -DCSAT_BUILD_TESTS=OFF -DCSAT_BUILD_EXAMPLES=OFF >/dev/null
  cmake --build "$work/build" --target csat >"$work/build.log" 2>&1 || {
    cat "$work/build.log" >&2; echo "FAIL: build of the scratch copy failed" >&2; exit 1; }
}

echo "-- control: unchanged copy of the tree"
build
"$here/check_abi.sh" "$work/build/libcsat.so.1" "$src" "$here/libcsat.abi" || {
  echo "FAIL: the unchanged tree already differs from the baseline; the plant check" >&2
  echo "      would prove nothing (refresh the baseline or fix the ABI first)" >&2
  exit 1
}

echo "-- plant: a member inserted at the start of struct csat_contact"
sed -i 's/^typedef struct csat_contact {$/&\n  int32_t csat_abi_plant; \/* planted by check_plant.sh *\//' "$src/include/csat.h"
grep -q 'csat_abi_plant' "$src/include/csat.h" || { echo "FAIL: could not plant (csat.h changed?)" >&2; exit 1; }
build
rc=0
"$here/check_abi.sh" "$work/build/libcsat.so.1" "$src" "$here/libcsat.abi" >"$work/report" 2>&1 || rc=$?
cat "$work/report"
if [ "$rc" -eq 0 ]; then
  echo "FAIL: the ABI gate passed a library with a member inserted into csat_contact" >&2
  exit 1
fi
grep -q 'csat_abi_plant' "$work/report" || {
  echo "FAIL: the gate failed, but its report does not name the planted member" >&2; exit 1; }
echo "OK: the ABI gate rejects the planted struct member (check_abi.sh exit $rc)"
