#!/usr/bin/env bash
# simulate_bench.sh — wall time of `patter simulate` on a campaign of
# 100,000 calls of a bundled script, 20 agents × 3 robots each.
#
#   bench/simulate_bench.sh [PATTER] [RUNS]
#
# PATTER defaults to build/tools/patter/patter (a Release build), RUNS to 5.
# Prints each run's wall time, then the median. The report of the last run
# (`--json`) goes to simulate_bench.json in the current directory.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
patter=${1:-$root/build/tools/patter/patter}
runs=${2:-5}
script=$root/examples/scripts/screening.zh-CN.yaml

if [[ ! -x $patter ]]; then
  echo "simulate_bench: no patter tool at $patter; build it first (cmake --build build --target patter_cli)" >&2
  exit 2
fi

times=()
for ((i = 1; i <= runs; ++i)); do
  start=$(date +%s.%N)
  "$patter" simulate "$script" --calls 100000 --agents 20 --robots-per-agent 3 --seed "$i" --json \
    > simulate_bench.json
  end=$(date +%s.%N)
  t=$(awk -v a="$start" -v b="$end" 'BEGIN { print b - a }')
  times+=("$t")
  printf 'run %d: %.3f s\n' "$i" "$t"
done
median=$(printf '%s\n' "${times[@]}" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
printf 'median of %d runs: %.3f s (target: under 10 s)\n' "$runs" "$median"
