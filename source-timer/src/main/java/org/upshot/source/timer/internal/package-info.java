/**
 * How the timer source works.
 *
 * <h2>Timers and their events</h2>
 * A timer is a job name and a schedule ({@link org.upshot.source.timer.internal.TimerKey}).
 * An {@code every DURATION} or {@code cron LINE} stanza of job J makes one, and or-s
 * {@code timer JOB=J SCHEDULE=S} into J's {@code start on}; a {@code timer} match in any
 * job's conditions that names a whole {@code SCHEDULE} makes one too ({@code JOB} as it
 * names it, else the job's own), so {@code start on timer SCHEDULE="every 5m"} needs no
 * stanza. A fire is {@code timer JOB=J SCHEDULE=S TIME=T}, where {@code SCHEDULE} is the
 * canonical spelling ({@code every 1h30m}, {@code cron 0 3 * * 1-5}, {@code cron @daily})
 * and {@code TIME} the slot it is for, ISO-8601 in the daemon's zone, to the second. A
 * catch-up fire also carries {@code MISSED=n}, the number of slots it stands for. The set
 * of timers follows every {@code jobsChanged}: an unchanged timer keeps its phase, a
 * changed one (schedule or options) is replaced, a removed one is gone, stamp and all.
 *
 * <h2>Quartz</h2>
 * One scheduler per started source ({@link org.upshot.source.timer.internal.TimerScheduler}),
 * and the source is one per daemon: a RAM job store (nothing of Quartz's survives a
 * restart; stamps do that), one worker thread, which is where every fire is handled, and a
 * misfire threshold of one second. Its properties are given whole (they replace Quartz's
 * bundled defaults rather than merge with them) and its name is unique, since Quartz
 * registers schedulers JVM-wide by name. Each timer is one Quartz job; an interval is a
 * repeating simple trigger, a crontab line a one-shot trigger at its next slot, set anew
 * at each fire: a Quartz cron trigger keeps a {@code CronExpression}, whose year field
 * alone is a set of 330 boxed years, and 10,000 of them would not fit the daemon's heap.
 * The slots come from Quartz's {@code CronExpression}, made for the moment. The crontab
 * line is translated ({@link org.upshot.source.timer.internal.CronSpec}): Quartz wants a
 * seconds field, counts Sunday as 1 and lets only one of the two day fields restrict,
 * while Vixie cron fires when either day field matches, or, when one of them starts with
 * {@code *}, when both do. An either-day line becomes two expressions (the next slot is the
 * earlier of theirs); a both-day line whose fields both restrict becomes a day-of-week
 * expression and a Quartz calendar that keeps only the day-of-month values. Quartz's
 * dialect is never shown to a user.
 *
 * <h2>Missed and late fires</h2>
 * A trigger due more than the threshold ago is misfired, and Quartz fires it once, now,
 * instead of once per slot: an interval re-anchors there (as systemd's monotonic timers
 * do), a crontab line goes on with its next slot. Each fire counts the slots since the
 * last one it accounted for; more than one, or one whose time has passed, makes a
 * catch-up fire with {@code MISSED}. That covers a suspend (the scheduler thread wakes
 * within Quartz's 30 s idle wait of a resume or a clock jump), a stalled daemon and a
 * clock set forward; a clock set back repeats no slot already fired. A line with many
 * slots counts at most {@value org.upshot.source.timer.internal.QuartzCron#MAX_COUNTED}.
 *
 * <h2>Persistent timers</h2>
 * A {@code persistent} timer writes the last slot it accounted for to
 * {@code STATE_DIR/timers/}. When it is made (the daemon or the plugin starts, or a job
 * gains it), slots between that stamp and now fire once, as a catch-up; a timer with no
 * stamp writes one and owes nothing. An interval without missed slots keeps the phase of
 * its stamp, so a restart does not put its next fire off.
 *
 * <h2>Overlap</h2>
 * The source follows instances ({@code instanceChanged}): a fire that comes while every
 * job whose {@code start on} matches it has an instance between starting and stopped
 * would start nothing, so it is skipped, counted and shown under the timer's job
 * ({@code initctl status}), never queued.
 * With {@code randomized-delay D} a fire waits a random time in [0, D] (a one-shot Quartz
 * trigger) and the overlap is judged when it comes.
 *
 * <h2>idle</h2>
 * {@link org.upshot.source.timer.internal.IdleWatch}: {@code idle} is emitted once per
 * daemon, when no instance has passed a milestone for the settle time (10 s) and the
 * one-minute load average per CPU is below 0.5, or when the cap (120 s after the source
 * started) has passed, whichever is first; looked at by a repeating trigger on the same
 * scheduler. Its runs are {@link org.upshot.event.RunPriority#BACKGROUND}: nice 10 unless
 * the job says otherwise, and the idle I/O class. A mark in the runtime directory naming
 * the daemon process keeps a reloaded plugin from saying it again.
 *
 * <h2>Threads</h2>
 * Quartz's scheduler thread and its one worker; the engine's call thread for this source.
 * One lock guards the table; emitting only posts to the engine. {@code stop} shuts the
 * scheduler down waiting for a fire under way, so nothing is emitted after it returns.
 */
package org.upshot.source.timer.internal;
