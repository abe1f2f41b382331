package org.upshot.process;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Per-job cgroup v2 directories, used to follow forking daemons ({@code expect fork},
 * {@code expect daemon}) exactly, and to apply a job's {@code cgroup} settings: a child joins its job's cgroup before exec (see
 * {@link ProcessAttributes#cgroup()}), so every process it forks stays listed there,
 * and {@link #populated} turns false when the last one is gone. Provided by the kernel
 * bundle as a service.
 *
 * <p>The cgroup2 hierarchy is probed once (at {@code /sys/fs/cgroup/unified} on hybrid
 * machines, {@code /sys/fs/cgroup} on pure v2 ones): job cgroups are made in a
 * directory {@code upshot} under the daemon's own cgroup. Where that cannot be written
 * (an unprivileged session without delegation) {@link #isAvailable()} is false and
 * {@link #unavailabilityCause()} says why; callers fall back to {@link Host#children()}.
 * Thread-safe.
 *
 * @since 1.1
 */
@ProviderType
public interface Cgroups {

    /** True if job cgroups can be created here. */
    boolean isAvailable();

    /** Why {@link #isAvailable()} is false; empty when it is true. */
    Optional<Throwable> unavailabilityCause();

    /**
     * Creates (or reuses, if empty) a cgroup for a job. Names are made safe for a
     * directory ({@code net/foo} becomes {@code job-net_foo}); a populated cgroup of the
     * same name left by a previous run gets a numbered sibling instead.
     *
     * @return the cgroup directory, to pass in {@link ProcessAttributes#cgroup()}
     * @throws IOException if the directory cannot be made
     * @throws IllegalStateException if cgroups are not {@linkplain #isAvailable() available}
     */
    Path create(String jobName) throws IOException;

    /** The processes in the cgroup now, in the kernel's order; empty if it is gone. */
    List<Integer> pids(Path cgroup);

    /** True while any process is in the cgroup ({@code populated 1} in {@code cgroup.events}). */
    boolean populated(Path cgroup);

    /**
     * Writes {@code value} to the interface file {@code file} ({@code memory.max},
     * {@code cpu.weight}, {@code pids.max}) of a cgroup made by {@link #create}, first
     * enabling the file's controller (the part before the dot) for the job cgroups.
     *
     * @throws IOException with the reason when the controller is not available to cgroup v2
     *     here (bound to a v1 hierarchy, or not delegated) or the kernel refuses the value
     * @since 1.3
     */
    void apply(Path cgroup, String file, String value) throws IOException;

    /**
     * Removes an empty cgroup; removing one that is already gone does nothing.
     *
     * @throws IOException if processes are still in it (EBUSY) or it cannot be removed
     */
    void remove(Path cgroup) throws IOException;
}
