package org.upshot.source.timer.internal;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.upshot.event.Event;
import org.upshot.event.EventExpression;
import org.upshot.event.Glob;
import org.upshot.job.JobView;
import org.upshot.spi.stanza.StanzaException;
import org.upshot.spi.stanza.StanzaInput.Word;

/**
 * The {@code timer} and {@code idle} events, the condition a timer stanza adds, and how
 * the timers the loaded jobs want are read from their stanzas and conditions.
 */
public final class TimerEvents {

    /** A timer fired. */
    public static final String TIMER = "timer";
    /** Boot activity has settled. */
    public static final String IDLE = "idle";
    /** The job the timer belongs to. */
    static final String JOB = "JOB";
    /** The timer's schedule, canonically spelled ({@code every 5m}, {@code cron 0 3 * * *}). */
    static final String SCHEDULE = "SCHEDULE";
    /** The slot the fire is for, ISO-8601 with the local offset. */
    static final String TIME = "TIME";
    /** On a catch-up fire: how many slots it stands for. */
    static final String MISSED = "MISSED";
    /** How {@code timer} variables are matched by position ({@code start on timer backup}). */
    private static final List<String> POSITIONAL = List.of(JOB, SCHEDULE, TIME, MISSED);

    private static final Logger LOG = System.getLogger("org.upshot.source.timer");

    private TimerEvents() {}

    /** {@code timer JOB=job SCHEDULE=schedule}: what a stanza of {@code job} or-s into its {@code start on}. */
    public static EventExpression condition(String job, Schedule schedule) {
        return new EventExpression.Match(TIMER, List.of(EventExpression.Argument.equal(JOB, Glob.escape(job)),
                EventExpression.Argument.equal(SCHEDULE, Glob.escape(schedule.text()))));
    }

    /** A fire of {@code timer} for {@code slot}; {@code missed} above zero for a catch-up. */
    static Event fire(TimerKey timer, Instant slot, int missed, ZoneId zone) {
        List<String> env = new ArrayList<>(List.of(JOB + "=" + timer.job(), SCHEDULE + "=" + timer.schedule().text(),
                TIME + "=" + time(slot, zone)));
        if (missed > 0) {
            env.add(MISSED + "=" + missed);
        }
        return new Event(TIMER, env);
    }

    /** {@code 2026-12-03T03:00:00+01:00}: whole seconds, the zone's offset. */
    static String time(Instant instant, ZoneId zone) {
        return DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(instant.truncatedTo(ChronoUnit.SECONDS).atZone(zone));
    }

    /** The {@code idle} event, once after boot. */
    static Event idle() {
        return new Event(IDLE, List.of());
    }

    /**
     * The timers {@code job} makes: one per {@code every} or {@code cron} stanza, and one
     * per {@code timer} match in its conditions that names a whole {@code SCHEDULE} (its
     * {@code JOB}, when it names one, else the job itself). A stanza's own condition names
     * the stanza's timer, which keeps the stanza's options.
     */
    static Map<TimerKey, TimerSpec> wanted(JobView job) {
        Map<TimerKey, TimerSpec> timers = new LinkedHashMap<>();
        for (String keyword : TimerSpec.KEYWORDS) {
            for (List<String> arguments : job.stanzas().getOrDefault(keyword, List.of())) {
                List<Word> words = new ArrayList<>();
                arguments.forEach(text -> words.add(new Word(text, 0, 0)));
                try {
                    TimerSpec spec = TimerSpec.parse(keyword, words, 0, 0);
                    timers.put(new TimerKey(job.name(), spec.schedule()), spec);
                } catch (StanzaException e) {
                    LOG.log(Level.WARNING, "job " + job.name() + ": " + keyword + " stanza: " + e.getMessage());
                }
            }
        }
        List<EventExpression.Match> matches = new ArrayList<>();
        job.startOn().ifPresent(condition -> matches.addAll(condition.matches()));
        job.stopOn().ifPresent(condition -> matches.addAll(condition.matches()));
        for (EventExpression.Match match : matches) {
            Optional<String> schedule = match.event().equals(TIMER) ? literal(match, SCHEDULE) : Optional.empty();
            if (schedule.isEmpty()) {
                continue;
            }
            try {
                TimerKey key = new TimerKey(literal(match, JOB).orElse(job.name()), Schedule.parse(schedule.get()));
                timers.putIfAbsent(key, TimerSpec.plain(key.schedule()));
            } catch (StanzaException e) {
                LOG.log(Level.WARNING, "job " + job.name() + ": 'timer " + match.arguments() + "' makes no timer: "
                        + e.getMessage());
            }
        }
        return timers;
    }

    /**
     * The timers whose fires a {@code timer} match of {@code job}'s {@code start on} admits,
     * among {@code byJob} (the timers by their {@code JOB}): a match that names its
     * {@code JOB} looks only at that job's.
     */
    static Set<TimerKey> startedBy(JobView job, Map<String, List<TimerKey>> byJob) {
        Set<TimerKey> started = new HashSet<>();
        for (EventExpression.Match match : job.startOn().map(EventExpression::matches).orElse(List.of())) {
            if (!match.event().equals(TIMER)) {
                continue;
            }
            Optional<String> named = literal(match, JOB);
            Collection<List<TimerKey>> candidates = named.isPresent()
                    ? List.of(byJob.getOrDefault(named.get(), List.of())) : byJob.values();
            for (List<TimerKey> keys : candidates) {
                for (TimerKey key : keys) {
                    if (admits(match, key)) {
                        started.add(key);
                    }
                }
            }
        }
        return started;
    }

    /** Every argument on {@code JOB} or {@code SCHEDULE} matches; others (or {@code $VAR}s) cannot be told yet. */
    private static boolean admits(EventExpression.Match match, TimerKey timer) {
        for (int i = 0; i < match.arguments().size(); i++) {
            EventExpression.Argument argument = match.arguments().get(i);
            String key = argument.isPositional() ? (i < POSITIONAL.size() ? POSITIONAL.get(i) : "") : argument.key();
            String value = key.equals(JOB) ? timer.job() : key.equals(SCHEDULE) ? timer.schedule().text() : null;
            if (value != null && argument.pattern().indexOf('$') < 0
                    && Glob.compile(argument.pattern()).matches(value) == argument.negated()) {
                return false;
            }
        }
        return true;
    }

    /** The value a match's {@code KEY=} (or positional) argument names exactly, if it does. */
    private static Optional<String> literal(EventExpression.Match match, String key) {
        for (int i = 0; i < match.arguments().size(); i++) {
            EventExpression.Argument argument = match.arguments().get(i);
            boolean named = argument.isPositional() ? i < POSITIONAL.size() && POSITIONAL.get(i).equals(key)
                    : argument.key().equals(key) && !argument.negated();
            if (named) {
                // a $VAR is only known per instance: no timer can be made for it
                return argument.pattern().indexOf('$') >= 0 ? Optional.empty()
                        : Optional.ofNullable(Glob.compile(argument.pattern()).literal());
            }
        }
        return Optional.empty();
    }
}
