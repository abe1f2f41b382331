#!/bin/bash
# Control-path benchmarks: initctl against a warm daemon (JDK 17 and 25, with and
# without a client CDS archive), socat speaking the protocol, and the daemon-side
# stop+start cycle. See bench/README.md. Run from anywhere after
#   mvn -o -q -pl bench -am package -DskipTests
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
here=$root/bench/control
N=${N:-30}
JDK17=${JDK17:-/usr/lib/jvm/java-17-openjdk-amd64}
JDK25=${JDK25:-/usr/lib/jvm/temurin-25-jdk-amd64}
work=$(mktemp -d /tmp/upshot-ctl-bench.XXXXXX)
daemon=
cleanup() {
    exec 3>&- 2>/dev/null || true
    [ -n "$daemon" ] && wait "$daemon" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

(cd "$root" && mvn -o -q -B -pl bench -am package dependency:build-classpath -DskipTests \
    -Dmdep.outputFile="$work/cp.txt" >/dev/null)
cp="$(cat "$work/cp.txt"):$root/bench/target/bench-0.1.0.jar"

# A distribution-shaped client: bin/initctl + alias links, lib/ctl.jar, lib/kernel-bundle.jar.
mkdir -p "$work/dist/bin" "$work/dist/lib" "$work/conf"
cp "$root/distro/src/dist/bin/initctl" "$work/dist/bin/initctl"
for alias in start stop restart reload status emit; do ln -s initctl "$work/dist/bin/$alias"; done
cp "$root/ctl/target/ctl-0.1.0.jar" "$work/dist/lib/ctl.jar"
cp "$root/kernel-bundle/target/kernel-bundle-0.1.0.jar" "$work/dist/lib/kernel-bundle.jar"
echo "exec sleep 1000000" > "$work/conf/svc.conf"

mkfifo "$work/stdin"
"$JDK17/bin/java" -XX:+UseSerialGC -cp "$cp" org.upshot.bench.control.ControlBenchDaemon \
    "$work/conf" "$work/run" < "$work/stdin" > "$work/daemon.out" 2>&1 &
daemon=$!
exec 3> "$work/stdin"
for _ in $(seq 200); do grep -q '^ready' "$work/daemon.out" 2>/dev/null && break; sleep 0.05; done
grep -q '^ready' "$work/daemon.out" || { cat "$work/daemon.out"; exit 1; }
sock=$work/run/control.sock
export UPSHOT_SOCKET=$sock
req() { printf '{"v":1,"id":1,"cmd":"%s","job":"svc"}' "$1"; }
printf '%s\n' "$(req start)" | socat - "UNIX-CONNECT:$sock" >/dev/null

echo "# $(date -u +%FT%TZ) $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg)"
"$JDK17/bin/java" -cp "$cp" org.upshot.bench.control.ControlRoundTrip "$sock" svc "$N"
m() { "$here/measure.py" "$@"; }
m "socat: status round trip" "$N" sh -c "printf '%s\n' '$(req status)' | socat - UNIX-CONNECT:$sock"
m "socat: stop+start cycle (one connection, in order)" "$N" \
    sh -c "printf '%s\n%s\n' '$(req stop)' '$(req start)' | socat - UNIX-CONNECT:$sock"

# The client archive bin/initctl looks for: per JVM build, a dynamic CDS archive before
# JDK 25, an AOT cache from 25 on (bin/upshot train-cds makes the same in a distribution).
mkdir -p "$work/dist/lib/cds"
for jdk in "$JDK17" "$JDK25"; do
    v=$("$jdk/bin/java" -version 2>&1 | head -1 | cut -d'"' -f2)
    rv=$(sed -n 's/^JAVA_RUNTIME_VERSION="\(.*\)"/\1/p' "$jdk/release")
    export UPSHOT_JAVA=$jdk/bin/java
    case $v in
        1[0-9].* | 2[0-4].*)
            archive=$work/dist/lib/cds/initctl-$rv.jsa kind="client CDS archive"
            make="-XX:ArchiveClassesAtExit=$archive -Xlog:cds=off -Xlog:cds+dynamic=off" ;;
        *)
            archive=$work/dist/lib/cds/initctl-$rv.aot kind="client AOT cache"
            make="-XX:AOTCacheOutput=$archive -Xlog:aot=off -Xlog:cds=off" ;;
    esac
    rm -f "$archive"
    m "JDK $v: initctl status svc (default CDS)" "$N" "$work/dist/bin/status" svc
    UPSHOT_JAVA_OPTS="$make" "$work/dist/bin/status" svc >/dev/null 2>&1
    [ -f "$archive" ] || { echo "run.sh: no archive made for JDK $v" >&2; exit 1; }
    m "JDK $v: initctl status svc ($kind)" "$N" "$work/dist/bin/status" svc
    m "JDK $v: stop svc && start svc ($kind)" "$N" \
        sh -c "'$work/dist/bin/stop' svc && '$work/dist/bin/start' svc"
done
unset UPSHOT_JAVA
echo "# baseline: a JVM that does nothing (JDK 17, same flags, default CDS)"
cat > "$work/Nop.java" <<'JAVA'
public class Nop { public static void main(String[] a) { } }
JAVA
"$JDK17/bin/javac" -d "$work" "$work/Nop.java"
m "JDK 17: empty main, initctl's flags" "$N" "$JDK17/bin/java" -XX:TieredStopAtLevel=1 -XX:+UseSerialGC \
    -Xss512k -Xmx32m -XX:-UsePerfData -Xshare:auto -cp "$work" Nop
