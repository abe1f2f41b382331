package org.upshot.engine.internal.job;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.upshot.engine.internal.model.Expect;
import org.upshot.job.JobState;
import org.upshot.job.ProcessKind;
import org.upshot.process.Host;
import org.upshot.process.ProcessExit;

/**
 * Finds the real pid of a forking daemon ({@code expect fork}, {@code expect daemon})
 * without ptrace or pidfiles.
 *
 * <p>Where a cgroup v2 directory is writable, each such job's main process joins a
 * cgroup of its own before exec; whatever it forks stays in that group, so once the
 * first process has exited (and, for {@code daemon}, an intermediate child too) the
 * daemon is the one process in {@code cgroup.procs} whose parent is now us, however many
 * children of its own it already has. The daemon is re-parented to us
 * (PID 1 or child subreaper), so the reaper reports its exit as for any child.
 *
 * <p>Without a writable cgroup (a session without delegation) it falls back to our
 * direct children that no job owns: exact when one daemon starts at a time, a guess
 * when several fork at once. Engine thread only.
 */
final class DaemonTracker {

    private static final Logger LOG = System.getLogger(DaemonTracker.class.getName());
    private static final long RECHECK_MS = 5;
    /** After this long with one candidate left, a daemon that forked once is accepted. */
    private static final long SETTLE_NANOS = TimeUnit.SECONDS.toNanos(2);
    private static final long GIVE_UP_NANOS = TimeUnit.SECONDS.toNanos(30);

    private final ProcessTable processes;
    private final EngineLoop loop;
    private final JobCgroups cgroups;
    private final Host host;
    private final Map<Integer, Tracked> byParent = new HashMap<>();
    private final Map<Job, Tracked> byJob = new HashMap<>();

    private static final class Tracked {
        final Job job;
        final int parentPid;
        boolean parentGone;
        long parentGoneAt;
        /** Exits seen of processes that were in the job's group: the parent, intermediates. */
        int exits;
        Set<Integer> lastSeen = Set.of();

        Tracked(Job job, int parentPid) {
            this.job = job;
            this.parentPid = parentPid;
        }
    }

    /**
     * @param processes the pid table, for the child-list fallback
     * @param loop where re-checks are scheduled ({@link EngineInput.DaemonCheck})
     */
    DaemonTracker(ProcessTable processes, EngineLoop loop, JobCgroups cgroups, Host host) {
        this.processes = processes;
        this.loop = loop;
        this.cgroups = cgroups;
        this.host = host;
    }

    void track(Job job, int parentPid) {
        Tracked tracked = new Tracked(job, parentPid);
        byParent.put(parentPid, tracked);
        byJob.put(job, tracked);
    }

    /** The first process of a tracked job exited; true if it was one. */
    boolean parentExited(ProcessExit exit) {
        Tracked tracked = byParent.remove(exit.pid());
        if (tracked == null) {
            return false;
        }
        if (!exit.exited() || exit.exitCode() != 0) {
            byJob.remove(tracked.job);
            tracked.job.handle(new JobInput.ProcessExited(ProcessKind.MAIN, exit));
            return true;
        }
        tracked.job.handle(new JobInput.LauncherExited(exit.pid()));
        tracked.parentGone = true;
        tracked.parentGoneAt = System.nanoTime();
        tracked.exits = 1;
        check(tracked.job, tracked.parentPid);
        return true;
    }

    /** An unowned process was reaped: maybe a daemon's intermediate child. */
    void orphanReaped(int pid) {
        for (Tracked tracked : List.copyOf(byJob.values())) {
            if (tracked.parentGone && tracked.lastSeen.contains(pid)) {
                tracked.exits++;
                check(tracked.job, tracked.parentPid);
            }
        }
    }

    void check(Job job, int parentPid) {
        Tracked tracked = byJob.get(job);
        if (tracked == null || tracked.parentPid != parentPid || !tracked.parentGone) {
            return;
        }
        if (job.state() != JobState.SPAWNED) {
            byJob.remove(job);
            return;
        }
        long waited = System.nanoTime() - tracked.parentGoneAt;
        Optional<Set<Integer>> found = candidates(job);
        if (found.isEmpty() && waited <= GIVE_UP_NANOS) {
            loop.schedule(new EngineInput.DaemonCheck(job, parentPid), RECHECK_MS, TimeUnit.MILLISECONDS);
            return;
        }
        Set<Integer> candidates = found.orElse(Set.of());
        tracked.lastSeen = candidates;
        boolean enoughForks = job.jobClass().expect() == Expect.FORK || tracked.exits >= 2
                || waited > SETTLE_NANOS;
        if (candidates.size() == 1 && enoughForks) {
            byJob.remove(job);
            int pid = candidates.iterator().next();
            LOG.log(Level.DEBUG, () -> job.displayName() + " daemon is process " + pid);
            job.handle(new JobInput.DaemonFound(pid));
        } else if (candidates.isEmpty() && waited > RECHECK_MS * 1_000_000L * 4 || waited > GIVE_UP_NANOS) {
            byJob.remove(job);
            LOG.log(Level.WARNING, job.displayName() + " daemon not found after its parent exited");
            job.handle(new JobInput.ProcessExited(ProcessKind.MAIN, new ProcessExit(parentPid, 0)));
        } else {
            loop.schedule(new EngineInput.DaemonCheck(job, parentPid), RECHECK_MS, TimeUnit.MILLISECONDS);
        }
    }

    /**
     * The processes that may be the daemon; empty while that cannot be told: without a
     * cgroup, a child whose spawn has not yet reached the engine is in no table and would
     * pass for a daemon.
     */
    private Optional<Set<Integer>> candidates(Job job) {
        Optional<List<Integer>> grouped = cgroups.processes(job);
        Set<Integer> pids = new LinkedHashSet<>();
        if (grouped.isPresent()) {
            // the daemon is the one re-parented to us; what it forked itself (nginx's
            // workers, avahi's chroot helper) is its children, not a rival
            for (int pid : grouped.get()) {
                if (host.parentOf(pid) == host.pid()) {
                    pids.add(pid);
                }
            }
            return Optional.of(pids);
        }
        if (processes.spawnsInFlight()) {
            return Optional.empty();
        }
        for (int pid : host.children()) {
            if (!processes.owns(pid)) {
                pids.add(pid);
            }
        }
        return Optional.of(pids);
    }

    /** The job stopped: drop its tracking. */
    void forget(Job job) {
        Tracked tracked = byJob.remove(job);
        if (tracked != null) {
            byParent.remove(tracked.parentPid);
        }
    }
}
