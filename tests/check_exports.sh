#!/usr/bin/env bash
# The shared library's ABI surface, checked on every test run:
#  - the dynamic symbol table defines only csat_* symbols (never the internal
#    csat__*), each versioned LIBCSAT_1, plus the LIBCSAT_1 version node;
#  - the exported symbols are exactly the functions the public header
#    declares (CSAT_EXTERN): nothing extra, nothing missing;
#  - SONAME is libcsat.so.<soversion> and the only NEEDED library is libc.
# Usage: check_exports.sh LIBRARY HEADER SOVERSION
set -euo pipefail
lib=$1 header=$2 soversion=$3
fail=0
bad() { echo "FAIL: $*" >&2; fail=1; }

command -v nm >/dev/null && command -v readelf >/dev/null || {
  echo "nm and readelf are needed (apt-get install binutils)" >&2; exit 1; }

count=0
exported=""
while read -r _ type name; do
  case "$name" in
    LIBCSAT_1) [ "$type" = A ] || bad "version node LIBCSAT_1 has type $type" ;;
    csat__*) bad "internal symbol exported: $name" ;;
    csat_*@@LIBCSAT_1)
      sym=${name%@@LIBCSAT_1}
      count=$((count + 1))
      exported="$exported $sym"
      grep -Eq "^CSAT_EXTERN .*\\b${sym}\\(" "$header" || bad "$sym is exported but not declared in $header" ;;
    *) bad "unexpected exported symbol: $name ($type)" ;;
  esac
done < <(nm -D --defined-only "$lib")
[ "$count" -gt 0 ] || bad "no csat_* symbol exported"
for sym in $(grep -oE '^CSAT_EXTERN .*\bcsat_[a-z0-9_]+\(' "$header" | grep -oE 'csat_[a-z0-9_]+\($' | tr -d '('); do
  case " $exported " in *" $sym "*) ;; *) bad "$sym is declared in $header but not exported" ;; esac
done

dyn=$(readelf -d "$lib")
soname=$(sed -n 's/.*(SONAME).*\[\(.*\)\]/\1/p' <<<"$dyn")
[ "$soname" = "libcsat.so.$soversion" ] || bad "SONAME is '$soname', expected libcsat.so.$soversion"
needed=$(sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' <<<"$dyn" | paste -sd " ")
[ "$needed" = "libc.so.6" ] || bad "NEEDED is '$needed', expected only libc.so.6"

if [ "$fail" -ne 0 ]; then
  echo "dynamic symbols of $lib:" >&2
  nm -D --defined-only "$lib" >&2
  exit 1
fi
echo "$lib: $count csat_* symbols, exactly those declared in $(basename "$header"); SONAME $soname; NEEDED $needed"
