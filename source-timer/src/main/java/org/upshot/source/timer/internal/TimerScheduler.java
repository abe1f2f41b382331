package org.upshot.source.timer.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import org.quartz.Job;
import org.quartz.JobBuilder;
import org.quartz.JobDataMap;
import org.quartz.JobKey;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.SimpleScheduleBuilder;
import org.quartz.Trigger;
import org.quartz.TriggerBuilder;
import org.quartz.impl.StdSchedulerFactory;

/**
 * The daemon's one Quartz scheduler: a RAM job store, one worker thread, and every fire
 * handed to {@link Fired} on that worker. One Quartz job per timer, named by the caller,
 * with a repeating trigger for an interval, one-shot triggers for a crontab line's next
 * slot and for delayed fires. See
 * the package documentation for the settings and why. Thread-safe, as Quartz is.
 */
final class TimerScheduler {

    /** Where fires go; called on Quartz's one worker thread, one at a time. */
    interface Fired {
        /**
         * @param timer the Quartz job's name
         * @param scheduled when the trigger was due (its catch-up time after a misfire)
         * @param data what a one-shot trigger carries; empty for a schedule's own triggers
         */
        void fired(String timer, Instant scheduled, JobDataMap data);
    }

    /** Later than this, a due trigger is misfired: it fires once at once, not late and in order. */
    static final Duration MISFIRE_THRESHOLD = Duration.ofSeconds(1);
    private static final String GROUP = "upshot";

    private final Scheduler scheduler;

    private TimerScheduler(Scheduler scheduler) {
        this.scheduler = scheduler;
    }

    /** Creates and starts the scheduler. */
    static TimerScheduler start(Fired handler) throws SchedulerException {
        // These properties replace Quartz's bundled quartz.properties: nothing is merged in.
        Properties properties = new Properties();
        // a JVM-wide registry holds schedulers by name: a plugin reloaded before the old
        // one has shut down must not be handed the old scheduler
        properties.setProperty("org.quartz.scheduler.instanceName", "upshot-timer-" + UUID.randomUUID().toString()
                .substring(0, 8));
        properties.setProperty("org.quartz.scheduler.makeSchedulerThreadDaemon", "true");
        properties.setProperty("org.quartz.threadPool.threadCount", "1");
        properties.setProperty("org.quartz.threadPool.makeThreadsDaemons", "true");
        properties.setProperty("org.quartz.jobStore.class", "org.quartz.simpl.RAMJobStore");
        properties.setProperty("org.quartz.jobStore.misfireThreshold", Long.toString(MISFIRE_THRESHOLD.toMillis()));
        Scheduler scheduler = new StdSchedulerFactory(properties).getScheduler();
        Job fire = context -> handler.fired(context.getJobDetail().getKey().getName(),
                context.getScheduledFireTime().toInstant(), context.getTrigger().getJobDataMap());
        scheduler.setJobFactory((bundle, owner) -> fire);
        scheduler.start();
        return new TimerScheduler(scheduler);
    }

    /** Fires {@code timer} every {@code period}, the first time at {@code first}. */
    void every(String timer, Duration period, Instant first) throws SchedulerException {
        Trigger trigger = TriggerBuilder.newTrigger().forJob(add(timer)).startAt(Date.from(first))
                .withSchedule(SimpleScheduleBuilder.simpleSchedule().withIntervalInMilliseconds(period.toMillis())
                        .repeatForever().withMisfireHandlingInstructionNowWithExistingCount())
                .build();
        scheduler.scheduleJob(trigger);
    }

    /** Fires {@code timer} once at {@code at} (or at once if that has passed), carrying {@code data}. */
    void once(String timer, Instant at, JobDataMap data) throws SchedulerException {
        scheduler.scheduleJob(TriggerBuilder.newTrigger().forJob(add(timer)).startAt(Date.from(at)).usingJobData(data)
                .withSchedule(SimpleScheduleBuilder.simpleSchedule().withMisfireHandlingInstructionFireNow()).build());
    }

    /** Stops firing {@code timer}: its triggers, pending one-shots included, go. */
    void remove(String timer) throws SchedulerException {
        scheduler.deleteJob(JobKey.jobKey(timer, GROUP));
    }

    /** When {@code timer} fires next, if it does. */
    Optional<Instant> next(String timer) throws SchedulerException {
        Date next = null;
        for (Trigger trigger : scheduler.getTriggersOfJob(JobKey.jobKey(timer, GROUP))) {
            Date candidate = trigger.getNextFireTime();
            if (candidate != null && (next == null || candidate.before(next))) {
                next = candidate;
            }
        }
        return Optional.ofNullable(next).map(Date::toInstant);
    }

    /** Stops the scheduler, waiting for a fire under way to finish, so none comes after. */
    void shutdown() {
        try {
            scheduler.shutdown(true);
        } catch (SchedulerException e) {
            throw new IllegalStateException("cannot stop the timer scheduler: " + e.getMessage(), e);
        }
    }

    /** The durable Quartz job of {@code timer}, made on first use. */
    private JobKey add(String timer) throws SchedulerException {
        JobKey key = JobKey.jobKey(timer, GROUP);
        if (!scheduler.checkExists(key)) {
            // the class is never instantiated: the job factory hands out the one dispatcher
            scheduler.addJob(JobBuilder.newJob(Job.class).withIdentity(key).storeDurably().build(), false);
        }
        return key;
    }
}
