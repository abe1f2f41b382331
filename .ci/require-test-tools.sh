# Sourced by ./run-tests: the Debian packages the tests use, installed when missing if run
# as root (as CI does); otherwise it says which are missing, and the tests that need them
# skip, saying why. gcc and libc6-dev (the ctl module compiles initctl's native socket,
# ctl/src/main/c), iproute2 (veth links for udev tests), dbus (dbus-daemon, and dbus-send as
# a real client in SocketDaemonsIT), socat, util-linux (unshare for PID-namespace tests),
# procps, openssh-server and openssh-client (sshd -i behind an accepting socket, ssh-keygen
# and ssh-keyscan in SocketDaemonsIT; sshd -D speaking sd_notify in NotifyIT), python3 (the
# LISTEN_FDS and UPSTART_FDS services and a client in SocketActivationIT, an abstract-socket
# client in source-socket's tests, sd_notify senders), curl (a client in
# SocketActivationIT), systemd (only for systemd-notify in NotifyIT; nothing of it runs),
# graphviz (dot lays out initctl graph's SVG and checks its DOT in GraphIT), chromium
# (headless: GraphIT and BootChartIT screenshot their SVGs and read their DOM, to show a real
# browser draws them), pandoc (the build makes the man pages from distro/src/man;
# -Dupshot.man.skip=true builds without) and man-db (ManPagesIT reads one with man -l),
# dbus-tests (dbus-test-tool echo, a packaged service run unmodified under D-Bus activation
# in DbusActivationIT), python3-dbus and python3-gi (a python D-Bus service), acpid,
# avahi-daemon, cron, nginx, rpcbind and xinetd (UbuntuJobsBootIT boots them from Ubuntu's
# own job files, as PID 1 of a namespace).
test_packages="gcc libc6-dev iproute2 dbus socat util-linux procps openssh-server openssh-client
    python3 curl systemd graphviz chromium pandoc man-db dbus-tests python3-dbus python3-gi
    cron nginx rpcbind xinetd acpid avahi-daemon"
if command -v dpkg-query >/dev/null 2>&1; then
    missing_packages=
    for package in $test_packages; do
        dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'ok installed' ||
            missing_packages="$missing_packages $package"
    done
    if [ -n "$missing_packages" ]; then
        if [ "$(id -u)" = 0 ]; then
            apt-get update -q
            DEBIAN_FRONTEND=noninteractive apt-get install -y -q $missing_packages
        else
            echo "$0: not installed:$missing_packages (sudo apt-get install$missing_packages," \
                "or run as root to install them); the build needs pandoc, tests that need the others skip" >&2
        fi
    fi
fi
