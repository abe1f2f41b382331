#!/bin/bash
# Memory, boot and initctl of the assembled distribution, in one run (bench/README.md,
# "Memory, boot and initctl"):
#   idle     bin/upshot --session over the example jobs: PSS once settled (15 s);
#   1,000    1,000 services (`exec` of a /bin/sh script that execs sleep, as the peer kit's
#            W2/W3): PSS 1 s after the 1,000th sleep runs (where the kit reads it), and
#            settled (8 s after);
#   NMT      one more run of each with -XX:NativeMemoryTracking=summary: the JVM's
#            categories (committed), thread count, and what NMT does not see;
#   boot     launch -> the first job (`start on startup`, a service) running, against an
#            empty JVM's start with etc/jvm.options' flags, interleaved;
#   initctl  `status JOB` against a running daemon, against an empty JVM with
#            initctl's flags, interleaved.
# Medians of RUNS (default 5). JAVA picks the JVM (default: java on PATH); UPSHOT_DIST
# another built distribution (default distro/target/upshot-0.1.0).
# Build first: mvn -o -B -q package -DskipTests
#
#   bench/memory.sh [RUNS=5]
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
runs=${1:-5}
dist=${UPSHOT_DIST:-$PWD/distro/target/upshot-0.1.0}
java=${JAVA:-$(command -v java)}
export JAVA=$java
[ -x "$dist/bin/upshot" ] || { echo "memory.sh: build first: mvn -o -B -q package -DskipTests" >&2; exit 2; }

work=$(mktemp -d /tmp/upshot-memory-bench.XXXXXX)
daemon=
cleanup() {
    if [ -n "$daemon" ]; then kill -TERM "$daemon" 2>/dev/null || true; wait "$daemon" 2>/dev/null || true; fi
    rm -rf "$work"
}
trap cleanup EXIT

# the job directories: the examples; 1,000 services; one service on startup
cp -R "$dist/examples" "$work/examples"
mkdir -p "$work/many" "$work/first"
printf '#!/bin/sh\nexec sleep 1000000\n' > "$work/sleep-run"
chmod +x "$work/sleep-run"
for ((i = 1; i <= 1000; i++)); do
    printf 'start on startup\nexec %s\n' "$work/sleep-run" > "$work/many/s$i.conf"
done
printf 'start on startup\nexec sleep 1000000\n' > "$work/first/first.conf"
cat > "$work/Nop.java" <<'JAVA'
public class Nop { public static void main(String[] a) { } }
JAVA
"$(dirname "$(readlink -f "$java")")/javac" -d "$work" "$work/Nop.java"

now_us() { echo "${EPOCHREALTIME/./}"; }
median() { sort -n | awk '{ a[NR] = $1 } END { if (NR) print a[int((NR + 1) / 2)]; else print "-" }'; }
pss_kib() { awk '/^Pss:/ { print $2 }' "/proc/$1/smaps_rollup"; }
mib() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }

# start_daemon CONFDIR LOG [JAVA_OPTS]: bin/upshot --session in the background; sets
# daemon (its pid) and rundir
start_daemon() {
    rundir=$work/run-$RANDOM
    : > "$2"
    env --default-signal UPSHOT_JAVA_OPTS="${3:-}" "$dist/bin/upshot" --session --debug --confdir "$1" \
        --runtime-dir "$rundir/rt" --log-dir "$rundir/log" --default-console none </dev/null > "$2" 2>&1 &
    daemon=$!
}
stop_daemon() {
    kill -TERM "$daemon"
    wait "$daemon" || true
    daemon=
}
# wait_for SECONDS COMMAND...: polls COMMAND every $poll seconds (default 0.01; not
# ordering anything: a bound on how long the daemon may take), fails the benchmark when
# the daemon dies or time runs out
wait_for() {
    local deadline=$(( $(now_us) + $1 * 1000000 ))
    shift
    until "$@"; do
        kill -0 "$daemon" 2>/dev/null || { echo "memory.sh: the daemon died" >&2; exit 1; }
        [ "$(now_us)" -lt "$deadline" ] || { echo "memory.sh: timed out waiting for: $*" >&2; exit 1; }
        sleep "${poll:-0.01}"
    done
}
logged() { grep -qsE "$2" "$1"; }
# boot_marks LOG: true once both boot lines are in LOG; sets ready and running, each the
# ms from t0 to its line's own time stamp (HH:MM:SS.mmm, local time today)
boot_marks() {
    local started first
    started=$(grep -m1 'started in' "$1") || return 1
    first=$(grep -m1 'first state changed from post-start to running' "$1") || return 1
    ready=$(( $(stamp_ms "$started") - t0 / 1000 ))
    running=$(( $(stamp_ms "$first") - t0 / 1000 ))
}
midnight_ms=$(( $(date -d 'today 00:00' +%s) * 1000 ))
stamp_ms() { local h m s f; IFS=:. read -r h m s f _ <<< "${1%% *}"; echo $(( midnight_ms + ((10#$h * 60 + 10#$m) * 60 + 10#$s) * 1000 + 10#$f )); }
sleeps_running() { [ "$(pgrep -c -x -P "$daemon" sleep || true)" -ge "$1" ]; }

# idle with the examples: PSS once settled
idle_once() {
    local log=$work/idle.log
    start_daemon "$work/examples" "$log" "${1:-}"
    wait_for 60 logged "$log" 'started in'
    sleep 15
}
# 1,000 services: PSS 1 s after the last one runs, and settled
many_once() {
    local log=$work/many.log
    start_daemon "$work/many" "$log" "${1:-}"
    wait_for 120 sleeps_running 1000
    sleep 1
}

: > "$work/idle"; : > "$work/many-1s"; : > "$work/many-settled"
for ((r = 1; r <= runs; r++)); do
    idle_once; pss_kib "$daemon" >> "$work/idle"; stop_daemon
    many_once; pss_kib "$daemon" >> "$work/many-1s"; sleep 7; pss_kib "$daemon" >> "$work/many-settled"; stop_daemon
done
bundles=$(grep -o '[0-9]* core and [0-9]* plugin bundles active' "$work/idle.log" | tail -1)

# NMT: committed KiB of category $2 in summary file $1
nmt() { sed -n "s/^-  *$2 (reserved=[0-9]*KB, committed=\([0-9]*\)KB.*/\1/p" "$1"; }
nmt_report() { # LABEL
    local f=$work/nmt-$1 pss threads
    jcmd "$daemon" VM.native_memory summary > "$f"
    pss=$(pss_kib "$daemon")
    threads=$(ls "/proc/$daemon/task" | wc -l)
    printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n' "$1" "$(mib "$pss")" \
        "$(mib "$(nmt "$f" 'Java Heap')")" "$(mib $(( $(nmt "$f" Metaspace) + $(nmt "$f" Class) )))" \
        "$(mib "$(nmt "$f" 'Shared class space')")" "$(mib "$(nmt "$f" Code)")" \
        "$(mib "$(nmt "$f" Thread)") ($threads)" "$(mib "$(nmt "$f" Symbol)")" \
        "$(mib $(( $(nmt "$f" GC) + $(nmt "$f" Compiler) + $(nmt "$f" Internal) + $(nmt "$f" Other) + $(nmt "$f" 'Arena Chunk') + $(nmt "$f" Module) )))" \
        "$(mib "$(grep -E '^ *(-  *)?(Total|total)' "$f" | head -1 | sed -n 's/.*committed=\([0-9]*\)KB.*/\1/p')")"
}
nmt_flags=-XX:NativeMemoryTracking=summary
echo "| daemon (NMT on, adds its own ~1 MiB) | PSS | heap | metaspace + class | CDS archives | code | thread stacks (threads) | symbols | GC, compiler, internal, other, arenas | NMT total |" > "$work/nmt"
echo "|---|---|---|---|---|---|---|---|---|---|" >> "$work/nmt"
idle_once "$nmt_flags"; nmt_report "idle, examples" >> "$work/nmt"; stop_daemon
many_once "$nmt_flags"; sleep 7; nmt_report "1,000 services, settled" >> "$work/nmt"; stop_daemon

# boot: launch -> first job running, and an empty JVM with the daemon's flags, interleaved
daemon_flags=$(sed -e 's/#.*//' "$dist/etc/jvm.options" | tr '\n' ' ')
: > "$work/boot"; : > "$work/boot-ready"; : > "$work/boot-empty"
for ((r = 1; r <= runs; r++)); do
    t0=$(now_us)
    # shellcheck disable=SC2086 # flags are words
    "$java" $daemon_flags -cp "$work" Nop
    echo $(( ($(now_us) - t0) / 1000 )) >> "$work/boot-empty"
    t0=$(now_us)
    start_daemon "$work/first" "$work/boot.log"
    # the first job may run before the last plugin is active: each mark timed on its own,
    # by the log's stamps, and looked for every 0.2 s: a grep every 10 ms (a fork each)
    # would take CPU from the boot it times
    poll=0.2 wait_for 60 boot_marks "$work/boot.log"
    echo "$ready" >> "$work/boot-ready"
    echo "$running" >> "$work/boot"
    stop_daemon
done

# initctl status against a running daemon, and an empty JVM with initctl's flags
start_daemon "$work/first" "$work/ctl.log"
wait_for 60 logged "$work/ctl.log" 'first state changed from post-start to running'
export UPSHOT_SOCKET=$rundir/rt/control.sock
"$dist/bin/status" first > "$work/status.out"
grep -q 'first start/running' "$work/status.out" || { echo "memory.sh: status said: $(cat "$work/status.out")" >&2; exit 1; }
: > "$work/ctl"; : > "$work/ctl-empty"
for ((r = 1; r <= runs * 4; r++)); do
    t0=$(now_us)
    "$java" -XX:TieredStopAtLevel=1 -Xmx32m -XX:+UseSerialGC -Xss512k -XX:-UsePerfData -cp "$work" Nop
    echo $(( ($(now_us) - t0) / 1000 )) >> "$work/ctl-empty"
    t0=$(now_us)
    "$dist/bin/status" first > /dev/null
    echo $(( ($(now_us) - t0) / 1000 )) >> "$work/ctl"
done
stop_daemon

idle=$(median < "$work/idle"); many1=$(median < "$work/many-1s"); many8=$(median < "$work/many-settled")
boot=$(median < "$work/boot"); ready=$(median < "$work/boot-ready"); empty=$(median < "$work/boot-empty")
ctl=$(median < "$work/ctl"); ctl_empty=$(median < "$work/ctl-empty")
echo "# $(date -u '+%F %H:%M UTC'), $(nproc) CPUs, load $(load) at the end; $("$java" -version 2>&1 | head -1)"
echo "# medians of $runs runs ($((runs * 4)) for initctl); every bundle active: $bundles"
echo
echo "| measure | Upshot | baseline (same run) | ratio | goal |"
echo "|---|---|---|---|---|"
echo "| PSS idle, example jobs (settled, 15 s) | $(mib "$idle") MiB | — | — | ≤ 40 MB |"
echo "| PSS, 1,000 services, 1 s after the last runs | $(mib "$many1") MiB | — | — | ≤ 48 MB |"
echo "| PSS, 1,000 services, settled (8 s) | $(mib "$many8") MiB | — | — | ≤ 48 MB |"
echo "| boot: launch → framework started (every bundle active) | $ready ms | empty JVM, daemon's flags: $empty ms | $(ratio "$ready" "$empty") | — |"
echo "| boot: launch → first job running | $boot ms | empty JVM, daemon's flags: $empty ms | $(ratio "$boot" "$empty") | ≤ 8 |"
echo "| \`initctl status JOB\` | $ctl ms | empty JVM, initctl's flags: $ctl_empty ms | $(ratio "$ctl" "$ctl_empty") | ≤ 1.3 |"
echo
cat "$work/nmt"
