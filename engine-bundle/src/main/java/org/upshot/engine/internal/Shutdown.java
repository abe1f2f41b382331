package org.upshot.engine.internal;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.upshot.daemon.DaemonSettings;
import org.upshot.engine.internal.api.ControlException;
import org.upshot.engine.internal.api.JobControl;
import org.upshot.engine.internal.api.JobControl.PowerAction;
import org.upshot.engine.internal.job.Engine;
import org.upshot.job.InstanceView;
import org.upshot.job.JobState;
import org.upshot.job.JobView;
import org.upshot.process.PosixException;
import org.upshot.process.ProcessLauncher;
import org.upshot.process.Signals;

/**
 * The daemon's way down, once. {@code initctl reboot|halt|poweroff} (and {@code shutdown},
 * {@code telinit 0|6} over them) first emit Upstart's {@code runlevel RUNLEVEL=0|6
 * PREVLEVEL=M} and wait until it is handled: jobs that {@code stop on runlevel [016]}
 * stop, and the rc job runs the runlevel's K scripts. SIGTERM begins at the next step:
 * every job still up is stopped, their {@code stopping} and {@code stopped} events in
 * order. Then the framework stops; the launcher asks the kernel for the action
 * ({@link DaemonSettings#EXIT_ACTION}) if the daemon is the init, else exits.
 *
 * <p>The whole has one deadline ({@link DaemonSettings#SHUTDOWN_TIMEOUT_MILLIS}, default
 * 90 s): a step still waiting then is given up, and every process of a job still up is
 * killed (SIGKILL, to its process group too) before the framework stops.
 */
final class Shutdown {

    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(90);

    private static final Logger LOG = System.getLogger(Shutdown.class.getName());

    private final Engine engine;
    private final JobControl control;
    private final ProcessLauncher launcher;
    private final Runlevels runlevels;
    private final Duration timeout;
    private final Runnable stopFramework;
    private final AtomicBoolean begun = new AtomicBoolean();

    /**
     * @param stopFramework stops the OSGi framework, whose end ends the daemon; called
     *     once, on a thread of its own
     */
    Shutdown(Engine engine, JobControl control, ProcessLauncher launcher, Runlevels runlevels, Duration timeout,
            Runnable stopFramework) {
        this.engine = engine;
        this.control = control;
        this.launcher = launcher;
        this.runlevels = runlevels;
        this.timeout = timeout;
        this.stopFramework = stopFramework;
    }

    /**
     * Begins the shutdown; any thread.
     *
     * @param action what to ask of the kernel at the end, after the runlevel event; empty
     *     (SIGTERM): no runlevel event, the daemon just exits
     * @return completes at once; fails if a shutdown was already under way
     */
    CompletionStage<Void> begin(Optional<PowerAction> action) {
        if (!begun.compareAndSet(false, true)) {
            return CompletableFuture.failedFuture(
                    new ControlException(ControlException.Reason.FAILED, "The daemon is already shutting down"));
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        LOG.log(Level.INFO, action.map(a -> "shutting down to " + label(a)).orElse("stopping every job")
                + " (deadline " + timeout.toSeconds() + " s)");
        CompletionStage<?> runlevel = action.isPresent()
                ? engine.emit(runlevels.shutdownEvent(action.get()))
                : CompletableFuture.completedFuture(null);
        within(runlevel, deadline, "the shutdown's runlevel event")
                .thenCompose(handled -> handled ? within(engine.stopAll(), deadline, "stopping every job")
                        : CompletableFuture.completedFuture(false))
                .thenCompose(stopped -> stopped ? CompletableFuture.completedFuture(null) : killJobsStillUp())
                .whenComplete((done, error) -> {
                    if (error != null) {
                        LOG.log(Level.ERROR, "shutdown failed; stopping the daemon anyway", error);
                    }
                    action.ifPresent(a -> System.setProperty(DaemonSettings.EXIT_ACTION, label(a)));
                    new Thread(stopFramework, "upshot-shutdown").start();
                });
        return CompletableFuture.completedFuture(null);
    }

    /** Completes with true when {@code step} does before the deadline, else with false. */
    private static CompletionStage<Boolean> within(CompletionStage<?> step, long deadline, String what) {
        long left = Math.max(0, deadline - System.nanoTime());
        return step.toCompletableFuture().thenApply(done -> true)
                .completeOnTimeout(false, left, TimeUnit.NANOSECONDS)
                .thenApply(done -> {
                    if (!done) {
                        LOG.log(Level.WARNING, what + " did not finish by the shutdown deadline");
                    }
                    return done;
                });
    }

    private CompletionStage<Void> killJobsStillUp() {
        return control.list().thenAccept(jobs -> {
            List<String> killed = new ArrayList<>();
            for (JobView job : jobs) {
                for (InstanceView instance : job.instances()) {
                    if (instance.state() == JobState.WAITING) {
                        continue;
                    }
                    killed.add(instance.instance().isEmpty() ? job.name() : job.name() + " (" + instance.instance() + ")");
                    for (int pid : instance.processes().values()) {
                        kill(pid);
                    }
                }
            }
            LOG.log(Level.WARNING, "killing the jobs still up: " + String.join(", ", killed));
        });
    }

    private void kill(int pid) {
        try {
            launcher.signalGroup(pid, Signals.KILL);
            launcher.signal(pid, Signals.KILL);
        } catch (PosixException e) {
            LOG.log(Level.WARNING, "cannot kill " + pid + ": " + e.getMessage());
        }
    }

    private static String label(PowerAction action) {
        return action.name().toLowerCase(Locale.ROOT);
    }
}
