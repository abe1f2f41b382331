package org.upshot.source.timer.internal;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;
import org.quartz.JobDataMap;
import org.quartz.SchedulerException;
import org.upshot.event.Event;
import org.upshot.job.InstanceChange;
import org.upshot.job.InstanceView;
import org.upshot.job.JobGoal;
import org.upshot.job.JobState;
import org.upshot.job.JobView;
import org.upshot.spi.source.SourceContext;

/**
 * Every timer the loaded jobs want, on the one scheduler: made, kept or replaced as the
 * jobs change, fired into {@code timer} events, caught up after a misfire or (persistent
 * ones) after the daemon was down, and skipped while a run they started is still going.
 * The rules are in the package documentation. Thread-safe: one lock guards the table;
 * fires arrive on Quartz's worker, the rest on the engine's call thread.
 */
public final class TimerTable {

    private static final Logger LOG = System.getLogger("org.upshot.source.timer");
    /** What a delayed fire's one-shot trigger carries. */
    private static final String SLOT = "slot";
    private static final String MISSED = "missed";

    private final Object lock = new Object();
    private final SourceContext context;
    private final TimerScheduler scheduler;
    private final StampStore stamps;
    private final ZoneId zone = ZoneId.systemDefault();
    private final Map<TimerKey, Timer> timers = new LinkedHashMap<>();
    /** By Quartz job name. */
    private final Map<String, Timer> named = new HashMap<>();
    /** By the job they belong to, whose status lines they are. */
    private final Map<String, List<Timer>> byJob = new HashMap<>();
    /** Per job, its instances between starting and stopped. */
    private final Map<String, Set<String>> active = new HashMap<>();
    private long made;

    /** One timer's state. */
    private static final class Timer {
        final String name;
        final TimerKey key;
        final TimerSpec spec;
        /** The crontab line; null for an interval. */
        final CronSpec cron;
        /** The latest slot accounted for (fired, skipped or delayed). */
        Instant last;
        long skipped;
        /** The jobs whose {@code start on} this timer's fires match. */
        Set<String> starters = Set.of();
        /** Why Quartz would not take it, if it would not. */
        String failure;

        Timer(String name, TimerKey key, TimerSpec spec) {
            this.name = name;
            this.key = key;
            this.spec = spec;
            this.cron = spec.schedule() instanceof Schedule.Cron c ? c.spec() : null;
        }

        Duration period() {
            return ((Schedule.Every) spec.schedule()).period();
        }
    }

    TimerTable(SourceContext context, TimerScheduler scheduler, StampStore stamps) {
        this.context = context;
        this.scheduler = scheduler;
        this.stamps = stamps;
    }

    /** The loaded jobs changed: timers follow their stanzas and conditions. */
    public void jobsChanged(Collection<JobView> jobs) {
        Map<TimerKey, TimerSpec> wanted = new LinkedHashMap<>();
        for (JobView job : jobs) {
            // a stanza's options win over a bare condition naming the same timer
            TimerEvents.wanted(job).forEach((key, spec) -> wanted.merge(key, spec,
                    (known, other) -> known.equals(TimerSpec.plain(key.schedule())) ? other : known));
        }
        synchronized (lock) {
            Set<String> touched = new TreeSet<>();
            for (Timer timer : List.copyOf(timers.values())) {
                TimerSpec spec = wanted.get(timer.key);
                if (!timer.spec.equals(spec)) {
                    remove(timer);
                    if (spec == null && timer.spec.persistent()) {
                        stamps.delete(timer.key);
                    }
                    touched.add(timer.key.job());
                }
            }
            List<CatchUp> catchUps = new ArrayList<>();
            wanted.forEach((key, spec) -> {
                if (!timers.containsKey(key)) {
                    add(key, spec).ifPresent(catchUps::add);
                    touched.add(key.job());
                }
            });
            active.clear();
            for (JobView job : jobs) {
                for (InstanceView instance : job.instances()) {
                    if (instance.goal() == JobGoal.START || instance.state() != JobState.WAITING) {
                        active.computeIfAbsent(job.name(), name -> new HashSet<>()).add(instance.instance());
                    }
                }
            }
            Map<String, List<TimerKey>> keysByJob = new HashMap<>();
            byJob.forEach((job, owned) -> owned.forEach(timer -> keysByJob.computeIfAbsent(job,
                    name -> new ArrayList<>()).add(timer.key)));
            Map<TimerKey, Set<String>> starters = new HashMap<>();
            for (JobView job : jobs) {
                for (TimerKey key : TimerEvents.startedBy(job, keysByJob)) {
                    starters.computeIfAbsent(key, name -> new HashSet<>()).add(job.name());
                }
            }
            timers.values().forEach(timer -> timer.starters = starters.getOrDefault(timer.key, Set.of()));
            // after the starters are known: a job already running skips its catch-up too
            catchUps.forEach(catchUp -> release(catchUp.timer(), catchUp.slot(), catchUp.missed()));
            touched.forEach(this::describe);
        }
    }

    /** An instance passed a milestone: a timer whose job runs skips its fires. */
    public void instanceChanged(InstanceChange change) {
        synchronized (lock) {
            String job = change.instance().job();
            if (change.phase() == InstanceChange.Phase.STARTING) {
                active.computeIfAbsent(job, name -> new HashSet<>()).add(change.instance().instance());
            } else if (change.phase() == InstanceChange.Phase.STOPPED) {
                Set<String> instances = active.getOrDefault(job, Set.of());
                instances.remove(change.instance().instance());
                if (instances.isEmpty()) {
                    active.remove(job);
                }
            }
        }
    }

    /** A trigger of Quartz job {@code name} fired; see {@link TimerScheduler.Fired}. */
    void fired(String name, Instant scheduled, JobDataMap data) {
        synchronized (lock) {
            Timer timer = named.get(name);
            if (timer == null) {
                return; // removed while the fire was on its way
            }
            if (data.containsKey(SLOT)) {
                deliver(timer, Instant.ofEpochMilli(data.getLong(SLOT)), data.getInt(MISSED));
                return;
            }
            int count;
            Instant slot;
            boolean late;
            if (timer.cron == null) {
                // Quartz re-anchors an interval at its catch-up fire: its phase is the one to keep
                long gap = Duration.between(timer.last, scheduled).toMillis();
                count = (int) Math.min(Integer.MAX_VALUE, gap / timer.period().toMillis());
                late = gap > timer.period().toMillis();
                slot = late ? timer.last.plus(timer.period().multipliedBy(count)) : scheduled;
                if (count > 0) {
                    timer.last = scheduled;
                }
            } else {
                // made for each fire, not kept: Quartz's CronExpression holds every year to 2299
                QuartzCron cron = new QuartzCron(timer.cron);
                scheduleNext(timer, cron, scheduled);
                QuartzCron.Slots slots = cron.slotsBetween(timer.last, scheduled);
                count = slots.count();
                slot = slots.latest();
                late = count > 1 || !scheduled.equals(slot);
                if (count > 0) {
                    timer.last = slot;
                }
            }
            if (count == 0) {
                return; // a slot already accounted for: the clock was set back
            }
            if (timer.spec.persistent()) {
                stamps.write(timer.key, timer.last);
            }
            release(timer, slot, late ? count : 0);
        }
    }

    /** The fire a persistent timer owes for the slots it missed while the daemon was down. */
    private record CatchUp(Timer timer, Instant slot, int missed) {}

    /** Makes and schedules the timer; a persistent one may owe a catch-up fire. */
    private Optional<CatchUp> add(TimerKey key, TimerSpec spec) {
        Timer timer = new Timer("timer-" + ++made, key, spec);
        timers.put(key, timer);
        named.put(timer.name, timer);
        byJob.computeIfAbsent(key.job(), job -> new ArrayList<>()).add(timer);
        Instant now = Instant.now();
        Optional<Instant> stamp = spec.persistent() ? stamps.read(key) : Optional.empty();
        Instant missedSlot = null;
        int missed = 0;
        // an interval's slots fall on whole seconds, so TIME, given in seconds, is exact
        Instant anchor = now.truncatedTo(ChronoUnit.SECONDS).plusSeconds(1);
        if (timer.cron == null) {
            long periods = stamp.map(s -> Duration.between(s, now).toMillis() / timer.period().toMillis()).orElse(0L);
            if (periods > 0) {
                missed = (int) Math.min(Integer.MAX_VALUE, periods);
                missedSlot = stamp.get().plus(timer.period().multipliedBy(periods));
            } else if (stamp.isPresent()) {
                anchor = stamp.get(); // a restart does not postpone the next slot
            }
        } else if (stamp.isPresent()) {
            QuartzCron.Slots slots = new QuartzCron(timer.cron).slotsBetween(stamp.get(), now);
            missed = slots.count();
            missedSlot = slots.latest();
        }
        if (timer.cron == null) {
            timer.last = anchor;
        } else {
            timer.last = missedSlot != null ? missedSlot : now;
        }
        if (spec.persistent() && (stamp.isEmpty() || missed > 0)) {
            stamps.write(key, timer.last);
        }
        if (timer.cron == null) {
            try {
                scheduler.every(timer.name, timer.period(), anchor.plus(timer.period()));
            } catch (SchedulerException e) {
                notScheduled(timer, e.getMessage());
            }
        } else {
            scheduleNext(timer, new QuartzCron(timer.cron), now);
        }
        if (missed == 0 || timer.failure != null) {
            return Optional.empty();
        }
        LOG.log(Level.INFO, "timer " + key + " missed " + missed + " slot(s) while the daemon was down;"
                + " firing once for them");
        return Optional.of(new CatchUp(timer, missedSlot, missed));
    }

    /**
     * A crontab line's next fire: a one-shot trigger at its first slot after {@code after}.
     * (A Quartz cron trigger would keep a CronExpression, tens of kilobytes, per timer.)
     */
    private void scheduleNext(Timer timer, QuartzCron cron, Instant after) {
        Optional<Instant> next = cron.next(after);
        if (next.isEmpty()) {
            notScheduled(timer, "no date to come matches it");
            return;
        }
        try {
            scheduler.once(timer.name, next.get(), new JobDataMap());
        } catch (SchedulerException e) {
            notScheduled(timer, e.getMessage());
        }
    }

    private void notScheduled(Timer timer, String why) {
        timer.failure = why;
        LOG.log(Level.WARNING, "timer " + timer.key + " is not scheduled: " + why);
    }

    private void remove(Timer timer) {
        timers.remove(timer.key);
        named.remove(timer.name);
        List<Timer> owned = byJob.get(timer.key.job());
        owned.remove(timer);
        if (owned.isEmpty()) {
            byJob.remove(timer.key.job());
        }
        try {
            scheduler.remove(timer.name);
        } catch (SchedulerException e) {
            LOG.log(Level.WARNING, "timer " + timer.key + ": cannot remove it from the scheduler: " + e.getMessage());
        }
    }

    /** Fires now, or after the randomized delay (a one-shot trigger that comes back through {@link #fired}). */
    private void release(Timer timer, Instant slot, int missed) {
        long delayMillis = timer.spec.randomizedDelay().toMillis();
        if (delayMillis == 0) {
            deliver(timer, slot, missed);
            return;
        }
        JobDataMap data = new JobDataMap();
        data.put(SLOT, slot.toEpochMilli());
        data.put(MISSED, missed);
        try {
            scheduler.once(timer.name, Instant.now().plusMillis(ThreadLocalRandom.current().nextLong(delayMillis + 1)),
                    data);
        } catch (SchedulerException e) {
            LOG.log(Level.WARNING, "timer " + timer.key + ": cannot delay its fire, firing now: " + e.getMessage());
            deliver(timer, slot, missed);
        }
    }

    /**
     * Emits the fire, unless every job it starts is still running from an earlier one: then
     * it would start nothing and is skipped. One other job whose condition also matches the
     * fire (a {@code start on timer} without {@code JOB=}) running does not hold it back.
     */
    private void deliver(Timer timer, Instant slot, int missed) {
        if (!timer.starters.isEmpty() && active.keySet().containsAll(timer.starters)) {
            timer.skipped++;
            LOG.log(Level.DEBUG, "timer " + timer.key + ": skipped the fire for " + TimerEvents.time(slot, zone) + ": "
                    + String.join(", ", new TreeSet<>(timer.starters)) + " still running");
        } else {
            Event event = TimerEvents.fire(timer.key, slot, missed, zone);
            context.emitter().emit(event).whenComplete((result, failure) -> {
                if (failure != null) {
                    LOG.log(Level.DEBUG, "event " + event + " failed", failure);
                }
            });
        }
        describe(timer.key.job());
    }

    /** Writes the status lines of {@code job}'s timers. Under the lock. */
    private void describe(String job) {
        List<String> lines = new ArrayList<>();
        for (Timer timer : byJob.getOrDefault(job, List.of())) {
            lines.add(statusLine(timer));
        }
        context.describe(job, lines);
    }

    /** {@code timer every 1s: next 2026-12-03T15:00:01Z, 3 fires skipped while a run was going}. */
    private String statusLine(Timer timer) {
        StringBuilder line = new StringBuilder("timer ").append(timer.spec.settings());
        if (timer.failure != null) {
            return line.append(": not scheduled: ").append(timer.failure).toString();
        }
        try {
            Optional<Instant> next = scheduler.next(timer.name);
            line.append(next.isPresent() ? ": next " + TimerEvents.time(next.get(), zone) : ": no next fire");
        } catch (SchedulerException e) {
            line.append(": next unknown (").append(e.getMessage()).append(')');
        }
        if (timer.skipped > 0) {
            line.append(", ").append(timer.skipped).append(timer.skipped == 1 ? " fire" : " fires")
                    .append(" skipped while a run was going");
        }
        return line.toString();
    }
}
