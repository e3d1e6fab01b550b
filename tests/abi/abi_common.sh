# shellcheck shell=bash
# Shared by check_abi.sh, update-baseline.sh and check_plant.sh (sourced, not run).
#
# csat_abi_dump LIBRARY HEADERS_DIR SOURCE_ROOT OUT
#   Writes the ABI of LIBRARY as abidw XML to OUT, in a form that does not
#   depend on where the tree or the build lives, so a rebuild anywhere gives
#   the same file byte for byte (checked: two trees in different directories):
#   --headers-dir + --drop-private-types  only types defined in the public
#       header count; the opaque structs (csat_session, ...) stay opaque, so
#       their private layout can change freely;
#   --drop-undefined-syms  no libc declarations (their order varied between
#       builds);
#   --no-corpus-path --no-comp-dir-path --no-show-locs  no build paths or
#       line numbers; the remaining per-file path='<root>/src/x.c' is made
#       relative with sed.
csat_abi_dump() {
  local lib=$1 headers=$2 root=$3 out=$4
  abidw --headers-dir "$headers" --drop-private-types --drop-undefined-syms \
    --no-corpus-path --no-comp-dir-path --no-show-locs \
    --out-file "$out.tmp" "$lib" || return 1
  local phys
  phys=$(cd "$root" && pwd -P)
  sed -e "s|path='$root/|path='|" -e "s|path='$phys/|path='|" "$out.tmp" >"$out" &&
    rm -f "$out.tmp"
}

# csat_has_debug_info LIBRARY: true when LIBRARY carries DWARF (-g).
csat_has_debug_info() {
  readelf -S --wide "$1" 2>/dev/null | grep -q '[.]debug_info'
}
