#!/bin/sh
# Builds upshot_VERSION_all.deb from the distribution directory with dpkg-deb
# (Debian's own tool, in every Debian system; no Maven plugin needed). Called by
# assemble.sh:  build-deb.sh DIST TARGET VERSION SKIP
# SKIP=true (mvn -Dupshot.deb.skip=true) leaves the package out with a warning; otherwise
# a missing dpkg-deb fails the build.
#
# Layout (README, "The Debian package"):
#   /usr/lib/upshot/          the distribution; its etc/ is a link to /etc/upshot
#   /etc/upshot/jvm.options   the JVM flags, a conffile
#   /usr/bin/upshot, /usr/bin/upshot-initctl   links into it: never /sbin/init, never initctl
#   /usr/share/man/man5/upshot-job.5.gz, man8/upshot.8.gz, man8/upshot-initctl.8.gz
#   /usr/share/bash-completion/completions/upshot-initctl (when share/ has one for initctl)
#   /usr/share/dbus-1/system.d/org.upshot.conf, the D-Bus plugin's system bus policy
#   /etc/network/if-up.d/upshot, if-down.d/upshot   links to ifupdown's hook in lib/ifupdown
#   /lib/init/upstart-job, /lib/init/apparmor-profile-load   links to lib/init's helpers
set -eu
dist=$1
target=$2
version=$3
skip=$4
here=$(cd "$(dirname "$0")" && pwd)
deb=$target/upshot_${version}_all.deb

if [ "$skip" = true ]; then
    echo "deb: warning: skipped (-Dupshot.deb.skip=true)" >&2
    exit 0
fi
if ! command -v dpkg-deb >/dev/null 2>&1; then
    echo "deb: dpkg-deb not found (it comes with Debian's dpkg): build on Debian," \
        "or with -Dupshot.deb.skip=true to leave the package out" >&2
    exit 1
fi

root=$target/deb-root
rm -rf "$root" "$deb"
mkdir -p "$root/DEBIAN" "$root/usr/lib/upshot" "$root/usr/bin" "$root/etc/upshot" \
    "$root/usr/share/man/man5" "$root/usr/share/man/man8" "$root/usr/share/doc/upshot"

cp -R "$dist/." "$root/usr/lib/upshot/"
mv "$root/usr/lib/upshot/etc/"* "$root/etc/upshot/"
rmdir "$root/usr/lib/upshot/etc"
ln -s /etc/upshot "$root/usr/lib/upshot/etc"
# the build machine's class-data archive: another JVM build refuses it; train-cds makes one
rm -rf "$root/usr/lib/upshot/lib/cds"
ln -s ../lib/upshot/bin/upshot "$root/usr/bin/upshot"
ln -s ../lib/upshot/bin/initctl "$root/usr/bin/upshot-initctl"
# ifupdown runs the hook after an interface is up and before it goes down; it does
# nothing unless the system daemon runs
mkdir -p "$root/etc/network/if-up.d" "$root/etc/network/if-down.d"
ln -s /usr/lib/upshot/lib/ifupdown/upshot "$root/etc/network/if-up.d/upshot"
ln -s /usr/lib/upshot/lib/ifupdown/upshot "$root/etc/network/if-down.d/upshot"
# the Upstart-era helpers real job files and init.d links call, owned by no Debian package
mkdir -p "$root/lib/init"
ln -s /usr/lib/upshot/lib/init/upstart-job "$root/lib/init/upstart-job"
ln -s /usr/lib/upshot/lib/init/apparmor-profile-load "$root/lib/init/apparmor-profile-load"

if [ -d "$dist/share/man" ]; then
    gzip -9nc "$dist/share/man/man5/upshot-job.5" > "$root/usr/share/man/man5/upshot-job.5.gz"
    gzip -9nc "$dist/share/man/man8/upshot.8" > "$root/usr/share/man/man8/upshot.8.gz"
    # initctl(8) is Upstart's page: the package's client is upshot-initctl
    gzip -9nc "$dist/share/man/man8/initctl.8" > "$root/usr/share/man/man8/upshot-initctl.8.gz"
fi
# only upshot-initctl's: start, stop, status... belong to whoever owns those commands
completion=$dist/share/bash-completion/completions/initctl
if [ -f "$completion" ]; then
    mkdir -p "$root/usr/share/bash-completion/completions"
    cp "$completion" "$root/usr/share/bash-completion/completions/upshot-initctl"
fi
cp "$here/../../../README.md" "$root/usr/share/doc/upshot/README.md" 2>/dev/null || true
if [ -d "$dist/share/dbus-1/system.d" ]; then
    mkdir -p "$root/usr/share/dbus-1/system.d"
    cp "$dist/share/dbus-1/system.d/"*.conf "$root/usr/share/dbus-1/system.d/"
fi

size=$(du -sk --exclude=DEBIAN "$root" | cut -f1)
sed -e "s/@VERSION@/$version/" -e "s/@SIZE@/$size/" "$here/control" > "$root/DEBIAN/control"
echo /etc/upshot/jvm.options > "$root/DEBIAN/conffiles"
cp "$here/postrm" "$root/DEBIAN/postrm"
chmod 0755 "$root/DEBIAN/postrm"
find "$root" -type d -exec chmod 0755 {} +

dpkg-deb --root-owner-group -Zxz --build "$root" "$deb" >/dev/null
rm -rf "$root"
echo "deb: wrote $deb"
