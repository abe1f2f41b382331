package org.upshot.source.timer;

import org.osgi.service.component.annotations.Component;
import org.upshot.source.timer.internal.Schedule;
import org.upshot.source.timer.internal.TimerEvents;
import org.upshot.source.timer.internal.TimerSpec;
import org.upshot.spi.stanza.StanzaContribution;
import org.upshot.spi.stanza.StanzaDeclaration;
import org.upshot.spi.stanza.StanzaException;
import org.upshot.spi.stanza.StanzaExtension;
import org.upshot.spi.stanza.StanzaInput;

/**
 * The {@code every DURATION} and {@code cron "MIN HOUR DOM MON DOW"} stanzas (options
 * {@code randomized-delay DURATION} and {@code persistent}): each or-s
 * {@code timer JOB=<this job> SCHEDULE=<its schedule>} into the job's {@code start on},
 * and {@link TimerEventSource} runs the timer. Parsing needs neither the framework nor
 * Quartz, so {@code check-config} reads these stanzas exactly as the daemon does.
 * Stateless, so safe on any thread.
 */
@Component(service = StanzaExtension.class)
@StanzaDeclaration(keywords = {Schedule.EVERY, Schedule.CRON})
public final class TimerStanzaExtension implements StanzaExtension {

    @Override
    public StanzaContribution parse(StanzaInput stanza) throws StanzaException {
        TimerSpec spec = TimerSpec.parse(stanza.keyword(), stanza.arguments(), stanza.line(), stanza.column());
        return StanzaContribution.startOn(TimerEvents.condition(stanza.jobName(), spec.schedule()), spec.settings());
    }
}
