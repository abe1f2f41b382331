#!/bin/bash
# bench/peers.sh [OUTDIR] — Upshot beside s6, runit and supervisord in the shared peer kit
# (../shared/peer-bench), one interleaved run, and the ratios issue 18 asks for.
#
# Builds the distribution if distro/target/upshot-0.1.0 is missing, installs the peers if
# missing (apt-get), then runs the kit's run_all.sh with peers/upshot.sh beside the others:
# W1 (raw posix_spawn, the floor), W2/W3 (bring-up, stop all, start all, shutdown, memory of
# N services), W4 (one service's stop+start), W5 (a job crashing in a loop). The kit is used
# in place; it writes its helpers to ./bin, so it is run through a directory of links under
# /tmp whose bin/ is our own (the shared kit stays untouched). Knobs, passed on to the kit:
# RUNS (3), N_LIST (1000), ONLY ("w1 w2 w4 w5"), W4_REPS (20), W5_SECS (10), PEERS, JRUNS (1:
# W1 also times the JVM's ProcessBuilder; JAVA=0 would skip it but also hide java from bin/upshot).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
KIT=${PEER_KIT:-$ROOT/../shared/peer-bench}
KIT=$(cd "$KIT" && pwd)
DIST=${UPSHOT_DIST:-$ROOT/distro/target/upshot-0.1.0}
OUT=${1:-$(mktemp -d /tmp/upshot-peers.XXXXXX)}
. "$ROOT/bench/lib.sh"

if [ ! -x "$DIST/bin/upshot" ]; then
    echo "peers.sh: building the distribution" >&2
    (cd "$ROOT" && mvn -o -B -q package -DskipTests -pl distro -am)
fi
DIST=$(cd "$DIST" && pwd)

missing=()
for tool in s6-svscan execlineb runsvdir supervisord gcc socat; do
    command -v "$tool" >/dev/null || missing+=("$tool")
done
if [ ${#missing[@]} -gt 0 ]; then
    echo "peers.sh: installing the peers (missing: ${missing[*]})" >&2
    packages=(s6 execline runit supervisor gcc socat)
    apt-get install -y --no-install-recommends "${packages[@]}" >&2 ||
        { apt-get update -q >&2 && apt-get install -y --no-install-recommends "${packages[@]}" >&2; }
fi

# The kit's scripts find their helpers in KIT/bin, next to themselves: link everything
# but bin into a directory of our own, and let build.sh fill its bin/.
SHADOW=$(mktemp -d /tmp/upshot-peer-kit.XXXXXX)
trap 'rm -rf "$SHADOW"' EXIT
for entry in "$KIT"/* "$KIT"/.gitignore; do
    [ "$(basename "$entry")" = bin ] || ln -s "$entry" "$SHADOW/$(basename "$entry")"
done
"$SHADOW/build.sh" >&2

mkdir -p "$OUT"
echo "peers.sh: results in $OUT (load $(load))" >&2
UPSHOT_DIST=$DIST RUNS=${RUNS:-3} N_LIST=${N_LIST:-1000} ONLY=${ONLY:-"w1 w2 w4 w5"} JRUNS=${JRUNS:-1} \
    PEERS=${PEERS:-"s6 runit supervisord upshot"} "$SHADOW/run_all.sh" "$OUT" >/dev/null

# ---- the ratios ------------------------------------------------------------------------
median() { sort -g | awk '{a[NR]=$1} END { if (!NR) print "-"; else if (NR%2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2 }'; }
# per-run values of KEY for PEER in W2/W3 at N services, as "run value" lines
runs_of() { grep "^RESULT $1 $2 n=$3 " "$OUT/w2.txt" | while read -r line; do
    echo "$(field "$line" run) $(field "$line" "$4")"; done; }
# the median over runs of PEER's KEY divided by BASE's KEY in the same run
per_run_ratio() { join <(runs_of W2 "$1" "$3" "$4" | sort) <(runs_of W2 "$2" "$3" "$4" | sort) |
    awk '$2 != "NA" && $3 != "NA" && $3 > 0 { printf "%.2f\n", $2 / $3 }' | median; }
value_median() { runs_of "$1" "$2" "$3" "$4" | awk '$2 != "NA" {print $2}' | median; }
summary_field() { field "$(grep "^SUMMARY $1 $2 $3 " "$OUT/$4" | head -1)" "$5"; }
result_field() { field "$(grep "^RESULT $1 $2 " "$OUT/$3" | head -1)" "$4"; }

# The kit's floor execs /bin/true; every service here execs /bin/sh, which execs sleep.
# So also time that chain alone (sleep 0, exiting at once), two in flight from a small C
# program: what no supervisor can go under on this machine. Median of three, ms.
chain_floor_ms() {
    local script=$SHADOW/chain.sh i
    printf '#!/bin/sh\nexec sleep 0\n' > "$script"; chmod +x "$script"
    for i in 1 2 3; do
        "$SHADOW/bin/spawnbench" -n "$1" -j 2 -p "$script" spawn | tail -1 | awk '{ printf "%.0f\n", $5 * 1000 }'
    done | median
}

floor_rate=$(summary_field W1 c-spawn j=2 w1.txt spawns_per_s)
serial_rate=$(summary_field W1 c-spawn j=1 w1.txt spawns_per_s)
echo
echo "## Upshot beside the peers ($(date -u +%FT%TZ), load at end $(load))"
echo
echo "raw posix_spawn: ${serial_rate:--}/s one at a time, ${floor_rate:--}/s two in flight (the floor)"
for n in ${N_LIST:-1000}; do
    floor_ms=$(awk -v n="$n" -v r="${floor_rate:-0}" 'BEGIN { if (r > 0) printf "%.0f", n / r * 1000; else print 0 }')
    echo
    echo "### $n services (median of per-run values; ratios taken run by run)"
    echo
    echo "| peer | bring-up ms | stop all ms | start all ms | shutdown ms | PSS MB | processes |"
    echo "|---|---|---|---|---|---|---|"
    for p in ${PEERS:-s6 runit supervisord upshot}; do
        echo "| $p | $(value_median W2 "$p" "$n" up_ms) | $(value_median W2 "$p" "$n" stop_all_ms)" \
             "| $(value_median W2 "$p" "$n" start_all_ms) | $(value_median W2 "$p" "$n" shutdown_ms)" \
             "| $(awk -v k="$(value_median W3 "$p" "$n" pss_kb)" 'BEGIN { printf "%.1f", k / 1024 }')" \
             "| $(value_median W3 "$p" "$n" sup_procs) |"
    done
    echo
    echo "- bring-up, Upshot ÷ s6: $(per_run_ratio upshot s6 "$n" up_ms) (goal ≤ 0.5)"
    echo "- start all, Upshot ÷ s6: $(per_run_ratio upshot s6 "$n" start_all_ms) (goal ≤ 0.5)"
    echo "- start all, Upshot ÷ the two-in-flight floor ($floor_ms ms for $n): $(ratio "$(value_median W2 upshot "$n" start_all_ms)" "$floor_ms") (goal ≤ 1.2)"
    echo "- bring-up, Upshot ÷ the floor: $(ratio "$(value_median W2 upshot "$n" up_ms)" "$floor_ms")"
    chain_ms=$(chain_floor_ms "$n")
    echo "- the services' own exec chain (sh, then sleep) spawned two in flight from C: $chain_ms ms for $n;" \
         "start all ÷ it: Upshot $(ratio "$(value_median W2 upshot "$n" start_all_ms)" "$chain_ms")," \
         "s6 $(ratio "$(value_median W2 s6 "$n" start_all_ms)" "$chain_ms")"
    echo "- memory, Upshot PSS ÷ s6 PSS: $(ratio "$(value_median W3 upshot "$n" pss_kb)" "$(value_median W3 s6 "$n" pss_kb)") (goal ≤ 48 MB)"
done
if [ -s "$OUT/w4.txt" ]; then
    s6_cycle=$(summary_field W4 s6 variant=cli w4.txt roundtrip_ms)
    socat_cycle=$(summary_field W4 upshot variant=socat w4.txt roundtrip_ms)
    initctl_cycle=$(summary_field W4 upshot variant=cli w4.txt roundtrip_ms)
    echo
    echo "### W4: stop+start of one service, median ms"
    echo
    echo "- s6-svc/s6-svwait: ${s6_cycle:--}; Upshot over socat: ${socat_cycle:--}; Upshot with initctl: ${initctl_cycle:--}"
    echo "- socat ÷ s6: $(ratio "${socat_cycle:-0}" "${s6_cycle:-0}") (goal ≤ 1.0)"
fi
if [ -s "$OUT/w5.txt" ]; then
    echo
    echo "### W5: a job that exits at once, respawned for ${W5_SECS:-10} s"
    echo
    echo "| peer | restarts/s | daemon CPU % | CPU ms per restart |"
    echo "|---|---|---|---|"
    for p in ${PEERS:-s6 runit supervisord upshot}; do
        rate=$(result_field W5 "$p" w5.txt rate_per_s); cpu=$(result_field W5 "$p" w5.txt sup_cpu_pct)
        echo "| $p | ${rate:--} | ${cpu:--} | $(awk -v c="${cpu:-0}" -v r="${rate:-0}" 'BEGIN { if (r > 0) printf "%.2f", c * 10 / r; else print "-" }') |"
    done
fi
echo
echo "raw files: $OUT"
