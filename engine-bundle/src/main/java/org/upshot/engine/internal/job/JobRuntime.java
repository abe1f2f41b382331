package org.upshot.engine.internal.job;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.lang.System.Logger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.upshot.engine.internal.event.EventQueue;
import org.upshot.engine.internal.event.QueuedEvent;
import org.upshot.engine.internal.journal.Journal;
import org.upshot.engine.internal.journal.JournalEntry;
import org.upshot.event.Event;
import org.upshot.job.InstanceChange;
import org.upshot.job.InstanceRef;
import org.upshot.job.JobState;
import org.upshot.job.ProcessKind;
import org.upshot.process.PosixException;
import org.upshot.process.ProcessLauncher;
import org.upshot.process.Signals;
import org.upshot.process.SpawnRequest;
import org.upshot.process.Stdio;
import org.upshot.spi.stanza.Readiness;
import org.upshot.spi.stanza.ReadinessTarget;

/**
 * What jobs ask of the engine ({@link JobContext}), carried out: spawning through the
 * {@link SpawnPool} and recording the pid when it comes back, signals, timers, following forking daemons,
 * readiness conditions, telling event sources of milestones, and forgetting stopped
 * instances. Each job gets its own context ({@link #contextFor}). Engine thread only.
 */
final class JobRuntime {

    private static final Logger LOG = System.getLogger(JobRuntime.class.getName());

    /** How often a stop looks whether the job's other processes have gone too. */
    private static final long LEFTOVERS_CHECK_MILLIS = 20;

    private final ProcessLauncher launcher;
    private final SpawnPool pool;
    private final ProcessSetup setup;
    private final ProcessTable processes;
    private final DaemonTracker daemons;
    private final JobCgroups cgroups;
    private final EventQueue queue;
    private final EngineLoop loop;
    private final SourceHost sources;
    private final Journal journal;
    private final RunRecords runs;
    private final Consumer<Job> stopped;

    /**
     * @param runs where running instances are recorded for a daemon started after this one dies
     * @param stopped forgets an instance that came to rest stopped (the registry's)
     */
    JobRuntime(ProcessLauncher launcher, SpawnPool pool, ProcessSetup setup, ProcessTable processes, DaemonTracker daemons,
            JobCgroups cgroups, EventQueue queue, EngineLoop loop, SourceHost sources, Journal journal,
            RunRecords runs, Consumer<Job> stopped) {
        this.launcher = launcher;
        this.pool = pool;
        this.setup = setup;
        this.processes = processes;
        this.daemons = daemons;
        this.cgroups = cgroups;
        this.queue = queue;
        this.loop = loop;
        this.sources = sources;
        this.journal = journal;
        this.runs = runs;
        this.stopped = stopped;
    }

    /** The context bound to {@code job}: what it asks of the engine, carried out for it. */
    JobContext contextFor(Job job) {
        return new JobContext() {
            @Override
            public QueuedEvent emit(Event event) {
                return queue.emit(event);
            }

            @Override
            public void spawn(ProcessKind kind) {
                JobRuntime.this.spawn(job, kind);
            }

            @Override
            public void adopt(int pid) {
                processes.put(pid, job, ProcessKind.MAIN);
                if (job.state() == JobState.RUNNING) {
                    runs.save(job.ref(), pid, job.env()); // a running main process that moved (MAINPID=)
                }
            }

            @Override
            public void disown(int pid) {
                processes.remove(pid);
            }

            @Override
            public void kill(int pid, int signal) {
                JobRuntime.this.kill(pid, signal);
            }

            @Override
            public void resume(int pid) {
                JobRuntime.this.resume(pid);
            }

            @Override
            public void scheduleKillTimeout(int token, Duration delay) {
                loop.schedule(new EngineInput.ToJob(job, new JobInput.KillTimeout(token)),
                        delay.toNanos(), TimeUnit.NANOSECONDS);
            }

            @Override
            public void scheduleStartTimeout(int token, Duration delay) {
                loop.schedule(new EngineInput.ToJob(job, new JobInput.StartTimeout(token)),
                        delay.toNanos(), TimeUnit.NANOSECONDS);
            }

            @Override
            public List<Integer> leftovers() {
                return cgroups.processes(job).orElse(List.of());
            }

            @Override
            public void scheduleLeftoversCheck() {
                loop.schedule(new EngineInput.ToJob(job, new JobInput.LeftoversCheck()), LEFTOVERS_CHECK_MILLIS,
                        TimeUnit.MILLISECONDS);
            }

            @Override
            public Optional<InstanceRef> ownerOf(int pid) {
                return processes.ownerOf(pid);
            }

            @Override
            public void trackDaemon(int pid) {
                processes.remove(pid);
                daemons.track(job, pid);
            }

            @Override
            public void awaitReadiness(Readiness readiness, ReadinessTarget target) {
                JobRuntime.this.awaitReadiness(job, readiness, target);
            }

            @Override
            public void abandonReadiness(Readiness readiness, ReadinessTarget target) {
                JobRuntime.this.abandonReadiness(readiness, target);
            }

            @Override
            public void stateChanged(JobState from, JobState to) {
                journal.record(JournalEntry.Kind.STATE, job.jobClass().name(), job.instance(), to.label(), 0);
                if (to == JobState.RUNNING) {
                    job.pid(ProcessKind.MAIN).ifPresent(pid -> runs.save(job.ref(), pid, job.env()));
                } else if (from == JobState.RUNNING) {
                    runs.remove(job.ref());
                }
            }

            @Override
            public void milestone(InstanceChange change) {
                if (change.phase() == InstanceChange.Phase.STOPPING) {
                    change.failure().ifPresent(failure -> journal.record(JournalEntry.Kind.FAILED,
                            job.jobClass().name(), job.instance(), describe(failure), 0));
                }
                sources.instanceChanged(change);
            }

            @Override
            public void instanceStopped() {
                daemons.forget(job);
                cgroups.remove(job);
                stopped.accept(job);
            }
        };
    }

    /**
     * Builds the request here, from the job as it is now, and leaves the spawn to the pool;
     * the outcome comes back as {@link EngineInput.SpawnFinished}, ahead of the process's exit.
     */
    private void spawn(Job job, ProcessKind kind) {
        processes.spawnSubmitted();
        SpawnRequest request;
        try {
            Optional<Path> cgroup = kind == ProcessKind.MAIN ? cgroups.groupFor(job) : Optional.empty();
            request = setup.request(job, kind, cgroup);
            Stdio stdio = request.stdio() instanceof Stdio.Connection connection
                    ? connection.errors() : request.stdio();
            if (stdio instanceof Stdio.Log log) {
                ensureDirectory(log.file().getParent());
            }
        } catch (RuntimeException e) {
            // the job's failure, not the engine's: it hears of it as of any failed spawn
            loop.post(new EngineInput.SpawnFinished(job, kind, 0, e));
            return;
        }
        InstanceRef instance = job.ref();
        pool.spawn(request, new SpawnPool.Outcome() {
            @Override
            public void spawned(int pid) {
                processes.announce(pid, instance, kind);
                loop.post(new EngineInput.SpawnFinished(job, kind, pid, null));
            }

            @Override
            public void failed(Exception error) {
                loop.post(new EngineInput.SpawnFinished(job, kind, 0, error));
            }
        });
    }

    /** What came of a spawn, on the engine thread: the pid is routed to the job from now on. */
    void spawnFinished(EngineInput.SpawnFinished finished) {
        processes.spawnFinished();
        Job job = finished.job();
        if (finished.error() != null) {
            job.handle(new JobInput.SpawnFailed(finished.kind(), finished.error()));
            return;
        }
        int pid = finished.pid();
        processes.put(pid, job, finished.kind());
        journal.record(JournalEntry.Kind.SPAWN, job.jobClass().name(), job.instance(), finished.kind().label(), pid);
        LOG.log(Level.DEBUG, () -> job.displayName() + " " + finished.kind().label() + " process (" + pid + ")");
        job.handle(new JobInput.Spawned(finished.kind(), pid));
    }

    private void kill(int pid, int signal) {
        try {
            if (!launcher.signalGroup(pid, signal)) {
                launcher.signal(pid, signal);
            }
        } catch (PosixException e) {
            LOG.log(Level.WARNING, "cannot signal " + pid + ": " + e.getMessage());
        }
    }

    private void resume(int pid) {
        try {
            launcher.signal(pid, Signals.CONT);
        } catch (PosixException e) {
            LOG.log(Level.WARNING, "cannot continue " + pid + ": " + e.getMessage());
        }
    }

    private void awaitReadiness(Job job, Readiness readiness, ReadinessTarget target) {
        try {
            readiness.await(target).whenComplete((mainPid, error) -> loop.post(new EngineInput.ToJob(job,
                    new JobInput.Ready(target.pid(), mainPid == null ? target.pid() : mainPid, cause(error)))));
        } catch (RuntimeException | LinkageError e) {
            // plugin code: its failure is this job's, not the engine's
            loop.post(new EngineInput.ToJob(job, new JobInput.Ready(target.pid(), target.pid(), e)));
        }
    }

    private void abandonReadiness(Readiness readiness, ReadinessTarget target) {
        try {
            readiness.abandon(target);
        } catch (RuntimeException | LinkageError e) {
            LOG.log(Level.WARNING, "readiness of " + target.instance() + " failed to let go", e);
        }
    }

    /** {@code main status 1}, {@code main signal KILL}, {@code respawn}: a failure as the journal shows it. */
    private static String describe(InstanceChange.Failure failure) {
        StringBuilder text = new StringBuilder(failure.process());
        failure.exitStatus().ifPresent(status -> text.append(" status ").append(status));
        failure.exitSignal().ifPresent(signal -> text.append(" signal ").append(signal));
        return text.toString();
    }

    private static Throwable cause(Throwable error) {
        return error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    }

    private static void ensureDirectory(Path dir) {
        if (dir != null && !Files.isDirectory(dir)) {
            try {
                Files.createDirectories(dir);
            } catch (IOException e) {
                LOG.log(Level.WARNING, "cannot create log directory " + dir + ": " + e.getMessage());
            }
        }
    }
}
