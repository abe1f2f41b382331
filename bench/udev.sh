#!/bin/sh
# The udev source against a bare netlink reader, in one run (bench/README.md, "udev source"):
# uevent -> job's process running (median, p90, p99), then bursts of veth pairs (events lost,
# CPU, RSS, overflows). Starts its own daemon from the built distribution; needs root.
#
#   bench/udev.sh [SAMPLES=200] [PAIRS=1000] [--warmup=20] [--buffer=BYTES] [--debug]
#
# --buffer sets the daemon's -Dupshot.udev.receive.buffer.bytes (default 128 MiB), e.g. to
# force overflows and see the rescan; --debug runs the daemon with --debug (its log, kept,
# then names every event it emitted). Build first: mvn -o -B -q package -DskipTests.
#
# Every veth pair it makes is named ubn* and deleted before it returns, also after a crash
# or ^C (this script deletes whatever ubn* link is left); the daemon, the only process it
# starts that outlives the harness, is stopped by its pid.
set -eu
cd "$(dirname "$0")/.."
distro=${UDEV_BENCH_DISTRO:-distro/target/upshot-0.1.0}

if [ "$(id -u)" -ne 0 ]; then
    echo "udev.sh: needs root (veth pairs, SO_RCVBUFFORCE)" >&2
    exit 2
fi
for tool in ip bash java; do
    command -v "$tool" > /dev/null || { echo "udev.sh: needs $tool" >&2; exit 2; }
done
if [ ! -x "$distro/bin/upshot" ] || [ ! -f bench/target/classes/org/upshot/bench/UdevBench.class ]; then
    echo "udev.sh: build first: mvn -o -B -q package -DskipTests" >&2
    exit 2
fi

# Our links only: the ubn prefix is this benchmark's.
delete_links() {
    for link in /sys/class/net/ubn*; do
        [ -e "$link" ] || continue
        ip link del "$(basename "$link")" 2> /dev/null || true
    done
}

work=$(mktemp -d /tmp/upshot-udev-bench.XXXXXX)
java_pid=
cleanup() {
    status=$?
    if [ -n "$java_pid" ] && kill -0 "$java_pid" 2> /dev/null; then
        kill -TERM "$java_pid" 2> /dev/null || true
        wait "$java_pid" 2> /dev/null || true
    fi
    # The harness stops its daemon itself; this is for a harness that was killed.
    if [ -f "$work/daemon.pid" ]; then
        pid=$(cat "$work/daemon.pid")
        if tr '\0' ' ' 2> /dev/null < "/proc/$pid/cmdline" | grep -q -- "--confdir $work/conf"; then
            kill -TERM "$pid" 2> /dev/null || true
            tries=0
            while [ -d "/proc/$pid" ] && [ "$tries" -lt 300 ]; do
                sleep 0.1
                tries=$((tries + 1))
            done
            kill -KILL "$pid" 2> /dev/null || true
        fi
    fi
    delete_links
    if [ -f "$work/daemon.log" ]; then
        cp "$work/daemon.log" "$work.log"
        echo "daemon log: $work.log"
    fi
    if [ "$status" -eq 0 ]; then
        rm -rf "$work"
    else
        echo "udev.sh: failed (exit $status); its files are kept in $work" >&2
    fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if ls /sys/class/net/ | grep -q '^ubn'; then
    echo "udev.sh: deleting ubn* links left by an earlier run: $(ls /sys/class/net/ | grep '^ubn' | tr '\n' ' ')" >&2
    delete_links
fi

java -XX:+UseSerialGC -Dudevbench.distro="$distro" -Dudevbench.work="$work" \
    -cp "bench/target/classes:$distro/lib/*:$(ls "$distro"/plugins/source-udev-*.jar)" \
    org.upshot.bench.UdevBench "$@" &
java_pid=$!
wait "$java_pid"
