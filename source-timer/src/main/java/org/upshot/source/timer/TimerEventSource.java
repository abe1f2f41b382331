package org.upshot.source.timer;

import java.util.Collection;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.upshot.job.InstanceChange;
import org.upshot.job.JobView;
import org.upshot.source.timer.internal.TimerSettings;
import org.upshot.source.timer.internal.Timers;
import org.upshot.spi.source.EventSource;
import org.upshot.spi.source.SourceContext;
import org.upshot.spi.source.SourceDeclaration;

/**
 * The timer source: {@code timer JOB=… SCHEDULE=… TIME=… [MISSED=n]} for every timer the
 * loaded jobs want ({@code every} and {@code cron} stanzas, {@code start on timer
 * SCHEDULE=…} conditions), and {@code idle} once boot activity has settled, whose runs are
 * background work. How is told in {@link org.upshot.source.timer.internal}.
 */
@Component(service = EventSource.class)
@SourceDeclaration(name = "timer", events = {"timer JOB SCHEDULE TIME MISSED", "idle"})
public final class TimerEventSource implements EventSource {

    private final TimerSettings settings;
    private volatile Timers timers;

    /** @throws IllegalArgumentException for a malformed {@code upshot.timer.*} property */
    @Activate
    public TimerEventSource(BundleContext bundle) {
        this(TimerSettings.from(bundle::getProperty));
    }

    /** For tests: explicit settings. */
    TimerEventSource(TimerSettings settings) {
        this.settings = settings;
    }

    @Override
    public void start(SourceContext context) throws Exception {
        timers = Timers.start(context, settings);
    }

    @Override
    public void jobsChanged(Collection<JobView> jobs) {
        timers.jobsChanged(jobs);
    }

    @Override
    public void instanceChanged(InstanceChange change) {
        timers.instanceChanged(change);
    }

    @Override
    public void stop() {
        Timers running = timers;
        timers = null;
        if (running != null) {
            running.stop();
        }
    }
}
