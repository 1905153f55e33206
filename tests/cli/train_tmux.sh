#!/bin/sh
# `patter train` in a real terminal: tmux runs it, types the trainee's
# commands once the screen shows what they answer, and reads the screen.
#   train_tmux.sh PATTER SCRIPT PERSONAS
# Exit 77 (skipped) without tmux.
set -eu
patter=$1 script=$2 personas=$3
command -v tmux >/dev/null 2>&1 || { echo "tmux is not installed: skipped"; exit 77; }
server="patter-train-$$"
out=$(mktemp)
trap 'tmux -L "$server" kill-server 2>/dev/null || true; rm -f "$out"' EXIT INT TERM

tmux -L "$server" -f /dev/null new-session -d -x 220 -y 60 \
  "'$patter' train '$script' --personas '$personas' --calls 2 --seed 3 --forbid 'best price'; echo \"[exit \$?]\"; sleep 60"

screen() { tmux -L "$server" capture-pane -p -J -S -2000 -t 0; }
# Waits until the screen shows PATTERN COUNT times (default once), 20 s at most.
wait_for() {
  want=${2:-1} tries=0
  while [ "$(screen | grep -c -- "$1" || true)" -lt "$want" ]; do
    tries=$((tries + 1))
    if [ $tries -gt 200 ]; then
      echo "timed out waiting for \`$1\` ($want); the screen:"; screen; exit 1
    fi
    sleep 0.1
  done
}
type_line() { tmux -L "$server" send-keys -t 0 -l -- "$1"; tmux -L "$server" send-keys -t 0 Enter; }

wait_for "/help lists the commands"
wait_for "^> "
type_line "/run"
wait_for "!! the script escalates (interested)"
type_line "/grab"
wait_for "you have the call"
type_line "We offer a free home survey, it takes 45 minutes. It is risk-free."
wait_for "^you> " 2
type_line "/finish completed"
wait_for "ended: escalated"
type_line "/quit"
wait_for "\[exit 0\]"

screen > "$out"
fail=0
for want in "took over at offer_survey; grab on_time" \
            "forbidden: \"risk-free\" in line 1" \
            "+ \[offer_survey\] It takes about 45 minutes" \
            "score [0-9.]*/100: not passed (a forbidden phrase was said)"; do
  grep -q -- "$want" "$out" || { echo "the screen does not show \`$want\`"; fail=1; }
done
[ $fail -eq 0 ] || { cat "$out"; exit 1; }
echo "ok: a training session in a terminal, assessed"
