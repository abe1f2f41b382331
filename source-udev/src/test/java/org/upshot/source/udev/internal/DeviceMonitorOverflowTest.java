package org.upshot.source.udev.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.upshot.event.EventExpression;
import org.upshot.job.JobView;
import org.upshot.testkit.Await;

/**
 * The monitor after an overflow, against a sysfs tree of the test's and a stand-in for
 * the socket that answers as netlink does: once it has reported {@code ENOBUFS} it drops
 * every uevent, and says nothing more, until a read finds its queue empty. The real
 * kernel's burst is in the distribution's {@code UdevIT}.
 */
@Timeout(30)
class DeviceMonitorOverflowTest {

    @TempDir
    Path sys;

    private final List<Uevent> passed = new CopyOnWriteArrayList<>();

    /** One answer of the stand-in socket: a length, or -1 for an empty queue; may throw the overflow. */
    private interface Answer {
        int into(byte[] buffer) throws IOException;
    }

    /** The stand-in socket: answers in order; with none left, nothing came. */
    private static final class Script implements DeviceMonitor.Receiver {
        private final Deque<Answer> answers = new ArrayDeque<>();

        synchronized void play(List<Answer> more) {
            answers.addAll(more);
            notifyAll();
        }

        synchronized boolean done() {
            return answers.isEmpty();
        }

        @Override
        public synchronized int receive(byte[] buffer, boolean wait) throws IOException {
            if (answers.isEmpty() && wait) {
                try {
                    wait(20); // the real socket's read times out too
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            Answer next = answers.poll();
            return next == null ? -1 : next.into(buffer);
        }

        @Override
        public void close() {
        }
    }

    /** Net device {@code name} appears, listed in {@code class/net}; the kernel's seqnum moves to {@code seqnum}. */
    private void appear(String name, long seqnum) throws IOException {
        Path dir = Files.createDirectories(sys.resolve("devices/virtual/net/" + name));
        Path net = Files.createDirectories(sys.resolve("class/net"));
        Files.createSymbolicLink(dir.resolve("subsystem"), dir.relativize(net));
        Files.writeString(dir.resolve("uevent"), "INTERFACE=" + name + "\n");
        Files.createSymbolicLink(net.resolve(name), net.relativize(dir));
        Files.writeString(Files.createDirectories(sys.resolve("kernel")).resolve("uevent_seqnum"), seqnum + "\n");
    }

    /** The kernel's message for {@code name}'s add, sequence number {@code seqnum}. */
    private static Answer added(String name, long seqnum) {
        return buffer -> {
            String devpath = "/devices/virtual/net/" + name;
            byte[] message = ("add@" + devpath + "\0ACTION=add\0DEVPATH=" + devpath + "\0SUBSYSTEM=net\0INTERFACE="
                    + name + "\0SEQNUM=" + seqnum + "\0").getBytes(StandardCharsets.US_ASCII);
            System.arraycopy(message, 0, buffer, 0, message.length);
            return message.length;
        };
    }

    private static DeviceFilter everyNetDeviceAdded() {
        return DeviceFilter.of(List.of(new JobView("j", Path.of("/j.conf"), Optional.empty(),
                Optional.of(new EventExpression.Match("net-device-added", List.of())), Optional.empty(), List.of(),
                Map.of(), List.of())));
    }

    /** Each passed event as {@code INTERFACE how}: coldplug, rescan or live. */
    private List<String> passedSoFar() {
        return passed.stream().map(event -> event.properties().get("INTERFACE") + " "
                + (event.properties().containsKey("COLDPLUG") ? "coldplug"
                        : event.properties().containsKey("RESCAN") ? "rescan" : "live"))
                .collect(Collectors.toList());
    }

    @Test
    void theRescanAfterAnOverflowWaitsUntilTheQueueIsReadEmpty() throws Exception {
        appear("lo", 5);
        Script socket = new Script();
        DeviceMonitor.Settings settings = new DeviceMonitor.Settings(sys, sys.resolve("no-udev"), "kernel", 4096);
        try (DeviceMonitor monitor = DeviceMonitor.start(settings, socket, "a script", passed::add)) {
            monitor.filter(everyNetDeviceAdded());
            assertEquals(List.of("lo coldplug"), passedSoFar());

            // uvt0's add was queued before the overflow; uvt1's was dropped while the
            // queue was still full, so only a scan made after the queue was read finds it
            appear("uvt0", 6);
            socket.play(List.of(buffer -> {
                throw new UeventSocket.Overflow();
            }, added("uvt0", 6), buffer -> {
                appear("uvt1", 7);
                return -1;
            }));
            Await.until(Duration.ofSeconds(10), () -> passed.size() >= 3 && socket.done(),
                    () -> "three events passed; passed " + passedSoFar());
            assertEquals(List.of("lo coldplug", "uvt0 live", "uvt1 rescan"), passedSoFar());
            assertEquals(1, monitor.counts().overflows());

            // the rescan's sequence number holds: uvt1's own message, late, is not passed
            // again; uvt2's, after it, is
            appear("uvt2", 8);
            socket.play(List.of(added("uvt1", 7), added("uvt2", 8)));
            Await.until(Duration.ofSeconds(10), () -> passed.size() >= 4, () -> "uvt2 passed; passed " + passedSoFar());
            assertEquals(List.of("lo coldplug", "uvt0 live", "uvt1 rescan", "uvt2 live"), passedSoFar());
        }
    }
}
