package org.upshot.process;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Everything needed to start one process.
 *
 * @param argv the command; {@code argv[0]} is looked up in the child's {@code PATH}
 *     if it has no slash
 * @param environment the complete environment, {@code KEY=VALUE}; an entry
 *     {@code LISTEN_PID=} or {@code WATCHDOG_PID=} (any value) is set to the child's own
 *     pid, which is only known in the child (systemd's socket-passing and watchdog
 *     conventions)
 * @param workingDirectory the directory to run in (after any chroot)
 * @param stdio where stdin, stdout and stderr go
 * @param inheritedFds daemon descriptors passed as 3, 4, ... in order; every other
 *     descriptor is closed in the child
 * @param attributes set-up applied before exec
 * @param stopBeforeExec the child stops itself (SIGSTOP) just before exec, for
 *     tracers; normally false
 */
public record SpawnRequest(List<String> argv, List<String> environment, Path workingDirectory,
        Stdio stdio, List<Integer> inheritedFds, ProcessAttributes attributes, boolean stopBeforeExec) {

    public SpawnRequest {
        argv = List.copyOf(argv);
        if (argv.isEmpty()) {
            throw new IllegalArgumentException("empty command");
        }
        environment = List.copyOf(environment);
        Objects.requireNonNull(workingDirectory, "workingDirectory");
        Objects.requireNonNull(stdio, "stdio");
        inheritedFds = List.copyOf(inheritedFds);
        Objects.requireNonNull(attributes, "attributes");
    }

    /** A plain command with no attributes, no extra descriptors, stdio on /dev/null. */
    public static SpawnRequest of(List<String> argv, List<String> environment) {
        return new SpawnRequest(argv, environment, Path.of("/"), new Stdio.Null(), List.of(),
                ProcessAttributes.NONE, false);
    }
}
