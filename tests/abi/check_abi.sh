#!/usr/bin/env bash
# ABI gate: the ABI of the built libcsat.so.1 (functions, their types, every
# struct and enum the public header defines) must equal the committed
# baseline tests/abi/libcsat.abi exactly.
#
# Any non-zero abidiff exit fails, not only bit 8 (incompatible): an inserted
# struct member, a grown struct or a changed enum value only sets bit 4.
# An intended, additive change (a new function, a member appended to a
# struct that carries struct_size) is recorded by refreshing the baseline
# with tests/abi/update-baseline.sh in the same commit.
#
# Usage: check_abi.sh LIBRARY [SOURCE_DIR [BASELINE]]
#   SOURCE_DIR  the tree LIBRARY was built from (its include/ decides which
#               types are public); default: the tree holding this script.
#   BASELINE    default: tests/abi/libcsat.abi beside this script.
# Without abidiff (apt-get install abigail-tools) or without debug info in
# LIBRARY the test prints "SKIPPED: ..." (ctest SKIP_REGULAR_EXPRESSION);
# with CSAT_REQUIRE_ABI=1 (set by .ci/run) those cases fail instead.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
lib=${1:?usage: check_abi.sh LIBRARY [SOURCE_DIR [BASELINE]]}
root=$(cd "${2:-$here/../..}" && pwd)
baseline=${3:-$here/libcsat.abi}
# shellcheck source=SCRIPTDIR/abi_common.sh
. "$here/abi_common.sh"

skip() {
  if [ "${CSAT_REQUIRE_ABI:-0}" = 1 ]; then
    echo "FAIL: ABI check required (CSAT_REQUIRE_ABI=1) but: $*" >&2
    exit 1
  fi
  echo "SKIPPED: $*"
  exit 0
}

{ command -v abidw && command -v abidiff; } >/dev/null ||
  skip "abidw/abidiff not installed (apt-get install abigail-tools)"
csat_has_debug_info "$lib" ||
  skip "$lib has no debug info; the ABI check needs a -g build (RelWithDebInfo or Debug)"
[ -f "$baseline" ] || { echo "FAIL: no baseline $baseline (make it with tests/abi/update-baseline.sh)" >&2; exit 1; }

work=$(mktemp -d "${TMPDIR:-/tmp}/csat-abi.XXXXXX")
trap 'rm -rf "$work"' EXIT
csat_abi_dump "$lib" "$root/include" "$root" "$work/current.abi"

rc=0
abidiff --no-show-locs "$baseline" "$work/current.abi" >"$work/report" 2>&1 || rc=$?
if [ "$rc" -ne 0 ]; then
  cat "$work/report"
  what="changed (abidiff exit $rc"
  [ $((rc & 1)) -ne 0 ] && what="$what: abidiff error"
  [ $((rc & 2)) -ne 0 ] && what="$what: abidiff usage error"
  [ $((rc & 4)) -ne 0 ] && what="$what: ABI change"
  [ $((rc & 8)) -ne 0 ] && what="$what: INCOMPATIBLE change"
  echo "FAIL: the ABI of $lib differs from $baseline: $what)." >&2
  echo "  Intended and additive? Refresh the baseline in the same commit:" >&2
  echo "    tests/abi/update-baseline.sh" >&2
  echo "  A removed or changed function, or an inserted/reordered struct member, is" >&2
  echo "  incompatible: keep the old ABI (add a _new2 function, append members)." >&2
  exit 1
fi
nfun=$(grep -c "<elf-symbol .*type='func-type'" "$work/current.abi" || true)
echo "$lib: ABI identical to $(basename "$baseline") ($nfun functions)"
