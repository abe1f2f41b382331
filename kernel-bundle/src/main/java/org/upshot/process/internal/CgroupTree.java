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
import org.osgi.service.component.annotations.Component;
import org.upshot.process.Cgroups;

/** {@link Cgroups} on the cgroup2 file system; a DS component, or built directly in tests. */
@Component(service = Cgroups.class)
public final class CgroupTree implements Cgroups {

    private static final String OWN_DIRECTORY = "upshot";

    private final Path base;
    private final Throwable cause;
    /** Controllers known to be passed on to the job cgroups. */
    private final Set<String> enabled = ConcurrentHashMap.newKeySet();

    public CgroupTree() {
        this(Path.of("/proc/self/mountinfo"), Path.of("/proc/self/cgroup"));
    }

    /** Probes with the given mount table and membership file (tests pass fakes). */
    CgroupTree(Path mountInfo, Path membership) {
        Path found = null;
        Throwable failure = null;
        try {
            found = probe(mountInfo, membership);
        } catch (IOException | RuntimeException e) {
            failure = e;
        }
        base = found;
        cause = failure;
    }

    private static Path probe(Path mountInfo, Path membership) throws IOException {
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
        Path dir = mount.resolve(own.substring(1)).resolve(OWN_DIRECTORY);
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
