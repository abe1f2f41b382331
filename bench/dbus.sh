#!/bin/bash
# D-Bus side by side, one private dbus-daemon --systemd-activation for all (issue 12):
#  1. activation latency, a method call to a stopped service -> its reply, for the same
#     service (Debian's dbus-test-tool echo) activated through Upshot (SystemdService=,
#     the dbus stanza: ready once it owns its name) and by dbus-daemon itself (Exec=
#     without SystemdService=);
#  2. listing 1,000 jobs: Upshot's D-Bus API GetAllJobs (dbus-send, gdbus) against the
#     control socket's list (initctl list --json, and the raw request through socat).
#   bench/dbus.sh [SAMPLES=30] [JOBS=1000]
# Needs the distribution (mvn -o -B -q package -DskipTests), dbus, dbus-tests, socat and
# libglib2.0-bin (gdbus). DBUS_BENCH_DEBUG=1 runs the daemon with --debug and keeps its log.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
samples=${1:-30}
jobs=${2:-1000}

dist=$(ls -d "$PWD"/distro/target/upshot-*/ 2>/dev/null | head -1)
dist=${dist%/}
[ -x "$dist/bin/upshot" ] && ls "$dist"/plugins/source-dbus-*.jar >/dev/null 2>&1 ||
    { echo "dbus: build first: mvn -o -B -q package -DskipTests" >&2; exit 2; }
for tool in dbus-daemon dbus-send dbus-test-tool gdbus socat; do
    command -v "$tool" >/dev/null || { echo "dbus: needs $tool" >&2; exit 2; }
done
echo_tool=$(command -v dbus-test-tool)

work=$(mktemp -d /tmp/upshot-dbus-bench.XXXXXX)
started=()   # pids of the processes this script started
cleanup() {
    local pid
    for pid in "${started[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
    for pid in "${started[@]}"; do wait "$pid" 2>/dev/null || true; done
    if [ -n "${DBUS_BENCH_DEBUG:-}" ]; then
        echo "daemon log kept: $work/daemon.log"
    else
        rm -rf "$work"
    fi
}
trap cleanup EXIT

mkdir -p "$work/services" "$work/conf" "$work/run" "$work/log"
address=unix:path=$work/bus
cat > "$work/bus.conf" <<EOF
<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>$address</listen>
  <auth>EXTERNAL</auth>
  <servicedir>$work/services</servicedir>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
EOF
dbus-daemon --config-file="$work/bus.conf" --nofork --print-address --systemd-activation \
    > "$work/bus.address" 2> "$work/bus.log" &
started+=("$!")
for ((i = 0; i < 100; i++)); do [ -S "$work/bus" ] && break; sleep 0.05; done
export DBUS_SESSION_BUS_ADDRESS=$address

# The service, twice: through Upshot and through the bus itself.
printf 'dbus session-bus org.upshot.bench.Upshot\nconsole none\nexec %s echo --name=org.upshot.bench.Upshot\n' \
    "$echo_tool" > "$work/conf/echo.conf"
printf '[D-BUS Service]\nName=org.upshot.bench.Bus\nExec=%s echo --name=org.upshot.bench.Bus\n' \
    "$echo_tool" > "$work/services/org.upshot.bench.Bus.service"
# 1,000 jobs to list (never started).
for ((i = 0; i < jobs; i++)); do
    printf 'exec sleep 600\n' > "$work/conf/job-$i.conf"
done
"$dist/bin/upshot" dbus-services --confdir "$work/conf" "$work/services" > /dev/null

UPSHOT_JAVA_OPTS="-Dupshot.dbus.api=session" \
    "$dist/bin/upshot" --session --confdir "$work/conf" --runtime-dir "$work/run" --log-dir "$work/log" \
    ${DBUS_BENCH_DEBUG:+--debug} </dev/null > "$work/daemon.log" 2>&1 &
started+=("$!")
ctl=$work/run/control.sock
export UPSHOT_SOCKET=$ctl
owner() { dbus-send --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \
    org.freedesktop.DBus.NameHasOwner "string:$1" 2>/dev/null | grep -q 'boolean true'; }
for ((i = 0; i < 600; i++)); do owner org.freedesktop.systemd1 && owner com.ubuntu.Upstart && break; sleep 0.1; done
owner com.ubuntu.Upstart || { echo "dbus: Upshot never owned its names; log in $work/daemon.log" >&2;
    DBUS_BENCH_DEBUG=1; exit 1; }

now_ns() { date +%s%N; }
# Milliseconds, with three decimals, of one run of "$@" (output dropped, failure fatal).
time_ms() {
    local t0 t1
    t0=$(now_ns)
    "$@" > /dev/null
    t1=$(now_ns)
    awk -v d=$((t1 - t0)) 'BEGIN { printf "%.3f", d / 1e6 }'
}
# The median and p90 of the numbers on stdin.
stats() { sort -n | awk '{ v[NR] = $1 } END { printf "median %.1f ms, p90 %.1f ms, min %.1f ms (n=%d)", v[int((NR + 1) / 2)], v[int(NR * 0.9 + 0.5)], v[1], NR }'; }
ping() { dbus-send --print-reply --reply-timeout=30000 --dest="$1" /org/upshot/Bench org.upshot.Bench.Ping; }
stop_upshot() { "$dist/bin/initctl" stop echo > /dev/null 2>&1 || true
    for ((j = 0; j < 200; j++)); do owner org.upshot.bench.Upshot || return 0; sleep 0.01; done; }
stop_bus() {
    local pid
    pid=$(dbus-send --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \
        org.freedesktop.DBus.GetConnectionUnixProcessID string:org.upshot.bench.Bus 2>/dev/null |
        sed -n 's/.*uint32 //p' || true)
    [ -n "$pid" ] && kill "$pid" 2>/dev/null || true
    for ((j = 0; j < 200; j++)); do owner org.upshot.bench.Bus || return 0; sleep 0.01; done
}

load_start=$(load)
echo "# D-Bus, $(date -u '+%F %H:%M UTC'), $(nproc) vCPUs, load average $load_start"
echo "# $(java -version 2>&1 | head -1); $(dbus-daemon --version | head -1)"
echo

echo "1. Activation: dbus-send to a stopped dbus-test-tool echo -> reply ($samples samples after 3 warm-up, interleaved)"
: > "$work/upshot.ms"; : > "$work/bus.ms"
for ((i = 0; i < samples + 3; i++)); do
    stop_upshot; sleep 0.1
    u=$(time_ms ping org.upshot.bench.Upshot)
    stop_bus; sleep 0.1
    b=$(time_ms ping org.upshot.bench.Bus)
    if ((i >= 3)); then echo "$u" >> "$work/upshot.ms"; echo "$b" >> "$work/bus.ms"; fi
done
stop_upshot; stop_bus
printf '   %-52s %s\n' "through Upshot (SystemdService=, dbus stanza)" "$(stats < "$work/upshot.ms")"
printf '   %-52s %s\n' "by dbus-daemon itself (Exec=, no SystemdService=)" "$(stats < "$work/bus.ms")"
: > "$work/warm.ms"
for ((i = 0; i < samples; i++)); do time_ms ping org.upshot.bench.Bus >> "$work/warm.ms"; echo >> "$work/warm.ms"; done
printf '   %-52s %s\n' "the same call to the running service (baseline)" "$(grep . "$work/warm.ms" | stats)"
echo

echo "2. Listing $jobs jobs ($samples samples after 3 warm-up)"
list_request='{"v":1,"id":1,"cmd":"list"}'
measure() {
    local label=$1 out=$work/list.ms
    shift
    : > "$out"
    for ((i = 0; i < samples + 3; i++)); do
        t=$(time_ms "$@")
        ((i >= 3)) && echo "$t" >> "$out"
    done
    printf '   %-52s %s\n' "$label" "$(stats < "$out")"
}
count=$(dbus-send --print-reply --dest=com.ubuntu.Upstart /com/ubuntu/Upstart com.ubuntu.Upstart0_6.GetAllJobs |
    grep -c 'object path')
echo "   (GetAllJobs answers $count paths)"
measure "D-Bus GetAllJobs, dbus-send" dbus-send --print-reply --dest=com.ubuntu.Upstart /com/ubuntu/Upstart \
    com.ubuntu.Upstart0_6.GetAllJobs
measure "D-Bus GetAllJobs, gdbus" gdbus call --session --dest com.ubuntu.Upstart --object-path /com/ubuntu/Upstart \
    --method com.ubuntu.Upstart0_6.GetAllJobs
measure "control socket list, socat (raw JSON line)" sh -c "printf '%s\n' '$list_request' | socat -t 5 - UNIX-CONNECT:$ctl"
measure "control socket list, initctl list --json" "$dist/bin/initctl" list --json
echo
echo "# load average at the end: $(load)"
