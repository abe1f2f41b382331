#!/bin/bash
# Timers side by side (bench/README.md, "Timers"): slot -> task's process running for
# Upshot's `every 1s` (FIRES fires) and, on the same minute boundaries, Upshot's
# `cron "* * * * *"` against Debian's cron running the same command; then JOBS timer jobs
# loaded in a fresh daemon: RSS and idle CPU over IDLE_SECONDS.
#
#   bench/timer.sh [FIRES=200] [JOBS=10000] [IDLE_SECONDS=60] [HEAP=128m]
#
# HEAP is the second daemon's -Xmx: 10,000 timer jobs do not fit etc/jvm.options' 64m.
# Needs root (Debian's cron reads /etc/cron.d) and cron (apt-get install -y cron); a cron
# daemon already running is used as it is, else one is started and stopped by its pid.
# Build first: mvn -o -B -q package -DskipTests. TIMER_BENCH_KEEP=1 keeps the work directory.
set -euo pipefail
cd "$(dirname "$0")/.."
fires=${1:-200}
jobs=${2:-10000}
idle_seconds=${3:-60}
heap=${4:-128m}
dist=$PWD/distro/target/upshot-0.1.0
classes=$PWD/bench/target/classes

[ "$(id -u)" -eq 0 ] || { echo "timer.sh: needs root (/etc/cron.d)" >&2; exit 2; }
cron=$(command -v cron || true)
[ -n "$cron" ] || { echo "timer.sh: needs Debian's cron: apt-get install -y cron" >&2; exit 2; }
[ -x "$dist/bin/upshot" ] && [ -f "$classes/org/upshot/bench/TimerBench.class" ] ||
    { echo "timer.sh: build first: mvn -o -B -q package -DskipTests" >&2; exit 2; }

work=$(mktemp -d /tmp/upshot-timer-bench.XXXXXX)
crontab=/etc/cron.d/upshot-timer-bench
started=()   # pids of the processes this script started
cleanup() {
    local pid
    rm -f "$crontab"
    for pid in "${started[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
    for pid in "${started[@]}"; do wait "$pid" 2>/dev/null || true; done
    if [ -n "${TIMER_BENCH_KEEP:-}" ]; then echo "kept: $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT

bench() { java -XX:+UseSerialGC -cp "$classes" org.upshot.bench.TimerBench "$@"; }
load() { cut -d' ' -f1-3 /proc/loadavg; }
# Starts a session daemon over $work/$1 (JVM options $2); sets $daemon to its pid.
boot() {
    mkdir -p "$work/$1/conf" "$work/$1/run" "$work/$1/log"
    UPSHOT_JAVA_OPTS="${2:-}" XDG_STATE_HOME="$work/$1/state" "$dist/bin/upshot" --session --confdir "$work/$1/conf" \
        --runtime-dir "$work/$1/run" --log-dir "$work/$1/log" </dev/null > "$work/$1/daemon.log" 2>&1 &
    daemon=$!
    started+=("$daemon")
}
initctl() { UPSHOT_SOCKET="$work/$1/run/control.sock" "$dist/bin/initctl" "${@:2}"; }

# The command every contender runs: the run's clock first, then LABEL SLOT RUN_NANOS, where
# the slot is Upshot's TIME or, for cron, the minute the run falls in.
out=$work/fires
cat > "$work/stamp.sh" <<EOF2
#!/bin/sh
now=\$(date +%s%N)
echo "\$1 \${TIME:-\$((now / 60000000000 * 60))} \$now" >> $out
EOF2

echo "# timers, $(date -u '+%F %H:%M UTC'), $(nproc) vCPUs, load average $(load)"
echo "# $(java -version 2>&1 | head -1); cron $(dpkg-query -W -f '${Version}' cron 2>/dev/null || echo '?')"
echo

# ---- 1. firing accuracy ------------------------------------------------------------------
boot accuracy
printf 'every 1s\ntask\nconsole none\nexec /bin/sh %s upshot:every-1s\n' "$work/stamp.sh" \
    > "$work/accuracy/conf/every.conf"
printf 'cron "* * * * *"\ntask\nconsole none\nexec /bin/sh %s upshot:cron-minute\n' "$work/stamp.sh" \
    > "$work/accuracy/conf/minute.conf"
echo "* * * * * root /bin/sh $work/stamp.sh debian-cron:minute" > "$crontab"
chmod 644 "$crontab"
if ! pidof cron > /dev/null; then
    "$cron" -f </dev/null > "$work/cron.log" 2>&1 &
    started+=("$!")
fi
count() { local n; n=$(grep -c "^$1 " "$out" 2>/dev/null || true); echo "${n:-0}"; }
for ((i = 0; i < fires + 60; i++)); do
    [ "$(count upshot:every-1s)" -ge "$fires" ] && break
    sleep 1
done
# and at least three minute boundaries for both schedulers
for ((i = 0; i < 200; i++)); do
    [ "$(count debian-cron:minute)" -ge 3 ] && [ "$(count upshot:cron-minute)" -ge 3 ] && break
    sleep 1
done
kill -TERM "$daemon"
wait "$daemon" 2>/dev/null || true
rm -f "$crontab"
echo "1. slot -> the task's first command running"
bench latency "$out"
echo "load average: $(load)"
echo

# ---- 2. many timer jobs, idle --------------------------------------------------------------
boot many "-Xmx$heap"
for ((i = 1; i <= jobs; i++)); do
    if ((i % 2)); then
        printf 'every %dh\ntask\nexec true\n' $((1 + i % 24))
    else
        printf 'cron "%d %d 1 1 *"\ntask\nexec true\n' $((i % 60)) $((i % 24))
    fi > "$work/many/conf/job-$i.conf"
done
booted=$(date +%s%N)
for ((i = 0; i < 300; i++)); do
    initctl many status "job-$jobs" 2>/dev/null | grep -q "timer " && break
    sleep 1
done
echo "2. $jobs timer jobs (half every Nh, half a yearly crontab line), -Xmx$heap: every timer made" \
    "$(( ($(date +%s%N) - booted) / 1000000 )) ms after the daemon started (polled each second)"
bench idle "$daemon" "$idle_seconds"
echo "live heap after a full GC: $(jcmd "$daemon" GC.class_histogram | tail -1 | awk '{ printf "%.1f MiB", $3 / 1048576 }')"
echo "load average: $(load)"
