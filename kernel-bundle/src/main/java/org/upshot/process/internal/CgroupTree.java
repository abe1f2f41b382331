package org.upshot.process.internal;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.upshot.daemon.DaemonSettings;
import org.upshot.process.Cgroups;

/**
 * {@link Cgroups} on the cgroup2 file system; a DS component, or built directly in tests.
 *
 * <p>The job groups live in a directory of this daemon instance's own under the daemon's
 * cgroup, named after its runtime directory ({@code upshot@run-upshot} for
 * {@code /run/upshot}): two daemons in one cgroup (a system daemon and a test one, two
 * sessions) never share a job group, and a daemon started again on the same runtime
 * directory finds its predecessor's. It is removed when the daemon stops, if empty.
 */
@Component(service = Cgroups.class)
public final class CgroupTree implements Cgroups {

    /** Longer names are cut and told apart by a hash: cgroup directory names are file names. */
    private static final int MAX_NAME = 120;

    private final Path base;
    private final Throwable cause;
    /** Controllers known to be passed on to the job cgroups. */
    private final Set<String> enabled = ConcurrentHashMap.newKeySet();

    /** The daemon's: named after the runtime directory its settings give. */
    @Activate
    public CgroupTree(BundleContext context) {
        this(directoryName(DaemonSettings.fromProperties(context::getProperty, DaemonSettings.Facts.current())
                .runtimeDir()));
    }

    /** A tree of the directory {@code name} under this process's cgroup. */
    public CgroupTree(String name) {
        this(Path.of("/proc/self/mountinfo"), Path.of("/proc/self/cgroup"), name);
    }

    /** Probes with the given mount table and membership file (tests pass fakes). */
    CgroupTree(Path mountInfo, Path membership, String name) {
        Path found = null;
        Throwable failure = null;
        try {
            found = probe(mountInfo, membership, name);
        } catch (IOException | RuntimeException e) {
            failure = e;
        }
        base = found;
        cause = failure;
    }

    /**
     * {@code upshot@} and the runtime directory's path with {@code /} as {@code -}, other
     * characters a file name should not hold as {@code _}.
     */
    static String directoryName(Path runtimeDir) {
        String path = runtimeDir.toAbsolutePath().normalize().toString().replaceFirst("^/+", "");
        String name = "upshot@" + path.replace('/', '-').replaceAll("[^A-Za-z0-9._@-]", "_");
        if (name.length() <= MAX_NAME) {
            return name;
        }
        String hash = Integer.toHexString(path.hashCode());
        return name.substring(0, MAX_NAME - hash.length() - 1) + "-" + hash;
    }

    /** The instance's directory goes with the daemon, when its jobs left it empty. */
    @Deactivate
    void removeOwnDirectory() {
        if (base != null) {
            try {
                Files.deleteIfExists(base);
            } catch (IOException stillUsed) {
                // a job group left in it (a process that outlived its stop): kept for the next run
            }
        }
    }

    private static Path probe(Path mountInfo, Path membership, String name) throws IOException {
        Path mount = null;
        for (String line : Files.readAllLines(mountInfo)) {
            // Fields: id parent major:minor root mountpoint options [optional...] - fstype source options
            String[] fields = line.split(" ");
            int separator = List.of(fields).indexOf("-");
            if (separator > 0 && fields[separator + 1].equals("cgroup2")) {
                mount = Path.of(fields[4].replace("\\040", " "));
                break;
            }
        }
        if (mount == null) {
            throw new IOException("no cgroup2 file system is mounted");
        }
        String own = Files.readAllLines(membership).stream().filter(l -> l.startsWith("0::"))
                .map(l -> l.substring(3)).findFirst()
                .orElseThrow(() -> new IOException("this process is in no cgroup2 group (" + membership + ")"));
        Path dir = mount.resolve(own.substring(1)).resolve(name);
        try {
            Files.createDirectory(dir);
        } catch (FileAlreadyExistsException exists) {
            // Left by an earlier run; reused.
        }
        if (!Files.isWritable(dir.resolve("cgroup.procs"))) {
            throw new IOException(dir + "/cgroup.procs is not writable");
        }
        return dir;
    }

    @Override
    public boolean isAvailable() {
        return base != null;
    }

    @Override
    public Optional<Throwable> unavailabilityCause() {
        return Optional.ofNullable(cause);
    }

    @Override
    public Path create(String jobName) throws IOException {
        if (base == null) {
            throw new IllegalStateException("cgroups are not available", cause);
        }
        String name = "job-" + jobName.replaceAll("[^A-Za-z0-9._-]", "_");
        for (int attempt = 1; ; attempt++) {
            Path dir = base.resolve(attempt == 1 ? name : name + "-" + attempt);
            try {
                return Files.createDirectory(dir);
            } catch (FileAlreadyExistsException exists) {
                if (!populated(dir)) {
                    return dir;
                }
            }
        }
    }

    @Override
    public List<Integer> pids(Path cgroup) {
        List<Integer> pids = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(cgroup.resolve("cgroup.procs"))) {
                if (!line.isBlank()) {
                    pids.add(Integer.parseInt(line.strip()));
                }
            }
        } catch (IOException gone) {
            return List.of();
        }
        return pids;
    }

    @Override
    public boolean populated(Path cgroup) {
        try {
            return Files.readAllLines(cgroup.resolve("cgroup.events")).contains("populated 1");
        } catch (IOException gone) {
            return false;
        }
    }

    @Override
    public void apply(Path cgroup, String file, String value) throws IOException {
        String controller = file.substring(0, Math.max(0, file.indexOf('.')));
        if (!controller.equals("cgroup")) {
            enable(controller);
        }
        try {
            Files.writeString(cgroup.resolve(file), value);
        } catch (NoSuchFileException e) {
            throw new IOException(file + " is no interface file of " + cgroup);
        } catch (IOException e) {
            throw new IOException("writing " + value + " to " + cgroup.resolve(file) + ": " + e.getMessage());
        }
    }

    /**
     * Makes {@code controller} available to the job cgroups: enabled in our directory's
     * {@code cgroup.subtree_control}, and in the daemon's own group's first if it is not
     * offered yet (allowed when that group holds no process, or is the root).
     */
    private void enable(String controller) throws IOException {
        if (enabled.contains(controller)) {
            return; // once per daemon, not once per spawn of a job with settings
        }
        if (words(base.resolve("cgroup.subtree_control")).contains(controller)) {
            enabled.add(controller);
            return;
        }
        if (!words(base.resolve("cgroup.controllers")).contains(controller)) {
            Path own = base.getParent();
            if (!words(own.resolve("cgroup.controllers")).contains(controller)) {
                throw new IOException("the " + controller + " controller is not available to cgroup v2 here (offered: "
                        + String.join(" ", words(own.resolve("cgroup.controllers")))
                        + "); on a hybrid machine it is bound to a v1 hierarchy");
            }
            write(own.resolve("cgroup.subtree_control"), "+" + controller);
        }
        write(base.resolve("cgroup.subtree_control"), "+" + controller);
        enabled.add(controller);
    }

    private static List<String> words(Path file) throws IOException {
        return List.of(Files.readString(file).trim().split("\\s+"));
    }

    private static void write(Path file, String text) throws IOException {
        try {
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new IOException("cannot enable " + text.substring(1) + " in " + file + ": " + e.getMessage()
                    + " (a group that holds processes may not pass controllers on)");
        }
    }

    @Override
    public void remove(Path cgroup) throws IOException {
        try {
            Files.delete(cgroup);
        } catch (NoSuchFileException gone) {
            // Already removed: the caller's goal is met.
        }
    }

    @Override
    public String toString() {
        return base != null ? "cgroups at " + base : "cgroups unavailable: " + cause.getMessage();
    }
}
