#!/usr/bin/env bash
# fleet_bench.sh — turns per second and per-turn latency of a campaign whose
# calls go through Redis, with 1, 2 and 3 stateless workers, next to the same
# campaign in one process; all in one run, on one machine.
#
#   bench/fleet_bench.sh [PATTER_FLEET] [CALLS]
#
# PATTER_FLEET defaults to build/examples/fleet/patter_fleet (a Release
# build; needs libhiredis-dev), CALLS to 20000. Needs redis-server (Debian:
# apt-get install redis-server); starts its own on a free 127.0.0.1 port
# and stops it at the end.
#
# For each worker count: a saturated run (1,000 calls in flight: the
# throughput, and the latency queueing adds) and a light run (one call at a
# time, 1,000 calls: the round trip alone). CPU per turn is each process's
# own CPU time (Redis's from INFO cpu) divided by the turns.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
fleet=${1:-$root/build/examples/fleet/patter_fleet}
calls=${2:-20000}
light_calls=1000

if [[ ! -x $fleet ]]; then
  echo "fleet_bench: no patter_fleet at $fleet; build it: cmake --build build --target patter_fleet" >&2
  exit 2
fi
for tool in redis-server redis-cli; do
  command -v $tool >/dev/null || { echo "fleet_bench: $tool not found (apt-get install redis-server)" >&2; exit 2; }
done

work=$(mktemp -d "${TMPDIR:-/tmp}/patter-fleet-bench.XXXXXX")
redis_pid=
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  [[ -n $redis_pid ]] && { kill "$redis_pid" 2>/dev/null || true; wait "$redis_pid" 2>/dev/null || true; }
  rm -rf "$work"
}
trap cleanup EXIT

port=
for _ in $(seq 20); do
  p=$((20000 + RANDOM % 40000))
  redis-server --bind 127.0.0.1 --port "$p" --save "" --appendonly no --logfile "$work/redis.log" &
  redis_pid=$!
  for _ in $(seq 50); do
    redis-cli -p "$p" ping >/dev/null 2>&1 && { port=$p; break; }
    kill -0 "$redis_pid" 2>/dev/null || break
    sleep 0.1
  done
  [[ -n $port ]] && break
  redis_pid=
done
[[ -n $port ]] || { echo "fleet_bench: could not start redis-server" >&2; exit 1; }
cli() { redis-cli -p "$port" "$@"; }
redis_cpu() { cli info cpu | awk -F: '/used_cpu_(user|sys):/ { s += $2 } END { printf "%.3f", s }'; }

# "... 39121 turns in 1.78 s: 21864 turns/s" and "median 38.22 ms, p99 114.90 ms"
rate() { sed -n 's/.* turns in .* s: \([0-9]*\) turns\/s/\1/p' "$1" | head -n 1; }
turns() { sed -n 's/.*calls, \([0-9]*\) turns in .*/\1/p' "$1" | head -n 1; }
median() { sed -n 's/.*median \([0-9.]*\) ms.*/\1/p' "$1" | head -n 1; }
p99() { sed -n 's/.*p99 \([0-9.]*\) ms.*/\1/p' "$1" | head -n 1; }
us_per_turn() { awk -v s="$1" -v t="$2" 'BEGIN { printf "%.1f", s * 1e6 / t }'; }

echo "load before: $(uptime | sed 's/.*load average/load average/')"
rows=()

for mode in live snapshots; do
  extra=()
  label="in-process"
  [[ $mode == snapshots ]] && extra=(--snapshots) && label="in-process, snapshot bytes between turns"
  "$fleet" in-process --calls "$calls" --window 1000 --no-funnel "${extra[@]}" >"$work/in.out"
  rows+=("| $label | - | $(rate "$work/in.out") | $(median "$work/in.out") ms | $(p99 "$work/in.out") ms | - | - | - |")
done

run=0
for workers in 1 2 3; do
  for load in saturated light; do
    run=$((run + 1))
    prefix=bench$run
    n=$calls window=1000
    [[ $load == light ]] && n=$light_calls window=1
    before=$(redis_cpu)
    "$fleet" desk --redis "127.0.0.1:$port" --prefix "$prefix" 2>"$work/desk.log" &
    pids+=($!)
    wpids=()
    for ((i = 1; i <= workers; ++i)); do
      "$fleet" worker --redis "127.0.0.1:$port" --prefix "$prefix" --name "w$i" 2>"$work/w$i.log" &
      wpids+=($!)
      pids+=($!)
    done
    "$fleet" dialer --redis "127.0.0.1:$port" --prefix "$prefix" --calls "$n" --window "$window" --no-funnel \
      >"$work/d.out" 2>"$work/d.log"
    for p in "${wpids[@]}"; do wait "$p"; done
    wait "${pids[0]}" || true
    pids=()
    after=$(redis_cpu)
    t=$(turns "$work/d.out")
    worker_cpu=$(cat "$work"/w*.log | sed -n 's/.*; cpu \([0-9.]*\) s/\1/p' | awk '{ s += $1 } END { print s }')
    dialer_cpu=$(sed -n 's/dialer cpu: \([0-9.]*\) s/\1/p' "$work/d.out")
    redis_used=$(awk -v a="$before" -v b="$after" 'BEGIN { print b - a }')
    rows+=("| Redis, $workers worker$([[ $workers -gt 1 ]] && echo s), $load ($window in flight) | $workers | $(rate "$work/d.out") | $(median "$work/d.out") ms | $(p99 "$work/d.out") ms | $(us_per_turn "$redis_used" "$t") µs | $(us_per_turn "$worker_cpu" "$t") µs | $(us_per_turn "$dialer_cpu" "$t") µs |")
    rm -f "$work"/w*.log
    cli --scan --pattern "$prefix:*" | xargs -r -n 500 redis-cli -p "$port" del >/dev/null
  done
done

echo "load after: $(uptime | sed 's/.*load average/load average/')"
echo
echo "campaign: invitation.zh-CN, $calls calls (light runs: $light_calls), ~3.9 turns per call; $(nproc) cores"
echo
echo "| run | workers | turns/s | latency median | latency p99 | Redis CPU/turn | workers' CPU/turn | dialer CPU/turn |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|"
printf '%s\n' "${rows[@]}"
