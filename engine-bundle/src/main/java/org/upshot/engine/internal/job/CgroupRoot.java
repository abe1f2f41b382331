package org.upshot.engine.internal.job;

import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Finds a cgroup v2 directory where the engine may make one group per forking job:
 * {@code upshot-jobs} below the daemon's own cgroup in the unified hierarchy
 * (mounted at {@code /sys/fs/cgroup} on pure v2 machines, at
 * {@code /sys/fs/cgroup/unified} on hybrid ones). Empty when there is no cgroup2 mount
 * or it is not writable (a session without delegation); the probe's cause is logged.
 */
public final class CgroupRoot {

    private static final Logger LOG = System.getLogger(CgroupRoot.class.getName());
    private static final String JOBS_DIRECTORY = "upshot-jobs";

    private CgroupRoot() {}

    public static Optional<Path> discover() {
        try {
            Optional<Path> mount = Files.readAllLines(Path.of("/proc/self/mounts")).stream()
                    .map(line -> line.split(" "))
                    .filter(fields -> fields.length > 2 && fields[2].equals("cgroup2"))
                    .map(fields -> Path.of(fields[1])).findFirst();
            if (mount.isEmpty()) {
                LOG.log(Level.INFO, "no cgroup2 mount: forking daemons are followed through the child list");
                return Optional.empty();
            }
            String own = ownGroup(Files.readAllLines(Path.of("/proc/self/cgroup")));
            Path root = mount.get().resolve(own.substring(1)).resolve(JOBS_DIRECTORY);
            Files.createDirectories(root);
            if (!Files.isWritable(root)) {
                throw new IOException(root + " is not writable");
            }
            return Optional.of(root);
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.INFO, "no writable cgroup2 directory (" + e.getMessage()
                    + "): forking daemons are followed through the child list");
            return Optional.empty();
        }
    }

    /** The unified-hierarchy path in {@code /proc/self/cgroup} ({@code 0::/PATH}). */
    private static String ownGroup(List<String> lines) {
        for (String line : lines) {
            if (line.startsWith("0::")) {
                return line.substring(3);
            }
        }
        return "/";
    }
}
