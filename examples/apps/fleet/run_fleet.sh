#!/usr/bin/env bash
# run_fleet.sh — a campaign through a fleet: its own redis-server on a free
# loopback port, a desk service, 3 workers and the dialer; one worker is
# killed (SIGKILL) mid-run; then the campaign's funnel.
#
#   examples/apps/fleet/run_fleet.sh [OPTION...]
#
#   --calls N            calls in the campaign (10000)
#   --seed N             the campaign's seed (1)
#   --script FILE        the call script (examples/scripts/invitation.zh-CN.yaml),
#                        with its personas from examples/personas/
#   --workers N          worker processes (3)
#   --kill-at N          kill worker 2 once N calls have ended (calls/3); 0: no kill
#   --crash-after N      instead, worker 2 kills itself mid-turn after N turns
#   --duplicate-every K  the dialer publishes every K-th event twice
#   --stale-worker FILE  one more worker, with only the script FILE loaded (a
#                        worker of another deployment): it never sees the
#                        campaign's calls
#   --agents N           people at the desk (20); fewer make escalations wait
# Faults (each once N calls have ended; each checks what it promises):
#   --kill-desk-at N     kill the desk (SIGKILL) while escalations wait for a
#                        person, start it again: all are taken up, none twice
#   --poison-at N        overwrite the snapshots of calls in flight (garbage,
#                        and one cut short) until one is dead-lettered: it
#                        ends once as failed (restore_failed), the rest go on
#   --kill-dialer-at N   kill the dialer (SIGKILL), start it again: it resumes
#   --restart-redis-at N stop redis-server and start it again: with --aof it
#                        keeps the campaign, and the fleet reconnects and goes
#                        on; without, the dialer must stop and say the
#                        campaign is gone
#   --redis-crash        --restart-redis-at kills it (SIGKILL) instead: with
#                        --aof (appendfsync everysec) the last second of
#                        writes may be lost, and the fleet still goes on
#   --stop-redis-at N    stop redis-server for good: every process must give
#                        up after --redis-retry-s (2 here) and say so
#   --aof                run redis-server with appendonly yes
#   --check              also run the campaign in one process and check that every
#                        call ended exactly once with the same CallResult
#   --fleet PATH         the patter_fleet program (build/examples/apps/fleet/patter_fleet)
#   --quiet              no funnel
#   any other option goes to the dialer (e.g. --window 200)
#
# Needs redis-server and redis-cli (Debian: apt-get install redis-server).
# Exits 77 (a skip for ctest) when they are missing. Everything it starts,
# redis-server included, is stopped when it ends, also on failure.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)
fleet=$root/build/examples/apps/fleet/patter_fleet
calls=10000 seed=1 workers=3 kill_at= crash_after=0 check=0 funnel=1 stale=
agents=20 kill_desk_at=0 poison_at=0 kill_dialer_at=0 restart_redis_at=0 stop_redis_at=0 aof=0 redis_signal=TERM
dialer_args=()
script_args=()
while (($#)); do
  case $1 in
    --calls) calls=$2; shift ;;
    --seed) seed=$2; shift ;;
    --script) script_args=(--script "$2"); shift ;;
    --workers) workers=$2; shift ;;
    --kill-at) kill_at=$2; shift ;;
    --crash-after) crash_after=$2; shift ;;
    --duplicate-every) dialer_args+=(--duplicate-every "$2"); shift ;;
    --stale-worker) stale=$2; shift ;;
    --agents) agents=$2; shift ;;
    --kill-desk-at) kill_desk_at=$2; shift ;;
    --poison-at) poison_at=$2; shift ;;
    --kill-dialer-at) kill_dialer_at=$2; shift ;;
    --restart-redis-at) restart_redis_at=$2; shift ;;
    --stop-redis-at) stop_redis_at=$2; shift ;;
    --redis-crash) redis_signal=KILL ;;
    --aof) aof=1 ;;
    --check) check=1 ;;
    --fleet) fleet=$2; shift ;;
    --quiet) funnel=0 ;;
    -h | --help) sed -n '2,45p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) dialer_args+=("$1") ;;
  esac
  shift
done
[[ -z $kill_at ]] && kill_at=$((calls / 3))
((crash_after > 0)) && kill_at=0
# One fault at a time: the worker kill is left out when another is asked for.
((kill_desk_at + poison_at + kill_dialer_at + restart_redis_at + stop_redis_at > 0)) && kill_at=0

say() { printf '==> %s\n' "$*"; }

for tool in redis-server redis-cli; do
  if ! command -v $tool >/dev/null; then
    echo "run_fleet: $tool not found; install it (Debian: apt-get install redis-server)" >&2
    exit 77
  fi
done
if [[ ! -x $fleet ]]; then
  echo "run_fleet: no patter_fleet at $fleet; build it (needs libhiredis-dev):" >&2
  echo "  cmake -S $root -B $root/build -DPATTER_BUILD_EXAMPLES=ON && cmake --build $root/build --target patter_fleet" >&2
  echo "  (or run everything with: ./run.sh fleet)" >&2
  exit 2
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/patter-fleet.XXXXXX")
pids=()
redis_pid=
cleanup() {
  local status=$?
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  if [[ -n $redis_pid ]]; then
    kill "$redis_pid" 2>/dev/null || true
    wait "$redis_pid" 2>/dev/null || true
  fi
  if ((status != 0)) && [[ -d $work ]]; then
    for f in "$work"/*.log; do [[ -f $f ]] && { echo "--- $(basename "$f")"; tail -n 20 "$f"; }; done >&2
  fi
  rm -rf "$work"
  exit $status
}
trap cleanup EXIT
trap 'exit 130' INT TERM

persistence=(--appendonly no)
((aof)) && persistence=(--appendonly yes --appendfsync everysec --dir "$work")

# redis-server on port $1; true once it answers.
start_redis() {
  redis-server --bind 127.0.0.1 --port "$1" --save "" "${persistence[@]}" --daemonize no \
    --logfile "$work/redis.log" &
  redis_pid=$!
  for _ in $(seq 100); do
    redis-cli -h 127.0.0.1 -p "$1" ping 2>/dev/null | grep -q PONG && return 0
    kill -0 "$redis_pid" 2>/dev/null || break  # it could not bind that port
    sleep 0.1
  done
  kill "$redis_pid" 2>/dev/null || true
  wait "$redis_pid" 2>/dev/null || true
  redis_pid=
  return 1
}

# A free loopback port: try random ones until redis-server keeps one.
port=
for _ in $(seq 20); do
  p=$((20000 + RANDOM % 40000))
  if start_redis "$p"; then port=$p; break; fi
done
if [[ -z $port ]]; then
  echo "run_fleet: could not start redis-server on 127.0.0.1 (see its log below)" >&2
  cat "$work/redis.log" >&2 || true
  exit 1
fi
redis=127.0.0.1:$port
cli() { redis-cli -h 127.0.0.1 -p "$port" "$@"; }
say "redis-server on $redis"

common=(--redis "$redis" --seed "$seed" "${script_args[@]}")
((stop_redis_at > 0)) && common+=(--redis-retry-s 2)
if ((check)); then
  say "the campaign in one process (the reference): $calls calls, seed $seed"
  "$fleet" in-process "${common[@]}" --calls "$calls" --no-funnel --results "$work/reference.tsv"
fi

"$fleet" desk "${common[@]}" --agents "$agents" 2>"$work/desk.log" &
desk=$!
pids+=($desk)
declare -A worker_pid
for ((i = 1; i <= workers; ++i)); do
  extra=()
  ((i == 2 && crash_after > 0)) && extra=(--crash-after "$crash_after")
  "$fleet" worker "${common[@]}" --name "worker$i" "${extra[@]}" 2>"$work/worker$i.log" &
  worker_pid[$i]=$!
  pids+=($!)
done
if [[ -n $stale ]]; then
  "$fleet" worker "${common[@]}" --name stale --script "$stale" 2>"$work/stale.log" &
  pids+=($!)
  stale_pid=$!
fi
say "a desk service and $workers workers${stale:+ (and one with only $(basename "$stale"))}; the dialer places $calls calls"
funnel_arg=()
((funnel)) || funnel_arg=(--no-funnel)
start_dialer() {
  "$fleet" dialer "${common[@]}" --calls "$calls" --stall-s 30 "${funnel_arg[@]}" "${dialer_args[@]}" \
    >"$work/dialer.out" 2>>"$work/dialer.log" &
  dialer=$!
  pids+=($dialer)
}
start_dialer
ended() { cli xlen patter:fleet:results 2>/dev/null || echo 0; }
# Wait until $1 calls have ended (false if the dialer is done first).
wait_ended() {
  while kill -0 "$dialer" 2>/dev/null; do
    (($(ended) >= $1)) && return 0
    sleep 0.02
  done
  echo "run_fleet: the campaign ended before $1 calls had; use a larger --calls" >&2
  return 1
}

# Kill worker 2 mid-run: once kill_at calls have ended, at a moment it holds
# events it has read but not committed (turns in hand). It is frozen
# (SIGSTOP) to look at what it holds, so the count is exact; if it holds
# nothing at that instant it runs on and is tried again a moment later.
if ((kill_at > 0 && workers >= 2)); then
  while kill -0 "$dialer" 2>/dev/null && (($(cli xlen patter:fleet:results) < kill_at)); do sleep 0.02; done
  events=patter:fleet:events:$(cli hget patter:fleet:campaign script)
  held=0
  for _ in $(seq 200); do
    kill -0 "$dialer" 2>/dev/null || break
    kill -STOP "${worker_pid[2]}"
    sleep 0.01  # what it had sent before the stop reaches Redis
    held=$(($(cli xpending "$events" workers - + 1000 worker2 | wc -l) / 4))
    ((held > 0)) && break
    kill -CONT "${worker_pid[2]}"
    sleep 0.003
  done
  if ((held == 0)); then
    echo "run_fleet: could not catch worker2 with turns in hand before the campaign ended; use a larger --calls" >&2
    exit 1
  fi
  kill -KILL "${worker_pid[2]}"
  wait "${worker_pid[2]}" 2>/dev/null || true
  ended=$(cli xlen patter:fleet:results)
  say "killed worker2 (SIGKILL) after $ended calls had ended, holding $held turns it had read but not committed"
fi

if ((kill_desk_at > 0)); then
  wait_ended "$kill_desk_at"
  # Killed while escalations wait for a person (more pending than taken).
  waiting=0
  for _ in $(seq 500); do
    pending=$(cli xpending patter:fleet:escalations desk 2>/dev/null | head -n 1)
    [[ $pending =~ ^[0-9]+$ ]] || { sleep 0.2; break; }  # a desk without the group
    waiting=$((pending - $(cli hlen patter:fleet:desk:taken)))
    ((waiting > 0)) && break
    sleep 0.01
  done
  kill -KILL "$desk"
  wait "$desk" 2>/dev/null || true
  say "killed the desk (SIGKILL) after $(ended) calls had ended, with $waiting escalations waiting for a person"
  sleep 1
  "$fleet" desk "${common[@]}" --agents "$agents" 2>"$work/desk2.log" &
  desk=$!
  pids+=($desk)
fi
if ((poison_at > 0)); then
  wait_ended "$poison_at"
  # Calls in flight with a snapshot; the first gets garbage, the others a
  # snapshot cut short. A worker may write over one it had just read: go on
  # until one is dead-lettered.
  poison='local n, out = 0, {}
for id = tonumber(ARGV[1]), tonumber(ARGV[2]) do
  local key = KEYS[1] .. id
  local snap = redis.call("HGET", key, "snap")
  if snap and n < 3 then
    if n == 0 then snap = "not a snapshot" else snap = string.sub(snap, 1, 20) end
    redis.call("HSET", key, "snap", snap)
    n = n + 1
    out[n] = id
  end
end
return out'
  poisoned=
  for _ in $(seq 100); do
    from=$(($(ended) + 1))
    poisoned+=" $(cli eval "$poison" 1 patter:fleet:call: "$from" "$((from + 2000))" | xargs)"
    sleep 0.2
    (($(cli xlen patter:fleet:dead) > 0)) && break
    kill -0 "$dialer" 2>/dev/null || break
  done
  poisoned=$(echo $poisoned)
  say "overwrote the snapshots of calls $poisoned; $(cli xlen patter:fleet:dead) dead-lettered so far"
fi
if ((kill_dialer_at > 0)); then
  wait_ended "$kill_dialer_at"
  kill -KILL "$dialer"
  wait "$dialer" 2>/dev/null || true
  say "killed the dialer (SIGKILL) after $(ended) calls had ended; starting it again"
  # Another campaign under the same prefix is refused, not mixed in.
  if out=$("$fleet" dialer --redis "$redis" "${script_args[@]}" --calls "$calls" --seed $((seed + 1)) 2>&1) ||
    ! grep -q "was started with --seed $seed" <<<"$out"; then
    echo "run_fleet: FAILED: a dialer with another --seed must be refused:" >&2
    echo "$out" >&2
    exit 1
  fi
  start_dialer
fi
if ((restart_redis_at > 0)); then
  wait_ended "$restart_redis_at"
  n=$(ended)
  kill -$redis_signal "$redis_pid"
  wait "$redis_pid" 2>/dev/null || true
  if [[ $redis_signal == KILL ]]; then
    say "killed redis-server (SIGKILL) after $n calls had ended"
  else
    say "stopped redis-server after $n calls had ended$( ((aof)) && echo ' (it writes its AOF)')"
  fi
  sleep 1
  start_redis "$port" || { echo "run_fleet: could not start redis-server again on $port" >&2; exit 1; }
  say "redis-server started again on $redis"
fi

if ((stop_redis_at > 0)); then
  wait_ended "$stop_redis_at"
  kill -TERM "$redis_pid"
  wait "$redis_pid" 2>/dev/null || true
  redis_pid=
  say "stopped redis-server for good"
  failed=0
  for p in "${pids[@]}"; do
    if wait "$p"; then failed=1; fi  # each must give up, with status 1
  done
  pids=()
  for f in "$work"/dialer.log "$work"/desk.log "$work"/worker*.log; do
    grep -q "gave up on Redis at $redis after retrying for 2 s" "$f" || { failed=1; echo "--- $f"; cat "$f"; }
  done >&2
  if ((failed)); then echo "run_fleet: FAILED: every process must give up on a Redis gone for good" >&2; exit 1; fi
  echo "check: with Redis gone for good, the dialer, the desk and the workers gave up after 2 s and said so"
  exit 0
fi
if ((restart_redis_at > 0 && !aof)); then
  if wait "$dialer" || ! grep -q "is gone from $redis" "$work/dialer.log"; then
    echo "run_fleet: FAILED: without AOF the dialer must stop and say the campaign is gone:" >&2
    cat "$work/dialer.log" >&2
    exit 1
  fi
  echo "check: Redis restarted without persistence: $(grep -o "the campaign .* is gone from [^ ]*" "$work/dialer.log"), and the dialer stopped saying so"
  exit 0
fi

status=0
wait "$dialer" || status=$?
if ((status != 0)); then
  echo "run_fleet: the dialer failed:" >&2
  cat "$work/dialer.log" >&2
  cat "$work/dialer.out"
  exit $status
fi
# The workers and the desk stop by themselves once the dialer is done.
for ((i = 1; i <= workers; ++i)); do wait "${worker_pid[$i]}" 2>/dev/null || true; done
wait "$desk" || true
[[ -n $stale ]] && { wait "$stale_pid" || true; }
pids=()
cat "$work/dialer.out"
echo
for ((i = 1; i <= workers; ++i)); do
  line=$(grep -E "turns applied|crashing|^worker$i: (lost|cannot)" "$work/worker$i.log" | tail -n 1 || true)
  [[ -z $line ]] && line="worker$i: killed, no summary"
  echo "$line"
done
[[ -n $stale ]] && grep -E "turns applied" "$work/stale.log"
grep -hE "escalations" "$work"/desk*.log || true

# What each fault promises, beyond the check below.
if ((kill_desk_at > 0)); then
  grep -q "escalations were pending" "$work/desk2.log" || {
    echo "run_fleet: FAILED: the restarted desk took up no pending escalation" >&2
    exit 1
  }
  echo "check: the restarted desk: $(grep -h "escalations were pending" "$work/desk2.log" | sed 's/^desk: //')"
fi
if ((poison_at > 0)); then
  dead=$(cli xlen patter:fleet:dead)
  reported=$(sed -n 's/^calls failed.*: \([0-9]*\)$/\1/p' "$work/dialer.out")
  if ((dead == 0)) || [[ $reported != "$dead" ]]; then
    echo "run_fleet: FAILED: $dead dead letters, the dialer reported ${reported:-no} failed calls" >&2
    exit 1
  fi
  echo "check: $dead calls with a snapshot that would not restore ended as failed (restore_failed), in patter:fleet:dead; the dialer counted them"
fi
if ((kill_dialer_at > 0)); then
  grep -q "resumed:" "$work/dialer.log" || { echo "run_fleet: FAILED: the dialer did not resume" >&2; exit 1; }
  echo "check: the restarted $(grep -h "^dialer: resumed:" "$work/dialer.log" | sed 's/^dialer: //')"
fi
if ((restart_redis_at > 0)); then
  grep -hq "connected again" "$work"/*.log || { echo "run_fleet: FAILED: nothing reconnected to Redis" >&2; exit 1; }
  echo "check: $(grep -l "connected again" "$work"/*.log | wc -l) processes reconnected to the restarted Redis"
fi

if ((check)); then
  echo
  "$fleet" check --redis "$redis" --calls "$calls" --reference "$work/reference.tsv"
  # The dead worker's turns in hand were taken over by the others.
  taken=0
  for ((i = 1; i <= workers; ++i)); do
    n=$(sed -n 's/.* turns applied, \([0-9]*\) taken over.*/\1/p' "$work/worker$i.log")
    taken=$((taken + ${n:-0}))
  done
  if ((kill_at > 0 && workers >= 2)); then
    want=$held
  elif ((crash_after > 0 && workers >= 2)); then
    grep -q "crashing mid-turn" "$work/worker2.log" || {
      echo "run_fleet: worker2 never reached its crash (--crash-after $crash_after): use a smaller value" >&2
      exit 1
    }
    want=1
  else
    want=0
  fi
  if ((taken < want)); then
    echo "run_fleet: FAILED: the dead worker held $want turns, the others took over only $taken" >&2
    exit 1
  fi
  ((want > 0)) && echo "check: the dead worker's turns were taken over by the others ($taken events claimed)"
  if [[ -n $stale ]]; then
    if ! grep -q "^stale: 0 turns applied, 0 taken over" "$work/stale.log"; then
      echo "run_fleet: FAILED: the worker without the campaign's script must never see its events" >&2
      cat "$work/stale.log" >&2
      exit 1
    fi
    echo "check: the worker without the campaign's script saw none of its events"
  fi
fi
