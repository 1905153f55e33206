#!/usr/bin/env bash
# fleet_bench.sh — turns per second and per-turn latency of a campaign whose
# calls go through Redis, with 1, 2 and 3 stateless workers, next to the same
# campaign in one process; all in one run, on one machine.
#
#   bench/fleet_bench.sh [PATTER_FLEET] [CALLS] [REPS]
#
# PATTER_FLEET defaults to build/examples/apps/fleet/patter_fleet (a Release
# build; needs libhiredis-dev), CALLS to 20000, REPS to 3 (medians are
# reported). Needs redis-server (Debian:
# apt-get install redis-server); starts its own on a free 127.0.0.1 port
# and stops it at the end.
#
# For each worker count: a saturated run (1,000 calls in flight: the
# throughput, and the latency queueing adds) and a light run (one call at a
# time, 1,000 calls: the round trip alone). CPU per turn (saturated runs)
# is each process's own CPU time (Redis's from INFO cpu) over the turns.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
fleet=${1:-$root/build/examples/apps/fleet/patter_fleet}
calls=${2:-20000}
reps=${3:-3}
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

# The median of a column of numbers.
med() { sort -g | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
# Medians of each column of REPS lines "turns/s median p99 ...".
medians() {
  local f=$1 cols
  cols=$(head -n 1 "$f" | wc -w)
  for ((k = 1; k <= cols; ++k)); do printf '%s ' "$(awk -v k=$k '{ print $k }' "$f" | med)"; done
}

in_process() {  # mode -> "turns/s median p99"
  local extra=()
  [[ $1 == snapshots ]] && extra=(--snapshots)
  "$fleet" in-process --calls "$calls" --window 1000 --no-funnel "${extra[@]}" >"$work/in.out"
  echo "$(rate "$work/in.out") $(median "$work/in.out") $(p99 "$work/in.out")"
}

run=0
through_redis() {  # workers n window -> "turns/s median p99 redis-cpu worker-cpu dialer-cpu" (µs per turn)
  local workers=$1 n=$2 window=$3 prefix before after t wpids=() desk
  run=$((run + 1))
  prefix=bench$run
  before=$(redis_cpu)
  "$fleet" desk --redis "127.0.0.1:$port" --prefix "$prefix" 2>"$work/desk.log" &
  desk=$!
  pids=($desk)
  for ((i = 1; i <= workers; ++i)); do
    "$fleet" worker --redis "127.0.0.1:$port" --prefix "$prefix" --name "w$i" 2>"$work/w$i.log" &
    wpids+=($!)
    pids+=($!)
  done
  "$fleet" dialer --redis "127.0.0.1:$port" --prefix "$prefix" --calls "$n" --window "$window" --no-funnel \
    >"$work/d.out" 2>"$work/d.log"
  for p in "${wpids[@]}"; do wait "$p"; done
  wait "$desk" || true
  pids=()
  after=$(redis_cpu)
  t=$(turns "$work/d.out")
  local worker_cpu dialer_cpu
  worker_cpu=$(cat "$work"/w*.log | sed -n 's/.*; cpu \([0-9.]*\) s/\1/p' | awk '{ s += $1 } END { print s }')
  dialer_cpu=$(sed -n 's/dialer cpu: \([0-9.]*\) s/\1/p' "$work/d.out")
  echo "$(rate "$work/d.out") $(median "$work/d.out") $(p99 "$work/d.out")" \
       "$(us_per_turn "$(awk -v a="$before" -v b="$after" 'BEGIN { print b - a }')" "$t")" \
       "$(us_per_turn "$worker_cpu" "$t") $(us_per_turn "$dialer_cpu" "$t")"
  rm -f "$work"/w*.log
  cli --scan --pattern "$prefix:*" | xargs -r -n 500 redis-cli -p "$port" del >/dev/null
}

echo "load before: $(uptime | sed 's/.*load average/load average/')"
rows=()
# Interleaved repetitions: a burst of load from elsewhere hits every setup alike.
for ((r = 1; r <= reps; ++r)); do
  echo "repetition $r of $reps" >&2
  in_process live >>"$work/in-live"
  in_process snapshots >>"$work/in-snap"
  for workers in 1 2 3; do
    through_redis $workers "$calls" 1000 >>"$work/sat$workers"
    through_redis $workers "$light_calls" 1 >>"$work/light$workers"
  done
done
echo "load after: $(uptime | sed 's/.*load average/load average/')"

row() {  # label workers file [cpu]
  read -r -a m <<<"$(medians "$3")"
  if [[ ${4:-} == cpu ]]; then
    echo "| $1 | $2 | ${m[0]} | ${m[1]} ms | ${m[2]} ms | ${m[3]} µs | ${m[4]} µs | ${m[5]} µs |"
  else
    echo "| $1 | $2 | ${m[0]} | ${m[1]} ms | ${m[2]} ms | | | |"
  fi
}
echo
echo "campaign: invitation.zh-CN, $calls calls (light runs: $light_calls, one at a time); medians of $reps runs; $(nproc) cores"
echo
echo "| run | workers | turns/s | latency median | latency p99 | Redis CPU/turn | workers' CPU/turn | dialer CPU/turn |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|"
row "in-process" - "$work/in-live"
row "in-process, snapshot bytes between turns" - "$work/in-snap"
for workers in 1 2 3; do
  row "Redis, saturated (1,000 calls in flight)" $workers "$work/sat$workers" cpu
done
for workers in 1 2 3; do
  row "Redis, light (1 call in flight)" $workers "$work/light$workers"
done
