package org.upshot.engine.internal.job;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;
import org.upshot.job.InstanceRef;
import org.upshot.job.ProcessKind;
import org.upshot.process.Host;

/**
 * Which instance each live process belongs to: the pid table that routes the reaper's
 * exits to jobs (engine thread only), and a copy by instance name that any thread may
 * ask ({@link #ownerOf}), for readiness protocols that name their sender by pid.
 */
final class ProcessTable {

    /** How far up the parent chain {@link #ownerOf} looks before giving up. */
    private static final int MAX_ANCESTORS = 64;

    /** A process and the job it belongs to. */
    record Owner(Job job, ProcessKind kind) {}

    private final Map<Integer, Owner> owners = new HashMap<>();
    private final Map<Integer, InstanceRef> instances = new ConcurrentHashMap<>();
    /** Each instance's main process, for sources on any thread ({@link #mainOf}). */
    private final Map<InstanceRef, Integer> mains = new ConcurrentHashMap<>();
    private final Host host;
    private int spawnsInFlight;

    /** @param host the daemon's process: where parents are read and the walk ends */
    ProcessTable(Host host) {
        this.host = host;
    }

    void put(int pid, Job job, ProcessKind kind) {
        owners.put(pid, new Owner(job, kind));
        announce(pid, job.ref(), kind);
    }

    /**
     * Makes {@code pid} known to {@link #ownerOf} and {@link #mainOf} as soon as it is
     * spawned, before the engine has heard of it: a daemon may speak (sd_notify) at once.
     * Any thread; {@link #put} follows on the engine thread.
     */
    void announce(int pid, InstanceRef instance, ProcessKind kind) {
        instances.put(pid, instance);
        if (kind == ProcessKind.MAIN) {
            mains.put(instance, pid);
        }
    }

    /** A spawn was handed to the pool; its outcome is not in yet. */
    void spawnSubmitted() {
        spawnsInFlight++;
    }

    /** A spawn's outcome reached the engine. */
    void spawnFinished() {
        spawnsInFlight--;
    }

    /** Whether some child may exist that is in no table yet. */
    boolean spawnsInFlight() {
        return spawnsInFlight > 0;
    }

    /** The owner of a reaped process, now forgotten; null if no job owned it. */
    Owner remove(int pid) {
        InstanceRef instance = instances.remove(pid);
        if (instance != null) {
            mains.remove(instance, pid);
        }
        return owners.remove(pid);
    }

    /** The main process of {@code instance} now, while the engine knows one; any thread. */
    OptionalInt mainOf(InstanceRef instance) {
        Integer pid = mains.get(instance);
        return pid == null ? OptionalInt.empty() : OptionalInt.of(pid);
    }

    /** The owner of a live process; null if none. */
    Owner get(int pid) {
        return owners.get(pid);
    }

    boolean owns(int pid) {
        return owners.containsKey(pid);
    }

    /**
     * The instance {@code pid} is a process of, or descends from; any thread. Walks the
     * parents in {@code /proc}, up to the daemon itself.
     */
    Optional<InstanceRef> ownerOf(int pid) {
        int current = pid;
        for (int step = 0; step < MAX_ANCESTORS && current > 1 && current != host.pid(); step++) {
            InstanceRef owner = instances.get(current);
            if (owner != null) {
                return Optional.of(owner);
            }
            current = host.parentOf(current);
        }
        return Optional.empty();
    }
}
