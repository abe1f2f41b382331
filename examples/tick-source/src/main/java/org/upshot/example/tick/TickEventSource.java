package org.upshot.example.tick;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.osgi.service.component.annotations.Component;
import org.upshot.event.Event;
import org.upshot.event.EventEmitter;
import org.upshot.event.EventExpression;
import org.upshot.job.JobView;
import org.upshot.spi.source.EventSource;
import org.upshot.spi.source.SourceContext;
import org.upshot.spi.source.SourceDeclaration;

/**
 * Emits {@code tick PERIOD=SECONDS COUNT=N} every {@code SECONDS} seconds, for each period
 * some job asks for: in its {@code start on}/{@code stop on} ({@code tick PERIOD=5}) or
 * with the {@code tick 5} stanza ({@link TickStanza}). The clock is running from the
 * moment a period is asked for, so that is announced at once ({@code COUNT=0}); then
 * {@code COUNT} counts the ticks. Periods nobody asks for cost nothing.
 */
@Component(service = EventSource.class)
@SourceDeclaration(name = "tick", events = "tick PERIOD COUNT")
public final class TickEventSource implements EventSource {

    private ScheduledExecutorService clock;
    private EventEmitter emitter;
    private final Map<Long, ScheduledFuture<?>> periods = new HashMap<>();

    @Override
    public void start(SourceContext context) {
        emitter = context.emitter();
        clock = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "upshot-tick");
            thread.setDaemon(true);
            return thread;
        });
    }

    @Override
    public void jobsChanged(Collection<JobView> jobs) {
        Set<Long> wanted = periods(jobs);
        periods.entrySet().removeIf(running -> {
            boolean gone = !wanted.contains(running.getKey());
            if (gone) {
                running.getValue().cancel(false);
            }
            return gone;
        });
        for (long seconds : wanted) {
            periods.computeIfAbsent(seconds, this::tickEvery);
        }
    }

    private ScheduledFuture<?> tickEvery(long seconds) {
        AtomicLong count = new AtomicLong();
        return clock.scheduleAtFixedRate(() -> emitter.emit(Event.of("tick", "PERIOD=" + seconds,
                "COUNT=" + count.getAndIncrement())), 0, seconds, TimeUnit.SECONDS);
    }

    @Override
    public void stop() {
        // shutdownNow interrupts a tick being emitted; none starts after this returns
        clock.shutdownNow();
        try {
            clock.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        periods.clear();
    }

    /** Every period the jobs ask for: {@code tick PERIOD=N} conditions and {@code tick N} stanzas. */
    static Set<Long> periods(Collection<JobView> jobs) {
        Set<Long> periods = new TreeSet<>();
        for (JobView job : jobs) {
            job.startOn().ifPresent(condition -> collect(condition, periods));
            job.stopOn().ifPresent(condition -> collect(condition, periods));
        }
        return periods;
    }

    private static void collect(EventExpression condition, Set<Long> periods) {
        for (EventExpression.Match match : condition.matches()) {
            if (!match.event().equals("tick")) {
                continue;
            }
            for (EventExpression.Argument argument : match.arguments()) {
                if ("PERIOD".equals(argument.key()) && !argument.negated()) {
                    TickStanza.seconds(argument.pattern()).ifPresent(periods::add);
                }
            }
        }
    }
}
