#!/bin/sh
# Builds the man pages (NAME.SECTION.md, pandoc's Markdown) into DIST/share/man/manSECTION/.
# Called by assemble.sh:  build.sh DIST VERSION SKIP
# SKIP=true (mvn -Dupshot.man.skip=true) leaves them out with a warning; otherwise a
# missing pandoc fails the build, saying how to get it.
set -eu
dist=$1
version=$2
skip=$3
here=$(cd "$(dirname "$0")" && pwd)

if [ "$skip" = true ]; then
    echo "man pages: warning: skipped (-Dupshot.man.skip=true); the distribution has no share/man" >&2
    exit 0
fi
if ! command -v pandoc >/dev/null 2>&1; then
    echo "man pages: pandoc not found: apt-get install pandoc (./run-tests does as root)," \
        "or build with -Dupshot.man.skip=true to leave the man pages out" >&2
    exit 1
fi
for page in "$here"/*.md; do
    name=$(basename "$page" .md)         # upshot-job.5
    section=${name##*.}
    mkdir -p "$dist/share/man/man$section"
    pandoc --standalone --from markdown --to man --metadata footer="upshot $version" \
        --metadata date="$(date -u -d "@${SOURCE_DATE_EPOCH:-$(stat -c %Y "$page")}" +%Y-%m-%d)" \
        "$page" --output "$dist/share/man/man$section/$name"
done
