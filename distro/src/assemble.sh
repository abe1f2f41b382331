#!/bin/sh
# Builds the distribution directory and tarball from the jars staged by
# maven-dependency-plugin. Called by exec-maven-plugin in the package phase:
#   assemble.sh TARGET_DIR NAME VERSION JAVA_HOME MAN_SKIP DEB_SKIP
set -eu
target=$1
name=$2
version=$3
java_home=$4
man_skip=${5:-false}
deb_skip=${6:-false}
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
dist=$target/$name

rm -rf "$dist" "$target/$name.tar.gz"
mkdir -p "$dist/bin" "$dist/lib" "$dist/bundle" "$dist/plugins" "$dist/etc" "$dist/examples"

cp "$target/stage/lib/"*.jar "$dist/lib/"
cp "$target/upshot-launcher.jar" "$dist/lib/"
cp "$target/stage/bundle/"*.jar "$dist/bundle/"
cp "$target/stage/plugins/"*.jar "$dist/plugins/"
cp -R "$here/dist/etc/." "$dist/etc/"
# the boot and shutdown jobs a system daemon loads after its confdirs (--no-default-jobs),
# ifupdown's hook, which the Debian package links into /etc/network, and Upstart's
# helpers that job files and init.d links call, which it links into /lib/init
mkdir -p "$dist/init" "$dist/lib/ifupdown" "$dist/lib/init"
cp "$here/dist/init/"*.conf "$dist/init/"
cp "$here/dist/lib/ifupdown/upshot" "$dist/lib/ifupdown/upshot"
cp "$here/dist/lib/init/upstart-job" "$here/dist/lib/init/apparmor-profile-load" "$dist/lib/init/"
# which java bin/upshot and bin/initctl run, and its version: one file both source
cp "$here/dist/lib/java.sh" "$dist/lib/java.sh"
chmod 0755 "$dist/lib/ifupdown/upshot" "$dist/lib/init/upstart-job" "$dist/lib/init/apparmor-profile-load"
if [ -d "$repo/examples/jobs" ]; then
    cp -R "$repo/examples/jobs/." "$dist/examples/"
fi
echo "$version" > "$dist/lib/VERSION"

for script in "$here/dist/bin/"*; do
    cp "$script" "$dist/bin/"
    chmod 0755 "$dist/bin/$(basename "$script")"
done
# initctl's aliases, as Upstart installs them; shutdown's, as sysvinit does.
if [ -f "$dist/bin/initctl" ]; then
    for alias in start stop restart reload status emit; do
        ln -sf initctl "$dist/bin/$alias"
    done
fi
for alias in reboot halt poweroff; do
    ln -sf shutdown "$dist/bin/$alias"
done

# initctl's native socket (ctl/src/main/c), built by the ctl module where a C compiler
# was found; without it initctl uses the JDK's Unix sockets, only slower to start.
if [ -d "$repo/ctl/target/native" ]; then
    mkdir -p "$dist/lib/native"
    cp -R "$repo/ctl/target/native/." "$dist/lib/native/"
fi

# initctl graph's built-in layout (Eclipse ELK and what it needs): off initctl's class
# path, loaded by initctl only for SVG without Graphviz; without Eclipse's jar signatures,
# whose checking cost a third of the layout's start-up (UnsignJars.java).
mkdir -p "$dist/lib/graph"
cp "$target/stage/graph/"*.jar "$dist/lib/graph/"
"$java_home/bin/java" "$here/UnsignJars.java" "$dist/lib/graph/"*.jar

# Bash completion for initctl and its aliases; a link per alias lets bash-completion's
# on-demand loader find it by any of the names.
completions=share/bash-completion/completions
mkdir -p "$dist/$completions"
cp "$here/dist/$completions/initctl" "$dist/$completions/initctl"
for alias in start stop restart reload status emit; do
    ln -sf initctl "$dist/$completions/$alias"
done

# The system bus policy of the D-Bus plugin (owning org.freedesktop.systemd1 and
# com.ubuntu.Upstart as root).
mkdir -p "$dist/share/dbus-1/system.d"
cp "$here/dist/share/dbus-1/system.d/"*.conf "$dist/share/dbus-1/system.d/"

# share/man/man5, man8 from src/man/*.md (pandoc), unless -Dupshot.man.skip=true.
sh "$here/man/build.sh" "$dist" "$version" "$man_skip"

# Fresh tree: stage/ may hold jars of earlier builds under other versions.
rm -rf "$target/stage"

# The packages of lib/'s jars that the system bundle exports, read from the jars once
# here rather than at every boot (FrameworkProperties).
"$java_home/bin/java" -cp "$dist/lib/upshot-launcher.jar" org.upshot.launcher.FrameworkProperties \
    "$dist/lib/system-packages"

# The class-data archive for the JVM that builds (see bin/upshot train-cds); a start
# without it is only slower, so a failed training run is a warning.
if ! JAVA="$java_home/bin/java" "$dist/bin/upshot" train-cds >/dev/null; then
    echo "assemble.sh: warning: no class-data archive for $java_home" >&2
fi
tar -C "$target" -czf "$target/$name.tar.gz" "$name"

# upshot_VERSION_all.deb (src/deb), unless -Dupshot.deb.skip=true.
sh "$here/deb/build-deb.sh" "$dist" "$target" "$version" "$deb_skip"
