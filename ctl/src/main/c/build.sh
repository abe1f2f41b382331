#!/bin/sh
# Compiles unixsocket.c into OUT/linux-ARCH/libupshot-ctl.so for initctl
# (org.upshot.ctl.NativeUnixChannel); called by the build (ctl/pom.xml) with the JDK's
# home, the output directory and the JVM's os.arch. Without a C compiler or the JDK's
# jni.h it says so and makes nothing: initctl then uses the JDK's Unix sockets, only
# slower to start.
#   build.sh JAVA_HOME OUT ARCH
set -eu
java_home=$1
out=$2/linux-$3
here=$(cd "$(dirname "$0")" && pwd)
cc=${CC:-cc}
if ! command -v "$cc" >/dev/null 2>&1; then
    echo "ctl: no C compiler ($cc; apt-get install gcc): initctl will use the JDK's Unix sockets, slower to start" >&2
    exit 0
fi
if [ ! -r "$java_home/include/jni.h" ]; then
    echo "ctl: no $java_home/include/jni.h (a JRE, not a JDK?): initctl will use the JDK's Unix sockets" >&2
    exit 0
fi
mkdir -p "$out"
"$cc" -O2 -Wall -Wextra -Wno-unused-parameter -shared -fPIC -I"$java_home/include" -I"$java_home/include/linux" \
    -o "$out/libupshot-ctl.so" "$here/unixsocket.c"
