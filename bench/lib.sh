# Helpers shared by the bench scripts that turn a harness's RESULT lines into tables;
# sourced, not run: . "$(dirname "$0")/lib.sh"

# $2's value in the RESULT line $1.
field() { sed -n "s/.* $2=\([^ ]*\).*/\1/p" <<< " $1"; }
# $1 / $2 to two decimals, "-" when $2 is not positive.
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else printf "-" }'; }
# The 1-, 5- and 15-minute load averages.
load() { cut -d' ' -f1-3 /proc/loadavg; }
