#!/bin/bash
# initctl boot-chart and boot-time on a large boot (bench/README.md, "Boot chart"): JOBS
# services (each with a pre-start and a post-start, so every row has five phases) start on
# `startup` in a session daemon; once all run, RUNS timed calls of each command, wall time
# of the whole initctl process (JVM start included), and the SVG's size.
#
#   bench/boot-chart.sh [JOBS=1000] [RUNS=5] [HEAP=128m]
#
# Build first: mvn -o -B -q package -DskipTests. BOOT_CHART_BENCH_KEEP=1 keeps the work directory.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
jobs=${1:-1000}
runs=${2:-5}
heap=${3:-128m}
dist=$PWD/distro/target/upshot-0.1.0
[ -x "$dist/bin/upshot" ] || { echo "boot-chart.sh: build first: mvn -o -B -q package -DskipTests" >&2; exit 2; }

work=$(mktemp -d /tmp/upshot-boot-chart-bench.XXXXXX)
daemon=
cleanup() {
    if [ -n "$daemon" ]; then kill -TERM "$daemon" 2>/dev/null || true; wait "$daemon" 2>/dev/null || true; fi
    if [ -n "${BOOT_CHART_BENCH_KEEP:-}" ]; then echo "kept: $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT

mkdir -p "$work/conf"
for i in $(seq -w 1 "$jobs"); do
    printf 'start on startup\npre-start exec true\npost-start exec true\nexec sleep 3600\n' > "$work/conf/svc$i.conf"
done
UPSHOT_JAVA_OPTS="-Xmx$heap" "$dist/bin/upshot" --session --confdir "$work/conf" --runtime-dir "$work/run" \
    --log-dir "$work/log" > "$work/daemon.log" 2>&1 &
daemon=$!
export UPSHOT_SOCKET=$work/run/control.sock
initctl() { "$dist/bin/initctl" "$@"; }

deadline=$((SECONDS + 300))
until [ -S "$UPSHOT_SOCKET" ] && [ "$(initctl list 2>/dev/null | grep -c 'start/running')" -eq "$jobs" ]; do
    [ $SECONDS -lt $deadline ] || { echo "boot-chart.sh: $jobs jobs not running after 300 s" >&2; exit 1; }
    sleep 1
done

ms() { local start end; start=$(date +%s%N); "$@" > /dev/null; end=$(date +%s%N); echo $(((end - start) / 1000000)); }
median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }

chart=$(for _ in $(seq "$runs"); do ms initctl boot-chart -o "$work/boot.svg"; done | median)
time=$(for _ in $(seq "$runs"); do ms initctl boot-time; done | median)
version=$(for _ in $(seq "$runs"); do ms initctl version; done | median)
entries=$(initctl journal | wc -l)
rows=$(grep -c '<g class="job' "$work/boot.svg")
echo "RESULT jobs=$jobs rows=$rows journal_entries=$entries boot_chart_ms=$chart boot_time_ms=$time" \
    "version_ms=$version svg_bytes=$(stat -c %s "$work/boot.svg") load=$(load | tr ' ' /)"
initctl boot-time | head -3
