#!/bin/sh
# Records kernel-bundle's exported API as the baseline that `mvn verify` checks against
# (bnd-baseline-maven-plugin; ../README.md tells when to do it).
#
#   kernel-bundle/api-baseline/refresh.sh [VERSION]
#
# Builds kernel-bundle, keeps only what baselining reads (the manifest headers naming the
# bundle and its exports, and the classes of the exported packages), stores that here in
# Maven's repository layout as org.upshot:kernel-bundle:VERSION in place of the previous
# baseline, and points upshot.api.baseline in kernel-bundle/pom.xml at it. VERSION
# defaults to the next <project version>-apiN. Always a new version, never the old one
# rewritten: Maven keeps what it resolved from here in ~/.m2 and would go on using that.
# MVN overrides the Maven command (MVN="mvn -o" builds offline).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
module=$(dirname "$here")
pom=$module/pom.xml

current=$(sed -n 's:.*<upshot.api.baseline>\(.*\)</upshot.api.baseline>.*:\1:p' "$pom")
project=$(sed -n 's:.*<parent>.*<version>\(.*\)</version></parent>.*:\1:p' "$pom")
if [ -z "$current" ] || [ -z "$project" ]; then
    echo "refresh.sh: cannot read upshot.api.baseline and the parent version from $pom" >&2
    exit 2
fi
n=$(printf '%s\n' "$current" | sed -n "s/^$project-api\([0-9][0-9]*\)\$/\1/p")
version=${1:-$project-api$((${n:-0} + 1))}
if [ -e "$here/org/upshot/kernel-bundle/$version" ]; then
    echo "refresh.sh: baseline $version exists already; pick a new version" >&2
    exit 2
fi

${MVN:-mvn} -B -q -f "$module/../pom.xml" -pl kernel-bundle package -DskipTests
jar=$module/target/kernel-bundle-$project.jar

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir "$work/all" "$work/api"
(cd "$work/all" && jar --extract --file "$jar")

# The manifest keeps Bundle-SymbolicName, Bundle-Version and Export-Package (with their
# continuation lines, which start with a space); the differ reads nothing else from it.
awk '/^ / { if (keep) print; next }
     { keep = $0 ~ /^(Manifest-Version|Created-By|Bundle-ManifestVersion|Bundle-SymbolicName|Bundle-Version|Export-Package):/
       if (keep) print }' "$work/all/META-INF/MANIFEST.MF" | tr -d '\r' > "$work/MANIFEST.MF"

# Export-Package unfolded, quoted values (uses:="a,b" holds commas) dropped, one name a line.
packages=$(awk '/^ / { sub(/^ /, ""); printf "%s", $0; next } { printf "\n%s", $0 } END { print "" }' \
        "$work/MANIFEST.MF" | sed -n 's/^Export-Package: //p' | sed 's/"[^"]*"//g' |
    tr ',' '\n' | cut -d';' -f1)
for p in $packages; do
    dir=$(printf '%s' "$p" | tr . /)
    mkdir -p "$work/api/$dir"
    find "$work/all/$dir" -maxdepth 1 -type f -name '*.class' -exec cp {} "$work/api/$dir/" \;
done

# The last commit that changed the kernel's sources, marked when they have changed since.
commit=$(git -C "$module" log -1 --format=%h -- src 2>/dev/null || echo unknown)
if [ -n "$(git -C "$module" status --porcelain -- src 2>/dev/null)" ]; then
    commit="$commit with uncommitted changes"
fi
out=$work/kernel-bundle-$version.jar
# A fixed date and a sorted file list: the same API gives the same bytes.
(cd "$work/api" && find org -type f | LC_ALL=C sort > "$work/files" &&
    jar --create --date=2000-01-01T00:00:00Z --file "$out" --manifest "$work/MANIFEST.MF" @"$work/files")
cat > "$work/kernel-bundle-$version.pom" <<EOF
<?xml version="1.0" encoding="UTF-8"?>
<!-- Written by kernel-bundle/api-baseline/refresh.sh: the API baseline, not a build. -->
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>org.upshot</groupId>
  <artifactId>kernel-bundle</artifactId>
  <version>$version</version>
  <description>Exported API of kernel-bundle $project recorded from commit $commit (manifest and exported classes only)</description>
</project>
EOF

rm -rf "$here/org"
dest=$here/org/upshot/kernel-bundle/$version
mkdir -p "$dest"
for f in "$out" "$work/kernel-bundle-$version.pom"; do
    cp "$f" "$dest/"
    sha1sum < "$f" | cut -d' ' -f1 > "$dest/$(basename "$f").sha1"
done
sed -i "s:<upshot.api.baseline>$current</upshot.api.baseline>:<upshot.api.baseline>$version</upshot.api.baseline>:" "$pom"

echo "API baseline $current -> $version (from $commit):"
awk '/^ / { sub(/^ /, ""); printf "%s", $0; next } { printf "\n%s", $0 } END { print "" }' \
    "$work/MANIFEST.MF" | sed -n 's/^Export-Package: //p' | sed 's/;uses:="[^"]*"//g' | tr ',' '\n' | sed 's/^/  /'
