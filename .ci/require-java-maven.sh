# Sourced by ./upshot-demo and ./run-tests: makes sure java (17+) and mvn are there,
# installing the Debian packages when running as root.
if ! command -v java >/dev/null 2>&1 || ! command -v mvn >/dev/null 2>&1; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        apt-get update -q
        DEBIAN_FRONTEND=noninteractive apt-get install -y -q openjdk-17-jdk-headless maven
    else
        echo "$0: needs Java 17+ and Maven: sudo apt-get install openjdk-17-jdk-headless maven" >&2
        exit 1
    fi
fi
