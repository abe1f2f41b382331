#!/bin/sh
# Cold check-config: `ConfigTool check-config` on a confdir of generated job files, each
# run in a fresh JVM as bin/upshot runs it. Reports wall time and CPU time (user+sys,
# which a loaded machine disturbs less), medians of RUNS runs, for the default JVM flags
# and for -XX:TieredStopAtLevel=1 (C1 only, the usual choice for short-lived tools),
# with an empty JVM's start-up as the baseline from the same run.
#
#   bench/check-config-cold.sh [FILES=1000] [RUNS=5]
#
# Needs the class path built as in bench/README.md ("ParseBench" section) in $CP.
set -eu
FILES=${1:-1000}
RUNS=${2:-5}
: "${CP:?set CP as in bench/README.md}"
DIR=$(mktemp -d)
trap 'rm -rf "$DIR"' EXIT
java -cp "$CP" org.upshot.bench.ParseBench --generate "$DIR/confdir" "$FILES"
cat > "$DIR/Noop.java" <<'JAVA'
public class Noop { public static void main(String[] a) {} }
JAVA
javac -d "$DIR" "$DIR/Noop.java"

# measure LABEL COMMAND...: RUNS runs, prints "LABEL: wall W s, cpu C s (medians)".
measure() {
    label=$1
    shift
    : > "$DIR/times"
    i=0
    while [ "$i" -lt "$RUNS" ]; do
        /usr/bin/time -f "%e %U %S" -a -o "$DIR/times" "$@" > "$DIR/out-$label.txt"
        i=$((i + 1))
    done
    wall=$(awk '{ print $1 }' "$DIR/times" | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }')
    cpu=$(awk '{ print $2 + $3 }' "$DIR/times" | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }')
    printf '%-40s wall %s s, cpu %s s (medians of %d)\n' "$label" "$wall" "$cpu" "$RUNS"
}

measure "check-config $FILES files" java -cp "$CP" org.upshot.engine.internal.tools.ConfigTool \
    check-config --confdir "$DIR/confdir"
measure "check-config $FILES files, C1 only" java -XX:TieredStopAtLevel=1 -cp "$CP" \
    org.upshot.engine.internal.tools.ConfigTool check-config --confdir "$DIR/confdir"
measure "empty JVM (baseline)" java -cp "$DIR" Noop
echo "check-config printed $(cat "$DIR/out-check-config $FILES files.txt" | wc -l) lines (unknown events of the generated jobs)"
