package org.upshot.source.udev;

import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.osgi.service.component.annotations.Component;
import org.upshot.job.JobView;
import org.upshot.source.udev.internal.DeviceFilter;
import org.upshot.source.udev.internal.DeviceMonitor;
import org.upshot.source.udev.internal.Uevent;
import org.upshot.spi.source.EventSource;
import org.upshot.spi.source.SourceContext;
import org.upshot.spi.source.SourceDeclaration;

/**
 * The udev source: kernel uevents (or udevd's, after its rules) as upstart-udev-bridge's
 * {@code SUBSYSTEM-device-added|changed|removed} events, with devices present at start
 * announced, and only what the jobs wait for passed to the engine. The rules are in
 * {@link org.upshot.source.udev.internal}.
 */
@Component(service = EventSource.class)
@SourceDeclaration(name = "udev", events = {"*-device-added KERNEL DEVPATH DEVNAME SUBSYSTEM ACTION",
        "*-device-changed KERNEL DEVPATH DEVNAME SUBSYSTEM ACTION",
        "*-device-removed KERNEL DEVPATH DEVNAME SUBSYSTEM ACTION", "*-device-* KERNEL DEVPATH DEVNAME SUBSYSTEM ACTION"})
public final class UdevEventSource implements EventSource {

    private static final Logger LOG = System.getLogger("org.upshot.source.udev");
    /** upstart-udev-bridge's receive buffer. */
    private static final int DEFAULT_BUFFER = 128 * 1024 * 1024;

    private final DeviceMonitor.Settings settings;
    private volatile SourceContext context;
    private volatile DeviceMonitor monitor;
    private volatile String unavailable;
    /** The jobs shown a line, and the jobs waiting for device events now; under {@code this}. */
    private final Set<String> described = new TreeSet<>();
    private List<String> waiting = List.of();

    public UdevEventSource() {
        this(new DeviceMonitor.Settings(Path.of("/sys"), Path.of("/run/udev/control"),
                System.getProperty("upshot.udev.group", "auto"),
                Integer.getInteger("upshot.udev.receive.buffer.bytes", DEFAULT_BUFFER)));
    }

    /** For tests: explicit settings. */
    public UdevEventSource(DeviceMonitor.Settings settings) {
        this.settings = settings;
    }

    @Override
    public void start(SourceContext sourceContext) {
        this.context = sourceContext;
        try {
            DeviceMonitor started = DeviceMonitor.start(settings, this::emit);
            started.onCounts(this::describeAgain);
            monitor = started;
            unavailable = null;
        } catch (IOException e) {
            // jobs that wait for devices say why nothing comes; the daemon goes on
            unavailable = e.getMessage();
            LOG.log(Level.WARNING, "no device events: " + unavailable);
        }
    }

    private void emit(Uevent event) {
        SourceContext current = context;
        if (current != null) {
            current.emitter().emit(event.toEvent());
        }
    }

    @Override
    public void jobsChanged(Collection<JobView> jobs) {
        DeviceFilter filter = DeviceFilter.of(jobs);
        DeviceMonitor current = monitor;
        if (current != null) {
            current.filter(filter);
        }
        describe(filter.jobs(), current);
    }

    private synchronized void describeAgain() {
        describe(waiting, monitor);
    }

    /** Every job that waits for a device event shows where they come from and what came (or why none do). */
    private synchronized void describe(List<String> jobs, DeviceMonitor current) {
        SourceContext sourceContext = context;
        if (sourceContext == null) {
            return;
        }
        waiting = jobs;
        String line;
        if (current == null) {
            line = "no device events: " + unavailable;
        } else {
            DeviceMonitor.Counts counts = current.counts();
            line = "device events: " + current.source() + "; " + counts.seen() + " seen, " + counts.passed()
                    + " for jobs, the rest dropped" + (counts.overflows() == 0 ? ""
                    : "; " + counts.overflows() + " overflows made good by rescans");
        }
        for (String job : described) {
            if (!jobs.contains(job)) {
                sourceContext.describe(job, List.of());
            }
        }
        described.clear();
        for (String job : jobs) {
            sourceContext.describe(job, List.of(line));
            described.add(job);
        }
    }

    @Override
    public void stop() {
        DeviceMonitor current = monitor;
        monitor = null;
        context = null;
        if (current != null) {
            current.close();
        }
    }
}
