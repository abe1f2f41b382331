package org.upshot.source.dbus;

import java.util.Collection;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.upshot.job.InstanceChange;
import org.upshot.job.JobView;
import org.upshot.source.dbus.internal.BusTable;
import org.upshot.source.dbus.internal.SignalEvents;
import org.upshot.spi.source.EventSource;
import org.upshot.spi.source.SourceContext;
import org.upshot.spi.source.SourceDeclaration;

/**
 * The D-Bus source: connects to the buses that jobs name, acts as
 * {@code org.freedesktop.systemd1} for a {@code dbus-daemon --systemd-activation} (an
 * activation request is the event {@code dbus-activate JOB= NAME= BUS= UNIT=}), and
 * watches the names jobs are ready by, and turns the bus signals that jobs' {@code start on
 * dbus ...} conditions ask for into the event {@code dbus} (as upstart-dbus-bridge did). The rules are in
 * {@link org.upshot.source.dbus.internal}.
 */
@Component(service = EventSource.class)
@SourceDeclaration(name = "dbus", events = {"dbus-activate JOB NAME BUS UNIT", SignalEvents.DECLARATION})
public final class DbusEventSource implements EventSource {

    private final BusTable table;

    @Activate
    public DbusEventSource(@Reference BusTable table) {
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
    public void stop() {
        table.attach(null);
    }
}
