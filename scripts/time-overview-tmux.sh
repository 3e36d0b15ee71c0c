#!/usr/bin/env bash
# Times the real binary in tmux at 80×24: start to first frame, then the first
# press of `6` to the overview's figures on screen, then `p` (the quarter).
# Polls `tmux capture-pane` every 5 ms; prints milliseconds.
#
#   scripts/time-overview-tmux.sh target/release/dangjian /tmp/big [SETTLE]
#
# SETTLE: seconds to wait after the first frame before pressing `6` (default
# 0: at once, while start-up work may still be running).
set -euo pipefail
bin=${1:?binary}
store=${2:?store directory}
settle=${3:-0}
session=dj-time-$$
now() { date +%s%N; }
screen() { tmux capture-pane -p -t "$session"; }
wait_for() { # pattern, timeout seconds
    local deadline=$(( $(now) + ${2:-60} * 1000000000 ))
    until screen | grep -q -- "$1"; do
        if (( $(now) > deadline )); then
            echo "timed out waiting for: $1" >&2
            screen >&2
            tmux kill-session -t "$session"
            exit 1
        fi
        sleep 0.005
    done
}
ms() { echo $(( ($2 - $1) / 1000000 )); }

start=$(now)
tmux new-session -d -s "$session" -x 80 -y 24 \
    "env LANG=en_US.UTF-8 NO_COLOR=1 $bin --store $store"
wait_for 'Members ›\|Organisation ›\|Overview ›'
first=$(now)
echo "start to first frame: $(ms "$start" "$first") ms"
sleep "$settle"
first=$(now)
tmux send-keys -t "$session" 6
wait_for 'Idle yr'
wait_for 'Visits overdue'
opened=$(now)
echo "first press of 6 to the overview: $(ms "$first" "$opened") ms"
tmux send-keys -t "$session" p
wait_for 'Overview · [0-9]*-Q'
quarter=$(now)
echo "p (to the quarter): $(ms "$opened" "$quarter") ms"
tmux kill-session -t "$session"
