#!/bin/bash
# Socket activation side by side: Upshot's socket source against systemd-socket-activate
# and ucspi-tcp's tcpserver, one client for all (org.upshot.bench.SocketActivationBench).
# See bench/README.md, "Socket activation".
#   bench/socket-activation.sh [SAMPLES=30] [CONNECTIONS=2000] [CLIENTS=1000] [ROUNDS=5]
# Needs the distribution and the bench classes (mvn -o -B -q package -DskipTests),
# /usr/bin/python3, systemd-socket-activate and tcpserver (apt-get install ucspi-tcp).
# SOCKET_BENCH_DEBUG=1 runs the daemon with --debug and keeps its log.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
samples=${1:-30}
connections=${2:-2000}
clients=${3:-1000}
rounds=${4:-5}
gap_ms=250        # between cold samples: under 10/s, so 20 starts never fall within 2 s

dist=$(ls -d "$PWD"/distro/target/upshot-*/ 2>/dev/null | head -1)
dist=${dist%/}
classes=$PWD/bench/target/classes
[ -x "$dist/bin/upshot" ] && [ -f "$classes/org/upshot/bench/SocketActivationBench.class" ] ||
    { echo "socket-activation: build first: mvn -o -B -q package -DskipTests" >&2; exit 2; }
python=/usr/bin/python3
ssa=$(command -v systemd-socket-activate || true)
tcpserver=$(command -v tcpserver || true)
[ -x "$python" ] && [ -n "$ssa" ] ||
    { echo "socket-activation: needs $python and systemd-socket-activate" >&2; exit 2; }
[ -n "$tcpserver" ] || echo "socket-activation: no tcpserver (apt-get install ucspi-tcp): its rows are skipped" >&2

work=$(mktemp -d /tmp/upshot-socket-bench.XXXXXX)
started=()   # pids of the processes this script started
cleanup() {
    local pid
    for pid in "${started[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
    for pid in "${started[@]}"; do wait "$pid" 2>/dev/null || true; done
    if [ -n "${SOCKET_BENCH_DEBUG:-}" ]; then
        echo "daemon log kept: $work/daemon.log"
    else
        rm -rf "$work"
    fi
}
trap cleanup EXIT

bench() { java -XX:+UseSerialGC -cp "$classes" org.upshot.bench.SocketActivationBench "$@"; }
# Whether something listens on 127.0.0.1:$1.
listening() { [ -n "$(ss -Htln "src 127.0.0.1:$1")" ]; }
await_listening() {
    local i
    for ((i = 0; i < 600; i++)); do listening "$1" && return 0; sleep 0.1; done
    echo "socket-activation: nothing listens on port $1 after 60 s" >&2
    return 1
}

# Five free ports below the ephemeral range, so no client connection holds one.
read -r p_svc p_echo p_ssa p_ssa_echo p_tcps < <("$python" - <<'EOF'
import random, socket
ports = []
while len(ports) < 5:
    port = random.randrange(20000, 32000)
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            continue
    if port not in ports:
        ports.append(port)
print(*ports)
EOF
)

# The LISTEN_FDS service: fd 3 is its listener; it answers each connection with one line.
cat > "$work/service.py" <<'EOF'
import os, socket, sys
if os.environ.get("LISTEN_PID") != str(os.getpid()) or os.environ.get("LISTEN_FDS") != "1":
    sys.exit("service.py: no listener for me: LISTEN_PID=%s LISTEN_FDS=%s pid=%d"
             % (os.environ.get("LISTEN_PID"), os.environ.get("LISTEN_FDS"), os.getpid()))
listener = socket.socket(fileno=3)
while True:
    connection, _ = listener.accept()
    connection.sendall(b"hello\n")
    connection.close()
EOF
mkdir -p "$work/conf" "$work/run" "$work/log"
printf 'socket tcp 127.0.0.1:%s\nconsole none\nexec %s %s\n' "$p_svc" "$python" "$work/service.py" > "$work/conf/svc.conf"
# The echo: one line in, the same line out (stdin and stdout are the connection).
# trigger-limit=off: neither systemd-socket-activate nor tcpserver has a trigger limit
printf 'socket tcp 127.0.0.1:%s accept trigger-limit=off\nconsole none\nexec /usr/bin/head -n 1\n' "$p_echo" > "$work/conf/echo.conf"

"$dist/bin/upshot" --session --confdir "$work/conf" --runtime-dir "$work/run" --log-dir "$work/log" \
    ${SOCKET_BENCH_DEBUG:+--debug} </dev/null > "$work/daemon.log" 2>&1 &
daemon=$!
started+=("$daemon")
await_listening "$p_svc"
await_listening "$p_echo"
ctl=$work/run/control.sock

load_start=$(load)
echo "# socket activation, $(date -u '+%F %H:%M UTC'), $(nproc) vCPUs, load average $load_start"
echo "# $(java -version 2>&1 | head -1); $("$python" --version); $("$ssa" --version | head -1)"
echo

# ---- 1. first connection ------------------------------------------------------------------
echo "1. First connection, connect -> first reply byte ($samples samples after 5 warm-up, ${gap_ms} ms apart)"
results=$(bench latency "$samples" 5 "$gap_ms" "$p_svc" --stop "$ctl" svc --and "$p_svc" --start "$ctl" svc \
    --and "$p_ssa" --spawn "$ssa" -l "127.0.0.1:$p_ssa" "$python" "$work/service.py")
{ read -r cold; read -r warm; read -r ssa_cold; } <<< "$results"
printf '%-58s %9s %9s %9s %9s\n' "contender" "median" "p90" "min" "max"
for row in "Upshot, cold (job stopped before each sample)|$cold" "Upshot, service already running|$warm" \
    "systemd-socket-activate, cold (started before each)|$ssa_cold"; do
    line=${row#*|}
    printf '%-58s %6s ms %6s ms %6s ms %6s ms\n' "${row%%|*}" "$(field "$line" median)" "$(field "$line" p90)" \
        "$(field "$line" min)" "$(field "$line" max)"
done
echo "ratios of medians: Upshot cold / already running = $(ratio "$(field "$cold" median)" "$(field "$warm" median)");" \
    "Upshot cold / systemd-socket-activate = $(ratio "$(field "$cold" median)" "$(field "$ssa_cold" median)")"
echo "load average: $(load)"
echo

# ---- 2. accept throughput -------------------------------------------------------------------
"$ssa" -l "127.0.0.1:$p_ssa_echo" --accept --inetd /usr/bin/head -n 1 </dev/null > "$work/ssa.log" 2>&1 &
started+=("$!")
await_listening "$p_ssa_echo"
if [ -n "$tcpserver" ]; then
    # -H -R -l0: no DNS or ident look-ups of the peer (Upshot and systemd do none)
    "$tcpserver" -HR -l0 127.0.0.1 "$p_tcps" /usr/bin/head -n 1 </dev/null > "$work/tcpserver.log" 2>&1 &
    started+=("$!")
    await_listening "$p_tcps"
fi
echo "2. accept mode: connect, send a line, read the echo, close (/usr/bin/head -n 1 per connection)"
printf '%-28s %-30s %10s %9s  %s\n' "contender" "run" "served" "conn/s" "failures"
declare -A rate
for run in "1|$connections|1" "8|$connections|8"; do
    IFS='|' read -r name n parallel <<< "$run"
    label="$parallel parallel"
    for contender in "Upshot accept|$p_echo" "systemd-socket-activate -a|$p_ssa_echo" "tcpserver|$p_tcps"; do
        [ "${contender#*|}" = "$p_tcps" ] && [ -z "$tcpserver" ] && continue
        out=$(bench throughput "${contender#*|}" "$n" "$parallel")
        rate["$name|${contender%%|*}"]=$(field "$out" rate)
        printf '%-28s %-30s %10s %9s  %s\n' "${contender%%|*}" "$label" "$(field "$out" served)/$n" \
            "$(field "$out" rate)" "$(field "$out" failures)$( [ "$(field "$out" stalled_after_ms)" = - ] ||
            echo ", stalled after $(field "$out" stalled_after_ms) ms")"
    done
    echo "  ratios: Upshot / systemd-socket-activate = $(ratio "${rate[$name|Upshot accept]}" "${rate[$name|systemd-socket-activate -a]}")${tcpserver:+; Upshot / tcpserver = $(ratio "${rate[$name|Upshot accept]}" "${rate[$name|tcpserver]}")}"
done
echo "load average: $(load)"
echo

# ---- 3. many clients during a cold start --------------------------------------------------------
echo "3. $clients clients connecting at once, each reading one line; $rounds rounds each"
printf '%-52s %14s %8s %8s  %s\n' "contender" "served" "refused" "other" "last served, ms: median (each round)"
contenders=("Upshot, cold (job stopped)" "Upshot, service already running" "systemd-socket-activate, cold")
declare -A served refused other times
for ((r = 0; r < rounds; r++)); do
    # round by round, contender after contender: a change in the machine's load hits all alike
    for contender in "${contenders[@]}"; do
        case $contender in
            "Upshot, cold"*) out=$(bench burst "$p_svc" "$clients" --stop "$ctl" svc) ;;
            "Upshot, service"*) out=$(bench burst "$p_svc" "$clients" --start "$ctl" svc) ;;
            *) out=$(bench burst "$p_ssa" "$clients" --spawn "$ssa" -l "127.0.0.1:$p_ssa" "$python" "$work/service.py") ;;
        esac
        served[$contender]=$(( ${served[$contender]:-0} + $(field "$out" served) ))
        refused[$contender]=$(( ${refused[$contender]:-0} + $(field "$out" refused) ))
        other[$contender]=$(( ${other[$contender]:-0} + $(field "$out" closed) + $(field "$out" timed_out) ))
        times[$contender]="${times[$contender]:-}${times[$contender]:+ }$(field "$out" last_ms)"
        connects="${connects:-}${connects:+ }$(field "$out" connects_ms)"
    done
done
declare -A last
for contender in "${contenders[@]}"; do
    last[$contender]=$(tr ' ' '\n' <<< "${times[$contender]}" | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }')
    printf '%-52s %14s %8s %8s  %s (%s)\n' "$contender" "${served[$contender]}/$((clients * rounds))" \
        "${refused[$contender]}" "${other[$contender]}" "${last[$contender]}" "${times[$contender]}"
done
echo "ratios of medians: Upshot cold / already running = $(ratio "${last[Upshot, cold (job stopped)]}" "${last[Upshot, service already running]}");" \
    "Upshot cold / systemd-socket-activate = $(ratio "${last[Upshot, cold (job stopped)]}" "${last[systemd-socket-activate, cold]}")"
echo "the client's own loop of $clients non-blocking connects took $(tr ' ' '\n' <<< "$connects" | sort -n |
    awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }') ms (median): no contender can finish sooner"
echo "load average: $(load) (at the start: $load_start)"
warnings=$(grep -E ' (WARN|ERROR) ' "$work/daemon.log" | sed -E 's/^[0-9:.]+ //' | sort | uniq -c || true)
[ -z "$warnings" ] || { echo "daemon warnings and errors (count, line):"; echo "$warnings"; }
