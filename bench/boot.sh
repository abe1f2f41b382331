#!/bin/bash
# Boot and shutdown of five real daemons (bench/README.md, "Booting real daemons"): cron,
# dbus, nginx, rpcbind and xinetd, each way in a fresh PID and network namespace (lo up)
# with a /run of its own, RUNS times, interleaved:
#   upshot  bin/upshot --system as PID 1 with Ubuntu's job files for them, unchanged from
#           the corpus, and the distribution's boot jobs: from the launch to the five jobs
#           running (the daemon's log), and from `initctl poweroff` to PID 1's end;
#   sysv    their /etc/init.d scripts with start, one after another, from a shell as
#           PID 1: from the launch to the last script's return; then with stop, in
#           reverse order, to the shell's end;
#   s6      s6-svscan as PID 1 over a run script for each (the daemon in the foreground):
#           from the launch to s6-svwait -u seeing all five up; then from
#           s6-svscanctl -t to s6-svscan's end.
# Root only; needs cron dbus nginx rpcbind xinetd and s6 installed (apt-get install; a
# policy-rc.d keeps the daemons from starting on the host) and the shared corpus. Build first:
# mvn -o -B -q package -DskipTests. BOOT_BENCH_KEEP=1 keeps the work directory.
#
#   bench/boot.sh [RUNS=5]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
dist=$PWD/distro/target/upshot-0.1.0
corpus=${UPSHOT_SHARED_DIR:-/work/shared}/corpus/upstart-jobs
daemons=(cron dbus nginx rpcbind xinetd)
[ -x "$dist/bin/upshot" ] || { echo "boot.sh: build first: mvn -o -B -q package -DskipTests" >&2; exit 2; }
[ "$(id -u)" -eq 0 ] || { echo "boot.sh: needs root (namespaces)" >&2; exit 2; }

work=$(mktemp -d /tmp/upshot-boot-bench.XXXXXX)
netns=upshot-boot-bench-$$
cleanup() {
    ip netns del "$netns" 2>/dev/null || true
    if [ -n "${BOOT_BENCH_KEEP:-}" ]; then echo "kept: $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT

mkdir -p "$work/conf" "$work/no-rc"
for job in "${daemons[@]}" rpcbind-boot; do
    cp "$corpus/Bravedragon0313__RIng_api__etc_init_$job.conf" "$work/conf/$job.conf"
done

# s6's run scripts: each daemon in the foreground, its /run directory made first
mkdir -p "$work/s6"
runscript() {
    mkdir -p "$work/s6/$1"
    printf '#!/bin/sh\n%s\n' "$2" > "$work/s6/$1/run"
    chmod +x "$work/s6/$1/run"
}
runscript cron 'exec cron -f'
runscript dbus 'mkdir -p /run/dbus && chown messagebus:messagebus /run/dbus && exec dbus-daemon --system --nofork'
runscript nginx "exec nginx -g 'daemon off; master_process on;'"
runscript rpcbind 'mkdir -p /run/rpcbind && exec rpcbind -f -w'
runscript xinetd 'exec xinetd -dontfork -stayalive -pidfile /run/xinetd.pid'

ms() { echo $(( ($(date +%s%N) - $1) / 1000000 )); }
# the namespace for one run: a fresh network with lo up
fresh_netns() {
    ip netns del "$netns" 2>/dev/null || true
    ip netns add "$netns"
    ip -n "$netns" link set lo up
}
# runs "$@" as PID 1 of a PID namespace in it, with a /run of its own and the cgroup2
# file system ip netns exec's fresh /sys lacks (Upshot follows forking daemons through it)
in_namespace() {
    ip netns exec "$netns" unshare --pid --fork --mount-proc sh -c 'mount -t tmpfs -o mode=0755 bench-run /run &&
        { mountpoint -q /sys/fs/cgroup || mount -t cgroup2 cgroup2 /sys/fs/cgroup; } && exec "$0" "$@"' "$@"
}

upshot_run() {
    local run=$work/upshot-$1 start pid running
    mkdir -p "$run"
    fresh_netns
    start=$(date +%s%N)
    UPSHOT_RC_DIR=$work/no-rc in_namespace "$dist/bin/upshot" --system --debug --confdir "$work/conf" \
        --runtime-dir "$run/run" --log-dir "$run/log" </dev/null > "$run/daemon.log" 2>&1 &
    pid=$!
    # polling the daemon's log for the five jobs, not ordering anything
    until running=$(grep -cE "Job: ($(IFS='|'; echo "${daemons[*]}")) state changed from post-start to running" \
            "$run/daemon.log"); [ "$running" -ge ${#daemons[@]} ]; do
        kill -0 "$pid" 2>/dev/null || { echo "boot.sh: upshot died; $run/daemon.log" >&2; exit 1; }
        sleep 0.01
    done
    up=$(ms "$start")
    start=$(date +%s%N)
    UPSHOT_SOCKET=$run/run/control.sock "$dist/bin/initctl" poweroff
    wait "$pid" || true
    down=$(ms "$start")
    echo "upshot $up $down"
}

sysv_run() {
    local start pid
    fresh_netns
    start=$(date +%s%N)
    # the shell (PID 1) says "up" once every start script returned, then waits for "down"
    mkfifo "$work/up" "$work/down"
    in_namespace sh -c '
        for daemon in "$@"; do /etc/init.d/$daemon start >/dev/null; done
        echo up > '"$work/up"'
        read -r go < '"$work/down"'
        for daemon in $(printf "%s\n" "$@" | tac); do /etc/init.d/$daemon stop >/dev/null; done
    ' sysv "${daemons[@]}" > "$work/sysv.log" 2>&1 &
    pid=$!
    read -r _ < "$work/up"
    up=$(ms "$start")
    start=$(date +%s%N)
    echo go > "$work/down"
    wait "$pid" || true
    down=$(ms "$start")
    rm -f "$work/up" "$work/down"
    echo "sysv $up $down"
}

s6_run() {
    local scan=$work/scan start pid
    rm -rf "$scan"
    cp -R "$work/s6" "$scan"
    fresh_netns
    start=$(date +%s%N)
    in_namespace s6-svscan "$scan" </dev/null > "$work/s6.log" 2>&1 &
    pid=$!
    # s6-svwait fails until s6-svscan has made the supervise directories: polled
    until s6-svwait -u -t 100 "${daemons[@]/#/$scan/}" 2>/dev/null; do
        kill -0 "$pid" 2>/dev/null || { echo "boot.sh: s6-svscan died; $work/s6.log" >&2; exit 1; }
        sleep 0.01
    done
    up=$(ms "$start")
    start=$(date +%s%N)
    s6-svscanctl -t "$scan"
    wait "$pid" || true
    down=$(ms "$start")
    echo "s6 $up $down"
}

for ((i = 0; i < runs; i++)); do
    upshot_run "$i"
    sysv_run
    s6_run
done | tee "$work/results"
awk '{ up[$1] = up[$1] " " $2; down[$1] = down[$1] " " $3 }
     END { for (way in up) printf "%-7s boot ms:%s   shutdown ms:%s\n", way, up[way], down[way] }' "$work/results"
