#!/usr/bin/env bash
# tests/fuzz/run.sh — build the libFuzzer targets with clang and run them.
#
#   tests/fuzz/run.sh [SECONDS] [TARGET...]
#
# TARGETs: loader, matcher, session, snapshot (default: all four, one after
# the other, SECONDS each, default 60). Builds in build-asan, the build
# `./run.sh sanitize` runs the tests in (configured by cmake/asan-fuzz.cmake
# when it is not yet: clang, PATTER_FUZZ=ON; then with the fuzzers alone),
# replays the crash inputs kept in tests/fuzz/regressions/TARGET/, then
# fuzzes from a scratch corpus in build-asan/fuzz/corpus/TARGET plus fresh
# seeds (the bundled scripts and intent libraries, the fixtures,
# tests/fuzz/seeds/TARGET and what patter_fuzz_make_seeds draws from the
# scripts). Crash inputs land in build-asan/fuzz/artifacts/TARGET/. Prints
# each target's executions, exec/s and coverage, and exits non-zero if any
# target crashed.
#
# Environment: PATTER_FUZZ_BUILD_DIR (default build-asan), PATTER_JOBS
# (build jobs, default 2), PATTER_FUZZ_PARALLEL (targets run at a time,
# default 1), PATTER_FUZZ_CXX (default clang++), PATTER_FUZZ_ARGS (more
# libFuzzer flags).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
build=${PATTER_FUZZ_BUILD_DIR:-$root/build-asan}
jobs=${PATTER_JOBS:-2}
parallel=${PATTER_FUZZ_PARALLEL:-1}
all_targets=(loader matcher session snapshot)

# Stamped like run.sh's steps: minutes and seconds since PATTER_T0.
PATTER_T0=${PATTER_T0:-$EPOCHSECONDS}
log() {
  local t=$((EPOCHSECONDS - PATTER_T0))
  printf '==> [%d:%02d] %s\n' $((t / 60)) $((t % 60)) "$*" >&2
}

seconds=60
if [[ ${1:-} =~ ^[0-9]+$ ]]; then
  seconds=$1
  shift
fi
targets=("$@")
((${#targets[@]} > 0)) || targets=("${all_targets[@]}")
for t in "${targets[@]}"; do
  [[ " ${all_targets[*]} " == *" $t "* ]] || {
    log "unknown target '$t' (known: ${all_targets[*]})"
    exit 2
  }
done

# ---- build ----------------------------------------------------------------------
cxx=${PATTER_FUZZ_CXX:-clang++}
if ! grep -qs '^PATTER_FUZZ:BOOL=ON' "$build/CMakeCache.txt" || ! grep -qs '^CMAKE_CXX_COMPILER:.*clang' \
  "$build/CMakeCache.txt" || [[ ! -f $build/build.ninja ]]; then
  # Configured otherwise (another compiler, no fuzzing): CMake would keep
  # the old settings, or drop ours when switching compilers.
  if [[ -f $build/CMakeCache.txt ]]; then
    log "$build was configured otherwise: starting its configuration afresh"
    rm -rf "$build/CMakeCache.txt" "$build/CMakeFiles"
  fi
  log "configuring $build with $cxx (cmake/asan-fuzz.cmake, the fuzzers alone)"
  cmake -C "$root/cmake/asan-fuzz.cmake" -S "$root" -B "$build" -G Ninja -DCMAKE_CXX_COMPILER="$cxx" \
    -DPATTER_BUILD_TESTS=OFF -DPATTER_BUILD_TOOLS=OFF -DPATTER_BUILD_EXAMPLES=OFF >/dev/null
fi
log "building the fuzzers with $jobs jobs"
cmake --build "$build" --target patter_fuzzers -j "$jobs"

# ---- seeds ----------------------------------------------------------------------
work=$build/fuzz
rm -rf "$work/seeds"
mkdir -p "$work/seeds"
"$build/tests/fuzz/patter_fuzz_make_seeds" "$work/seeds" >&2
mkdir -p "$work/seeds/loader"
cp "$root"/examples/scripts/*.yaml "$root"/examples/intents/*.yaml "$work/seeds/loader/"
find "$root/tests/fixtures" -maxdepth 1 -type f -name '*.yaml' -exec cp {} "$work/seeds/loader/" \;
for t in "${all_targets[@]}"; do
  mkdir -p "$work/seeds/$t"
  if [[ -d $here/seeds/$t ]]; then cp "$here/seeds/$t"/* "$work/seeds/$t/" 2>/dev/null || true; fi
done

# ---- run --------------------------------------------------------------------------
flags_for() {
  case $1 in
    loader) echo "-dict=$here/script.dict" ;;
    matcher) echo "-max_len=4400" ;;  # past Normalizer::kMaxBytes, to reach the truncation
    *) echo "" ;;
  esac
}

# Replays the kept crash inputs, then fuzzes. The log is $work/TARGET.log.
run_target() {
  local t=$1 bin=$build/tests/fuzz/patter_fuzz_$1
  local logf=$work/$t.log
  mkdir -p "$work/corpus/$t" "$work/artifacts/$t"
  : >"$logf"
  local kept=()
  if [[ -d $here/regressions/$t ]]; then
    while IFS= read -r -d '' f; do kept+=("$f"); done < <(find "$here/regressions/$t" -type f -print0 | sort -z)
  fi
  if ((${#kept[@]} > 0)); then
    if ! "$bin" -rss_limit_mb=2048 -timeout=10 "${kept[@]}" >>"$logf" 2>&1; then
      echo "REGRESSION" >>"$logf"
      return 1
    fi
  fi
  # shellcheck disable=SC2046,SC2086
  "$bin" -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 -print_final_stats=1 \
    -artifact_prefix="$work/artifacts/$t/" $(flags_for "$t") ${PATTER_FUZZ_ARGS:-} \
    "$work/corpus/$t" "$work/seeds/$t" >>"$logf" 2>&1
}

log "fuzzing ${targets[*]} for ${seconds}s each, $parallel at a time"
touch "$work/started"  # crash inputs newer than this are this run's
declare -A status
pids=()
names=()
start=$SECONDS
for t in "${targets[@]}"; do
  log "$t"
  run_target "$t" &
  pids+=($!)
  names+=("$t")
  if ((${#pids[@]} >= parallel)); then
    for i in "${!pids[@]}"; do
      if wait "${pids[$i]}"; then status[${names[$i]}]=ok; else status[${names[$i]}]=CRASH; fi
    done
    pids=()
    names=()
  fi
done
for i in "${!pids[@]}"; do
  if wait "${pids[$i]}"; then status[${names[$i]}]=ok; else status[${names[$i]}]=CRASH; fi
done

# ---- report -----------------------------------------------------------------------
failed=0
printf '\n%-9s %-7s %12s %8s %7s %8s  %s\n' target result executions exec/s cov ft "log / crash inputs"
for t in "${targets[@]}"; do
  logf=$work/$t.log
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$logf" | tail -1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$logf" | tail -1)
  last=$(grep -E '^#[0-9]+' "$logf" | tail -1 || true)
  cov=$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<<"$last")
  ft=$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' <<<"$last")
  [[ -n $runs ]] || runs=$(sed -n 's/^#\([0-9]*\).*/\1/p' <<<"$last")
  where=$logf
  if [[ ${status[$t]} != ok ]]; then
    failed=1
    grep -q '^REGRESSION' "$logf" && where="$logf (a kept regression input fails again)"
    while IFS= read -r f; do where="$where $f"; done < <(find "$work/artifacts/$t" -type f -newer "$work/started")
  fi
  printf '%-9s %-7s %12s %8s %7s %8s  %s\n' "$t" "${status[$t]}" "${runs:--}" "${rate:--}" "${cov:--}" \
    "${ft:--}" "$where"
done
log "done in $((SECONDS - start))s of fuzzing"
exit $failed
