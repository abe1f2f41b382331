#!/bin/bash
# Re-exec under load (issue 16; bench/README.md, "Re-exec"): a session daemon with JOBS
# running jobs re-executes itself while a client emits events and another connects to a
# socket-activated job, one after another. Prints the time until the control socket
# answers again, the connections refused, and the events lost (taken by the daemon, never
# seen by the job that counts them); then the same daemon's cold start to answering, as
# the baseline: what a plain restart would cost.
#   bench/reexec.sh [JOBS=1000]
# Needs the distribution (mvn -o -B -q package -DskipTests) and python3.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
jobs=${1:-1000}
dist=$PWD/distro/target/upshot-0.1.0
[ -x "$dist/bin/upshot" ] || { echo "reexec: build first: mvn -o -B -q package -DskipTests" >&2; exit 2; }
python=$(command -v python3) || { echo "reexec: needs python3" >&2; exit 2; }

work=$(mktemp -d /tmp/upshot-reexec-bench.XXXXXX)
daemon=
cleanup() {
    if [ -n "$daemon" ]; then
        kill -TERM "$daemon" 2>/dev/null || true
        for ((i = 0; i < 600; i++)); do kill -0 "$daemon" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "$daemon" 2>/dev/null || true
    fi
    rm -rf "$work"
}
trap cleanup EXIT

mkdir -p "$work/conf"
for ((i = 0; i < jobs; i++)); do
    printf 'start on startup\nexec sleep 3000\n' > "$work/conf/svc$i.conf"
done
printf 'start on tick\ninstance $N\ntask\nexec sh -c %s\n' "'echo \$N >> $work/seen'" > "$work/conf/count.conf"
{
    echo "socket unix $work/echo.sock trigger-limit=off"
    echo "exec $python -c 'import socket; c, _ = socket.socket(fileno=3).accept(); c.sendall(b\"hi\\n\")'"
} > "$work/conf/echo.conf"

# The daemon until every job runs; sets cold_ms to the milliseconds from launch until its
# control socket answered (not in a subshell: the cleanup needs $daemon).
start_daemon() {
    rm -rf "$work/run"
    local begin=$EPOCHREALTIME
    "$dist/bin/upshot" --session --confdir "$work/conf" --runtime-dir "$work/run" --log-dir "$work/log" \
        > "$work/daemon.log" 2>&1 &
    daemon=$!
    until [ -S "$work/run/control.sock" ] && "$dist/bin/initctl" --socket "$work/run/control.sock" version \
            > /dev/null 2>&1; do
        sleep 0.05
    done
    local answered=$EPOCHREALTIME
    until [ "$("$dist/bin/initctl" --socket "$work/run/control.sock" list | grep -c '^svc.* start/running')" \
            -eq "$jobs" ]; do
        sleep 0.2
    done
    cold_ms=$(awk -v a="$begin" -v b="$answered" 'BEGIN { printf "%.0f", (b - a) * 1000 }')
}

start_daemon
result=$("$python" bench/reexec/load.py "$work/run/control.sock" "$work/echo.sock" "$work/taken")
# every taken tick is counted by its task once the queue drains
for ((i = 0; i < 300; i++)); do
    [ "$(sort -un "$work/seen" 2>/dev/null | wc -l)" -ge "$(wc -l < "$work/taken")" ] && break
    sleep 0.1
done
lost=$(comm -23 <(sort -u "$work/taken") <(sort -u "$work/seen" 2>/dev/null) | wc -l)
running=$("$dist/bin/initctl" --socket "$work/run/control.sock" list | grep -c '^svc.* start/running')
echo "$result"
echo "RESULT jobs=$jobs running_after=$running events_lost=$lost cold_start_answers_ms=$cold_ms load=\"$(load)\""
answers=$(field "$result" answers_again_ms)
printf '\n| %s jobs | re-exec: control answers again | cold start: control answers | ratio | refused (control, socket) | events lost | jobs running after |\n' "$jobs"
printf '|---|---|---|---|---|---|---|\n'
printf '| | %s ms | %s ms | %s | %s, %s | %s | %s |\n' "$answers" "$cold_ms" "$(ratio "$answers" "$cold_ms")" \
    "$(field "$result" control_refused)" "$(field "$result" echo_refused)" "$lost" "$running"
