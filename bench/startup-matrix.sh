#!/bin/sh
# Start-up and idle memory of the assembled distribution: JDK 17 and 25, each without
# and with its class-data archive (bin/upshot train-cds). Median of RUNS (default 10).
#   bench/startup-matrix.sh [RUNS]
# Needs: mvn -o -q -B package -DskipTests (the distro and bench classes).
set -eu
cd "$(dirname "$0")/.."
runs=${1:-10}
distro=distro/target/upshot-0.1.0
ready='ready goal changed from stop to start'
for jdk in /usr/lib/jvm/java-17-openjdk-amd64 /usr/lib/jvm/temurin-25-jdk-amd64; do
    [ -x "$jdk/bin/java" ] || { echo "skipping $jdk: not installed"; continue; }
    JAVA=$jdk/bin/java "$distro/bin/upshot" train-cds
    for cds in off on; do
        echo "== $jdk, class-data archive $cds"
        UPSHOT_CDS=$cds java -cp bench/target/classes org.upshot.bench.StartupBench \
            "$distro" "$jdk/bin/java" "$runs" "$ready" | tail -n 1
    done
done
echo "load: $(cat /proc/loadavg)"
