#!/bin/bash
# initctl graph for JOBS jobs (bench/README.md, "initctl graph"): wall time and output
# size of DOT, SVG through Graphviz's dot, and SVG through the built-in ELK layout, each
# RUNS times against one session daemon.
#
#   bench/graph.sh [JOBS=1000] [RUNS=3]
#
# The jobs: a tree ten wide (job-N starts on started job-(N-1)/10, stops on stopping it:
# four levels for 1,000 jobs, as a boot's dependencies are wide and shallow), every 10th
# emits an event the next one starts on, every 7th needs job-0, every 25th has a timer
# stanza (`every 1h`). Needs graphviz for the dot rows. Build first:
# mvn -o -B -q package -DskipTests. GRAPH_BENCH_KEEP=1 keeps the work directory.
# GRAPH_BENCH_BASELINE=DIR also runs the initctl of DIR (a copy of
# distro/target/upshot-0.1.0 from before a change) against the same daemon, each run
# beside the current one, and prints the ratios current/baseline.
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=${1:-1000}
runs=${2:-3}
dist=$PWD/distro/target/upshot-0.1.0
baseline=${GRAPH_BENCH_BASELINE:-}
[ -x "$dist/bin/upshot" ] || { echo "graph.sh: build first: mvn -o -B -q package -DskipTests" >&2; exit 2; }
[ -z "$baseline" ] || [ -x "$baseline/bin/initctl" ] || { echo "graph.sh: no $baseline/bin/initctl" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "graph.sh: needs GNU time (/usr/bin/time, package time)" >&2; exit 2; }

work=$(mktemp -d /tmp/upshot-graph-bench.XXXXXX)
daemon=
cleanup() {
    if [ -n "$daemon" ]; then kill -TERM "$daemon" 2>/dev/null || true; wait "$daemon" 2>/dev/null || true; fi
    if [ -n "${GRAPH_BENCH_KEEP:-}" ]; then echo "kept: $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT

mkdir -p "$work/conf" "$work/run" "$work/log"
for ((i = 0; i < jobs; i++)); do
    {
        if ((i > 0)); then
            echo "start on started job-$(( (i - 1) / 10 ))"
            echo "stop on stopping job-$(( (i - 1) / 10 ))"
        fi
        ((i % 10 == 0)) && echo "emits ev-$i"
        ((i % 10 == 1 && i > 1)) && echo "start on ev-$((i - 1)) LEVEL=2"
        ((i % 7 == 3)) && echo "needs job-0"
        ((i % 25 == 5)) && echo "every 1h"
        echo "exec sleep 600"
    } > "$work/conf/job-$i.conf"
done

XDG_STATE_HOME="$work/state" "$dist/bin/upshot" --session --confdir "$work/conf" --runtime-dir "$work/run" \
    --log-dir "$work/log" </dev/null > "$work/daemon.log" 2>&1 &
daemon=$!
export UPSHOT_SOCKET=$work/run/control.sock
for ((t = 0; t < 600; t++)); do
    "$dist/bin/initctl" status "job-$((jobs - 1))" >/dev/null 2>&1 && break
    sleep 0.1  # polling the daemon's readiness, not ordering anything
done
"$dist/bin/initctl" status "job-$((jobs - 1))" >/dev/null

median() { printf '%s\n' "$@" | sort -n | sed -n "$(( ($# + 1) / 2 ))p"; }
# graph DIST FILE LAYOUT ARGS...: one initctl graph of DIST's; prints its wall time and
# its CPU time (user + system, dot's included), in ms: on a loaded machine the CPU time
# is the steadier figure.
graph() {
    local dist=$1 file=$2 layout=$3
    shift 3
    UPSHOT_GRAPH_LAYOUT=$layout /usr/bin/time -f '%e %U %S' -o "$work/time" \
        "$dist/bin/initctl" graph "$@" -o "$work/$file"
    awk '{ printf "%d %d\n", $1 * 1000, ($2 + $3) * 1000 }' "$work/time"
}
row() {
    local label=$1 file=$2 layout=$3 i wall cpu now=() now_cpu=() before=() before_cpu=()
    shift 3
    for ((i = 0; i < runs; i++)); do
        read -r wall cpu < <(graph "$dist" "$file" "$layout" "$@")
        now+=("$wall") now_cpu+=("$cpu")
        if [ -n "$baseline" ]; then
            read -r wall cpu < <(graph "$baseline" "baseline-$file" "$layout" "$@")
            before+=("$wall") before_cpu+=("$cpu")
        fi
    done
    printf '%-22s %8s ms %8s ms %9s bytes  (wall: %s)\n' "$label" "$(median "${now[@]}")" \
        "$(median "${now_cpu[@]}")" "$(stat -c %s "$work/$file")" "${now[*]}"
    if [ -n "$baseline" ]; then
        printf '%-22s %8s ms %8s ms %9s bytes  (wall: %s)\n' "  baseline" "$(median "${before[@]}")" \
            "$(median "${before_cpu[@]}")" "$(stat -c %s "$work/baseline-$file")" "${before[*]}"
        printf '%-22s %8s    %8s    %9s\n' "  ratio" \
            "$(ratio "$(median "${now[@]}")" "$(median "${before[@]}")")" \
            "$(ratio "$(median "${now_cpu[@]}")" "$(median "${before_cpu[@]}")")" \
            "$(ratio "$(stat -c %s "$work/$file")" "$(stat -c %s "$work/baseline-$file")")"
    fi
}
ratio() { awk "BEGIN { printf \"%.2f\", $1 / $2 }"; }
echo "jobs=$jobs runs=$runs baseline=${baseline:-none} java=$(java -version 2>&1 | head -1) cores=$(nproc) load=$(cut -d' ' -f1-3 /proc/loadavg)"
echo "                       median wall  med. CPU  output size"
row "dot (text)" graph.dot "" --format dot
row "svg via ELK" elk.svg elk --format svg
row "svg via ELK, 1 job" elk-one.svg elk --format svg "job-$((jobs / 2))"
if command -v dot >/dev/null; then
    row "svg via dot" dot.svg dot --format svg
    row "svg via dot, 1 job" dot-one.svg dot --format svg "job-$((jobs / 2))"
fi
echo "load at the end: $(cut -d" " -f1-3 /proc/loadavg)"
