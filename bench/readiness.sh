#!/bin/bash
# Readiness side by side (issue 15; bench/README.md, "Readiness"): READY=1 sent and SIGSTOP
# raised -> `start` returned, for `expect notify` against `expect stop` on the same python
# process, interleaved; then a chain of `needs`: one start of the top job against starting
# the jobs one by one over one connection and with one `initctl` each.
#   bench/readiness.sh [SAMPLES=200] [CHAIN=100] [ROUNDS=5]
# Needs the distribution and the bench classes (mvn -o -B -q package -DskipTests) and python3.
# READINESS_BENCH_DEBUG=1 runs the daemon with --debug and keeps its log.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
samples=${1:-200}
chain=${2:-100}
rounds=${3:-5}
warmup=10

dist=$PWD/distro/target/upshot-0.1.0
classes=$PWD/bench/target/classes
[ -x "$dist/bin/upshot" ] && [ -f "$classes/org/upshot/bench/ReadinessBench.class" ] ||
    { echo "readiness: build first: mvn -o -B -q package -DskipTests" >&2; exit 2; }
python=$(command -v python3) || { echo "readiness: needs python3" >&2; exit 2; }

work=$(mktemp -d /tmp/upshot-readiness-bench.XXXXXX)
daemon=
cleanup() {
    status=$?
    if [ -n "$daemon" ]; then
        # TERM: the daemon stops its jobs and exits; KILL only if it has not after 30 s
        kill -TERM "$daemon" 2>/dev/null || true
        for ((i = 0; i < 300; i++)); do kill -0 "$daemon" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "$daemon" 2>/dev/null || true
        wait "$daemon" 2>/dev/null || true
    fi
    if [ -n "${READINESS_BENCH_DEBUG:-}" ] || [ "$status" -ne 0 ]; then
        echo "readiness: files kept in $work (daemon.log)" >&2
    else
        rm -rf "$work"
    fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

bench() { java -XX:+UseSerialGC -cp "$classes" org.upshot.bench.ReadinessBench "$@"; }

# The job's process: CLOCK_MONOTONIC right before it says it is ready, one write(2) of it to
# stamp-$UPSTART_JOB, then READY=1 or SIGSTOP; both ways pay for the same write.
cat > "$work/sender.py" <<'EOF'
import os, signal, socket, sys, time
mode = sys.argv[1]
stamp = os.open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "stamp-" + os.environ["UPSTART_JOB"]),
                os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
if mode == "notify":
    address = os.environ["NOTIFY_SOCKET"]
    if address.startswith("@"):
        address = "\0" + address[1:]
    s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    os.write(stamp, b"%d\n" % time.monotonic_ns())
    s.sendto(b"READY=1", address)
elif mode == "stop":
    os.write(stamp, b"%d\n" % time.monotonic_ns())
    os.kill(os.getpid(), signal.SIGSTOP)
else:
    sys.exit("sender.py: notify or stop, not " + mode)
os.close(stamp)
while True:
    time.sleep(600)
EOF
mkdir -p "$work/conf" "$work/run" "$work/log"
printf 'expect notify\nexec python3 %s notify\n' "$work/sender.py" > "$work/conf/ready-notify.conf"
printf 'expect stop\nexec python3 %s stop\n' "$work/sender.py" > "$work/conf/ready-stop.conf"
printf 'exec sleep 600\n' > "$work/conf/chain001.conf"
for ((i = 2; i <= chain; i++)); do
    printf 'needs chain%03d\nexec sleep 600\n' $((i - 1)) > "$work/conf/$(printf 'chain%03d' "$i").conf"
done

"$dist/bin/upshot" --session --confdir "$work/conf" --runtime-dir "$work/run" --log-dir "$work/log" \
    ${READINESS_BENCH_DEBUG:+--debug} </dev/null > "$work/daemon.log" 2>&1 &
daemon=$!
ctl=$work/run/control.sock

load_start=$(load)
echo "# readiness, $(date -u '+%F %H:%M UTC'), $(nproc) vCPUs, load average $load_start"
echo "# $(java -version 2>&1 | head -1); $("$python" --version); daemon pid $daemon"
echo

# ---- 1. READY=1 / SIGSTOP -> start returned -----------------------------------------------------
echo "1. expect notify against expect stop, the same python process, interleaved ($samples starts each after $warmup warm-up)"
out=$(bench ready "$ctl" "$work" "$samples" "$warmup" ready-notify ready-stop)
echo "$out"
declare -A row
while read -r line; do row["$(field "$line" what) $(field "$line" job)"]=$line; done <<< "$out"
printf '%-58s %10s %10s %10s %10s %10s\n' "path" "median" "p90" "p99" "min" "max"
for key in "ready ready-notify|READY=1 sent -> start returned, expect notify" \
    "ready ready-stop|SIGSTOP raised -> start returned, expect stop" \
    "start ready-notify|start sent -> returned, expect notify" \
    "start ready-stop|start sent -> returned, expect stop"; do
    line=${row[${key%%|*}]}
    printf '%-58s %7s ms %7s ms %7s ms %7s ms %7s ms\n' "${key#*|}" "$(field "$line" median)" "$(field "$line" p90)" \
        "$(field "$line" p99)" "$(field "$line" min)" "$(field "$line" max)"
done
echo "ratios of medians, notify / stop: ready -> returned $(ratio "$(field "${row[ready ready-notify]}" median)" \
    "$(field "${row[ready ready-stop]}" median)"); whole start $(ratio "$(field "${row[start ready-notify]}" median)" \
    "$(field "${row[start ready-stop]}" median)")"
echo "load average: $(load)"
echo

# ---- 2. a needs chain ---------------------------------------------------------------------------
echo "2. a needs chain of $chain jobs (chainN needs chainN-1, exec sleep 600): start all, $rounds rounds, interleaved"
out=$(bench chain "$ctl" "$dist/bin/initctl" chain "$chain" "$rounds")
echo "$out"
declare -A way
while read -r line; do way[$(field "$line" way)]=$line; done <<< "$out"
printf '%-62s %10s %10s %10s  %s\n' "way" "median" "min" "max" "each round, ms"
for key in "one-request|one start request of chain$chain (control socket)" \
    "requests-one-connection|$chain start requests on one connection, bottom first" \
    "initctl-each|$chain \`initctl start\` processes, bottom first" \
    "initctl-one|one \`initctl start chain$chain\`" \
    "stop-bottom|(stop chain001 with all $chain running: stops them all)"; do
    line=${way[${key%%|*}]}
    printf '%-62s %7s ms %7s ms %7s ms  %s\n' "${key#*|}" "$(field "$line" median)" "$(field "$line" min)" \
        "$(field "$line" max)" "$(field "$line" each)"
done
one=$(field "${way[one-request]}" median)
echo "ratios of medians: $chain requests / one request = $(ratio "$(field "${way[requests-one-connection]}" median)" "$one");" \
    "$chain initctl / one request = $(ratio "$(field "${way[initctl-each]}" median)" "$one");" \
    "$chain initctl / one initctl = $(ratio "$(field "${way[initctl-each]}" median)" "$(field "${way[initctl-one]}" median)")"
echo "load average: $(load) (at the start: $load_start)"
warnings=$(grep -E ' (WARN|ERROR) ' "$work/daemon.log" | sed -E 's/^[0-9:.]+ //' | sort | uniq -c || true)
[ -z "$warnings" ] || { echo "daemon warnings and errors (count, line):"; echo "$warnings"; }
