package org.upshot.source.udev.internal;

import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Reads uevents on a thread of its own and passes on the ones some job waits for. It keeps
 * the set of present devices (from the start-up scan and every event since), so that a
 * lost stretch of events (the receive buffer overflowed) is made good by scanning
 * {@code /sys} again and passing on the differences. See the package documentation.
 */
public final class DeviceMonitor implements AutoCloseable {

    private static final Logger LOG = System.getLogger("org.upshot.source.udev");

    /**
     * Where and how to listen.
     *
     * @param sysfs the sysfs mount, {@code /sys}
     * @param udevControl present when a udev daemon runs ({@code /run/udev/control})
     * @param group {@code auto}, {@code kernel} or {@code udev}
     * @param bufferBytes the receive buffer to ask for
     */
    public record Settings(Path sysfs, Path udevControl, String group, int bufferBytes) {}

    /** What the monitor has done, for status lines. */
    public record Counts(long seen, long passed, long overflows) {}

    /** Where uevents come from: {@link UeventSocket}, or a test's stand-in. */
    interface Receiver extends AutoCloseable {
        /**
         * One message into {@code buffer}: its length, 0 for one to ignore, -1 for none
         * (none queued, when not waiting).
         *
         * @throws UeventSocket.Overflow when messages were dropped since the last call
         */
        int receive(byte[] buffer, boolean wait) throws IOException;

        @Override
        void close();
    }

    private final Settings settings;
    private final Sysfs sysfs;
    private final Receiver socket;
    private final String source;
    private final Consumer<Uevent> sink;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile DeviceFilter filter = DeviceFilter.none();
    /** Guards the device set, the scan's sequence number and the counters. */
    private final Object lock = new Object();
    private Map<String, Uevent> present = new HashMap<>();
    private long scannedUpTo = -1;
    private boolean coldplugged;
    private long seen;
    private long passed;
    private long overflows;
    /** Told, from the reading thread and at most once a second, that the counts moved. */
    private volatile Runnable countsMoved = () -> { };
    private Counts reported = new Counts(0, 0, 0);
    private long reportedAt;

    private DeviceMonitor(Settings settings, Receiver socket, String source, Consumer<Uevent> sink) {
        this.settings = settings;
        this.sysfs = new Sysfs(settings.sysfs());
        this.socket = socket;
        this.source = source;
        this.sink = sink;
        this.thread = new Thread(this::run, "upshot-uevents");
        thread.setDaemon(true);
    }

    /**
     * Opens the socket and starts reading; nothing is passed on before {@link #filter}.
     *
     * @param sink receives the events to emit, on the monitor's or the caller's thread
     * @throws IOException when uevents cannot be had here (no netlink in this container)
     */
    public static DeviceMonitor start(Settings settings, Consumer<Uevent> sink) throws IOException {
        boolean udev = settings.group().equals("udev")
                || (settings.group().equals("auto") && Files.exists(settings.udevControl()));
        int group = udev ? UeventSocket.UDEV_GROUP : UeventSocket.KERNEL_GROUP;
        UeventSocket socket = UeventSocket.open(group, settings.bufferBytes());
        String source = udev ? "udev's monitor (properties after rules)" : "kernel uevents (no udev daemon running)";
        LOG.log(Level.INFO, "device events from " + source + ", receive buffer " + socket.receiveBuffer() / 2
                + " bytes");
        return start(settings, socket, source, sink);
    }

    /** For tests: reads {@code receiver} instead of a netlink socket. */
    static DeviceMonitor start(Settings settings, Receiver receiver, String source, Consumer<Uevent> sink) {
        DeviceMonitor monitor = new DeviceMonitor(settings, receiver, source, sink);
        monitor.thread.start();
        return monitor;
    }

    /** Where events come from, for the log and status lines. */
    public String source() {
        return source;
    }

    /**
     * What the jobs wait for now. The first call announces every present device that some
     * job waits for as {@code -added} with {@code COLDPLUG=1}.
     */
    public void filter(DeviceFilter wanted) {
        synchronized (lock) {
            filter = wanted;
            if (!coldplugged) {
                coldplugged = true;
                long upTo = sysfs.seqnum();
                try {
                    present = sysfs.scan();
                } catch (IOException e) {
                    LOG.log(Level.WARNING, "cannot scan " + settings.sysfs() + " for present devices: " + e);
                }
                scannedUpTo = upTo;
                for (Uevent device : present.values()) {
                    pass(device.withAction("add", Map.of("COLDPLUG", "1")));
                }
            }
        }
    }

    /** {@code listener} runs, on the reading thread and at most once a second, when {@link #counts} moved. */
    public void onCounts(Runnable listener) {
        countsMoved = listener;
    }

    public Counts counts() {
        synchronized (lock) {
            return new Counts(seen, passed, overflows);
        }
    }

    /** Reads until closed; the socket is closed here, never under a read that is still going. */
    private void run() {
        try {
            read();
        } finally {
            socket.close();
        }
    }

    private void read() {
        byte[] buffer = new byte[64 * 1024];
        boolean rescanOwed = false;
        while (running) {
            try {
                // After an overflow the kernel drops every uevent for this socket, and
                // reports no further loss, until a read finds its queue empty (netlink's
                // NETLINK_S_CONGESTED). So the rescan waits until what is queued has been
                // read without waiting: a rescan made at once would miss the devices whose
                // events were dropped after it.
                int length = socket.receive(buffer, !rescanOwed);
                if (length > 0) {
                    Uevent.parse(buffer, length).ifPresent(this::received);
                } else if (length < 0 && rescanOwed) {
                    rescanOwed = false;
                    rescan();
                }
                reportCounts();
            } catch (UeventSocket.Overflow e) {
                rescanOwed = true;
            } catch (IOException | RuntimeException e) {
                if (running) {
                    LOG.log(Level.ERROR, "the uevent reader stopped; device events are lost until the source restarts",
                            e);
                }
                return;
            }
        }
    }

    private void reportCounts() {
        long now = System.nanoTime();
        if (now - reportedAt < 1_000_000_000L) {
            return;
        }
        Counts counts = counts();
        if (!counts.equals(reported)) {
            reported = counts;
            reportedAt = now;
            countsMoved.run();
        }
    }

    private void received(Uevent event) {
        synchronized (lock) {
            seen++;
            long seqnum = event.seqnum();
            if (!coldplugged || (seqnum >= 0 && seqnum <= scannedUpTo)) {
                return; // the start-up scan (or a rescan) already told of this
            }
            if (event.action().equals("remove")) {
                present.remove(event.devpath());
            } else {
                // a renamed device (move: eth0 to enp0s3) is no longer where it was
                present.remove(event.properties().getOrDefault("DEVPATH_OLD", ""));
                present.put(event.devpath(), event);
            }
            pass(event);
        }
    }

    /** Events were lost: what is there now against what we knew, as added and removed events. */
    private void rescan() {
        synchronized (lock) {
            overflows++;
            if (!coldplugged) {
                return; // nothing announced yet: the start-up scan, still to come, covers it
            }
            long upTo = sysfs.seqnum();
            Map<String, Uevent> now;
            try {
                now = sysfs.scan();
            } catch (IOException e) {
                LOG.log(Level.WARNING, "uevents were lost and " + settings.sysfs() + " cannot be scanned: " + e);
                return;
            }
            int added = 0;
            int removed = 0;
            for (Uevent device : now.values()) {
                if (!present.containsKey(device.devpath())) {
                    pass(device.withAction("add", Map.of("RESCAN", "1")));
                    added++;
                }
            }
            for (Uevent device : present.values()) {
                if (!now.containsKey(device.devpath())) {
                    pass(device.withAction("remove", Map.of("RESCAN", "1")));
                    removed++;
                }
            }
            present = now;
            scannedUpTo = upTo;
            LOG.log(Level.WARNING, "uevents were lost (receive buffer overflow); a rescan of " + settings.sysfs()
                    + " found " + added + " added and " + removed + " removed devices");
        }
    }

    /** Under the lock. */
    private void pass(Uevent event) {
        if (filter.wants(event)) {
            passed++;
            sink.accept(event);
        }
    }


    @Override
    public void close() {
        running = false;
        try {
            thread.join(2_000); // a read returns within half a second; the thread closes the socket
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
