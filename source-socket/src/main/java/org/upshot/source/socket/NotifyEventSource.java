package org.upshot.source.socket;

import java.util.Collection;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.upshot.job.InstanceChange;
import org.upshot.job.JobView;
import org.upshot.source.socket.internal.NotifyTable;
import org.upshot.spi.source.EventSource;
import org.upshot.spi.source.SourceContext;
import org.upshot.spi.source.SourceDeclaration;

/**
 * The sd_notify source: emits no events, but lends the notify socket the engine, so what
 * daemons say there (ready, status, main pid, watchdog pings) reaches their jobs. The
 * rules are in {@link org.upshot.source.socket.internal}.
 */
@Component(service = EventSource.class)
@SourceDeclaration(name = "notify")
public final class NotifyEventSource implements EventSource {

    private final NotifyTable table;

    @Activate
    public NotifyEventSource(@Reference NotifyTable table) {
        this.table = table;
    }

    @Override
    public void start(SourceContext context) {
        table.attach(context);
    }

    @Override
    public void jobsChanged(Collection<JobView> jobs) {
        table.jobsChanged(jobs);
    }

    @Override
    public void instanceChanged(InstanceChange change) {
        table.instanceChanged(change);
    }

    @Override
    public void pause() {
        table.pause();
    }

    @Override
    public void resume() {
        table.resume();
    }

    @Override
    public void stop() {
        table.attach(null);
    }
}
