#!/bin/sh
# Build libcsat's libFuzzer targets with clang (ASan + UBSan) and run each for
# FUZZ_SECONDS on a temporary copy of its seed corpus, with its dictionary.
#
#   fuzz/run.sh [target ...]        default: every target
#
# Environment:
#   FUZZ_SECONDS    seconds per target (default 60)
#   FUZZ_BUILD_DIR  build directory (default <repo>/build-fuzz)
#   FUZZ_OUT        where crash/leak/timeout reproducers are copied
#                   (default <repo>/fuzz/findings, not committed)
#   FUZZ_CC         compiler (default clang)
#
# Exit status: non-zero when the build fails or any target reports a crash,
# leak, timeout, out-of-memory or sanitizer error. Prints the number of
# executions per target (libFuzzer's stat::number_of_executed_units).
#
# Reproduce a finding without clang: build replay_<target> (any build of the
# project) and run `replay_<target> fuzz/findings/<file>`; FUZZ_TRACE=1 prints
# the callback log of the session targets.
set -eu

root=$(cd "$(dirname "$0")/.." && pwd)
build=${FUZZ_BUILD_DIR:-$root/build-fuzz}
secs=${FUZZ_SECONDS:-60}
out=${FUZZ_OUT:-$root/fuzz/findings}
cc=${FUZZ_CC:-clang}
# The targets are those CSAT_FUZZ_TARGETS lists in fuzz/CMakeLists.txt.
all=$(sed -n '/^set(CSAT_FUZZ_TARGETS/,/)/p' "$root/fuzz/CMakeLists.txt" |
  sed 's/set(CSAT_FUZZ_TARGETS//; s/)//' | tr -s ' \n' ' ')
targets=${*:-$all}

max_len_of() {
  case $1 in
    fuzz_survey_json) echo 16384 ;;
    fuzz_session_blob) echo 4096 ;;
    fuzz_session_events) echo 1024 ;;
    fuzz_result_csv) echo 4096 ;;
    fuzz_reply) echo 2048 ;;
    *) echo 4096 ;;
  esac
}

gen=
if command -v ninja >/dev/null 2>&1; then gen="-G Ninja"; fi
# shellcheck disable=SC2086
cmake -S "$root" -B "$build" $gen -DCMAKE_C_COMPILER="$cc" -DCSAT_FUZZ=ON \
  -DCSAT_BUILD_TESTS=OFF -DCSAT_BUILD_EXAMPLES=OFF -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
# shellcheck disable=SC2086
cmake --build "$build" --target $targets

work=$(mktemp -d "${TMPDIR:-/tmp}/csat-fuzz.XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM
status=0
summary=""

for t in $targets; do
  bin="$build/fuzz/$t"
  [ -x "$bin" ] || { echo "run.sh: no binary $bin" >&2; exit 2; }
  mkdir -p "$work/$t/corpus" "$work/$t/artifacts"
  if [ -d "$root/fuzz/corpus/$t" ]; then
    cp -R "$root/fuzz/corpus/$t/." "$work/$t/corpus/"
  fi
  dict=
  if [ -f "$root/fuzz/$t.dict" ]; then dict="-dict=$root/fuzz/$t.dict"; fi
  echo "== $t: ${secs}s"
  rc=0
  # shellcheck disable=SC2086
  "$bin" -max_total_time="$secs" -print_final_stats=1 -max_len="$(max_len_of "$t")" \
    -timeout=10 -rss_limit_mb=2048 -artifact_prefix="$work/$t/artifacts/" $dict \
    "$work/$t/corpus" >"$work/$t/log" 2>&1 || rc=$?
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/$t/log" | tail -n 1)
  cov=$(grep -E '^#[0-9]+.*(DONE|cov:)' "$work/$t/log" | tail -n 1 | sed -n 's/.*cov: \([0-9]*\).*/\1/p')
  found=$(find "$work/$t/artifacts" -type f | wc -l)
  if [ "$rc" -ne 0 ] || [ "$found" -ne 0 ]; then
    status=1
    echo "run.sh: $t FAILED (exit $rc, $found reproducer(s))" >&2
    grep -E 'ERROR|invariant|SUMMARY|runtime error|==[0-9]+==|^    #[0-9]' "$work/$t/log" | head -n 60 >&2 || true
    mkdir -p "$out"
    for f in "$work/$t/artifacts"/*; do
      [ -f "$f" ] || continue
      cp "$f" "$out/$t-$(basename "$f")"
      echo "run.sh: reproducer saved: $out/$t-$(basename "$f")" >&2
    done
    cp "$work/$t/log" "$out/$t.log"
    summary="$summary$t: FAILED after ${execs:-?} executions\n"
  else
    summary="$summary$t: ${execs:-?} executions in ${secs}s (cov ${cov:-?})\n"
  fi
done

printf '%b' "== summary\n$summary"
exit $status
