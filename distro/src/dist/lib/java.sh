# Sourced by bin/upshot and bin/initctl: which java they run, and what its JDK's release
# file says. The shell's own work but for readlink on a java that is a link: no subshell
# nor command -v, since on some machines each fork costs a start 3-6 ms.

# find_java: sets java to $UPSHOT_JAVA, else $JAVA, else $JAVA_HOME/bin/java, else java;
# and java_bin to the file that runs (PATH searched for a bare name), empty if there is none.
find_java() {
    if [ -n "${UPSHOT_JAVA:-}" ]; then
        java=$UPSHOT_JAVA
    elif [ -n "${JAVA:-}" ]; then
        java=$JAVA
    elif [ -n "${JAVA_HOME:-}" ]; then
        java=$JAVA_HOME/bin/java
    else
        java=java
    fi
    java_bin=
    case $java in
        */*) java_bin=$java ;;
        *)
            set -f
            saved_ifs=$IFS
            IFS=:
            for path_dir in ${PATH:-}; do
                if [ -x "${path_dir:-.}/$java" ]; then
                    java_bin=${path_dir:-.}/$java
                    break
                fi
            done
            IFS=$saved_ifs
            set +f
            ;;
    esac
    if [ ! -x "$java_bin" ] || [ -d "$java_bin" ]; then
        java_bin=
    fi
}

# read_java_release: after find_java, sets feature (17, 25...) and runtime_version
# (17.0.21+2-...) from the release file of java's JDK ($JAVA_HOME's when java came from
# it; a link is followed with readlink -f, as Debian's /usr/bin/java leads into
# /usr/lib/jvm); each is empty when unknown, and so is a runtime version that would not
# do in a file name (the class-data archives are named by it). Running java -version
# would cost ~80 ms.
read_java_release() {
    if [ -z "${UPSHOT_JAVA:-}${JAVA:-}" ] && [ -n "${JAVA_HOME:-}" ]; then
        java_home=$JAVA_HOME
    elif [ -n "$java_bin" ]; then
        java_home=$java_bin
        [ -L "$java_home" ] && java_home=$(readlink -f -- "$java_home")
        java_home=${java_home%/*}
        java_home=${java_home%/*}
    else
        java_home=
    fi
    feature=
    runtime_version=
    if [ -n "$java_home" ] && [ -r "$java_home/release" ]; then
        while IFS= read -r line; do
            case $line in
                JAVA_VERSION=*) feature=${line#*\"}; feature=${feature%%[!0-9]*} ;;
                JAVA_RUNTIME_VERSION=*) runtime_version=${line#*\"}; runtime_version=${runtime_version%\"} ;;
            esac
        done < "$java_home/release"
    fi
    case $runtime_version in
        *[!A-Za-z0-9.+_-]*) runtime_version= ;;
    esac
}
