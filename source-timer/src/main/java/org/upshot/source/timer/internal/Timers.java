package org.upshot.source.timer.internal;

import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import org.quartz.JobDataMap;
import org.quartz.SchedulerException;
import org.upshot.event.Event;
import org.upshot.event.RunPriority;
import org.upshot.job.InstanceChange;
import org.upshot.job.JobView;
import org.upshot.spi.source.SourceContext;

/**
 * The timer source while it runs, from {@link #start} to {@link #stop}: the scheduler,
 * the table of timers, and the watch for {@code idle}. Thread-safe.
 */
public final class Timers {

    private static final Logger LOG = System.getLogger("org.upshot.source.timer");
    /** The Quartz job that looks for idleness; no timer is named so. */
    private static final String IDLE_POLL = "idle";
    /** In the runtime directory: which daemon has had its {@code idle}. */
    private static final String IDLE_MARK = "timer-idle-emitted";

    private final SourceContext context;
    private final TimerScheduler scheduler;
    private final TimerTable table;
    private final IdleWatch idle;
    private boolean idleEmitted;

    private Timers(SourceContext context, TimerSettings settings) throws SchedulerException {
        this.context = context;
        this.idle = new IdleWatch(settings, System::nanoTime, IdleWatch::systemLoadPerCpu);
        this.scheduler = TimerScheduler.start(this::fired);
        this.table = new TimerTable(context, scheduler, new StampStore(context.settings().stateDir()));
    }

    /** Starts the scheduler, and the watch for {@code idle} unless this daemon has had it. */
    public static Timers start(SourceContext context, TimerSettings settings) throws SchedulerException {
        Timers timers = new Timers(context, settings);
        if (thisDaemon().equals(readMark(context))) {
            timers.idleEmitted = true; // the plugin was reloaded: idle comes once per boot
        } else {
            Instant first = Instant.now().plus(timers.idle.pollInterval());
            timers.scheduler.every(IDLE_POLL, timers.idle.pollInterval(), first);
        }
        return timers;
    }

    /** See {@link TimerTable#jobsChanged}. */
    public void jobsChanged(Collection<JobView> jobs) {
        table.jobsChanged(jobs);
    }

    /** A milestone restarts the idle settle time, and may end a run its timer waits for. */
    public void instanceChanged(InstanceChange change) {
        idle.activity();
        table.instanceChanged(change);
    }

    /** Stops every timer; no event comes after this returns. */
    public void stop() {
        scheduler.shutdown();
    }

    private void fired(String name, Instant scheduled, JobDataMap data) {
        if (name.equals(IDLE_POLL)) {
            pollIdle();
        } else {
            table.fired(name, scheduled, data);
        }
    }

    /** On the worker: emits {@code idle} once it is due, at background priority. */
    private void pollIdle() {
        String because = idle.idleBecause();
        if (idleEmitted || because == null) {
            return;
        }
        idleEmitted = true;
        try {
            scheduler.remove(IDLE_POLL);
        } catch (SchedulerException e) {
            LOG.log(Level.WARNING, "cannot stop looking for idleness: " + e.getMessage());
        }
        writeMark(context);
        LOG.log(Level.INFO, "idle: " + because);
        Event event = TimerEvents.idle();
        context.emitter().emit(event, List.of(), RunPriority.BACKGROUND).whenComplete((result, failure) -> {
            if (failure != null) {
                LOG.log(Level.DEBUG, "event " + event + " failed", failure);
            }
        });
    }

    /** This daemon process: its pid and start time, which no later daemon shares. */
    private static String thisDaemon() {
        ProcessHandle self = ProcessHandle.current();
        return self.pid() + " " + self.info().startInstant().map(Instant::toString).orElse("");
    }

    private static String readMark(SourceContext context) {
        try {
            return Files.readString(mark(context)).strip();
        } catch (NoSuchFileException e) {
            return "";
        } catch (IOException e) {
            LOG.log(Level.WARNING, "cannot read " + mark(context) + ": " + e.getMessage());
            return "";
        }
    }

    private static void writeMark(SourceContext context) {
        try {
            Files.createDirectories(mark(context).getParent());
            Files.writeString(mark(context), thisDaemon() + "\n");
        } catch (IOException e) {
            LOG.log(Level.WARNING, "cannot write " + mark(context) + " (a reloaded plugin would say idle again): "
                    + e.getMessage());
        }
    }

    private static Path mark(SourceContext context) {
        return context.settings().runtimeDir().resolve(IDLE_MARK);
    }
}
