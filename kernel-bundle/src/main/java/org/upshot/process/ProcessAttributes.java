package org.upshot.process;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Attributes applied to a child before it execs its command.
 *
 * @param umask file-creation mask; empty keeps the daemon's
 * @param nice niceness; empty keeps the daemon's
 * @param oomScore {@code /proc/PID/oom_score_adj}; empty keeps the daemon's
 * @param limits resource limits to set
 * @param chroot root directory to change into
 * @param user user name or numeric uid to switch to
 * @param group group name or numeric gid to switch to (default: the user's primary group)
 * @param cgroup a cgroup directory the child joins before exec (for exact tracking of
 *     forking daemons); empty for none
 * @param idleIoClass put the child in the idle I/O scheduling class ({@code ionice -c 3}),
 *     so it gets disk time only when no other process wants it; false keeps the daemon's
 */
public record ProcessAttributes(OptionalInt umask, OptionalInt nice, OptionalInt oomScore,
        List<ResourceLimit> limits, Optional<Path> chroot, Optional<String> user,
        Optional<String> group, Optional<Path> cgroup, boolean idleIoClass) {

    /** No attribute changed. */
    public static final ProcessAttributes NONE = new ProcessAttributes(OptionalInt.empty(),
            OptionalInt.empty(), OptionalInt.empty(), List.of(), Optional.empty(), Optional.empty(),
            Optional.empty(), Optional.empty());

    public ProcessAttributes {
        limits = List.copyOf(limits);
    }

    /** The attributes given, keeping the daemon's I/O scheduling class. */
    public ProcessAttributes(OptionalInt umask, OptionalInt nice, OptionalInt oomScore,
            List<ResourceLimit> limits, Optional<Path> chroot, Optional<String> user,
            Optional<String> group, Optional<Path> cgroup) {
        this(umask, nice, oomScore, limits, chroot, user, group, cgroup, false);
    }
}
