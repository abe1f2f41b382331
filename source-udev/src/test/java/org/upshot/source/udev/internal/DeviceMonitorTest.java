package org.upshot.source.udev.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.upshot.event.EventExpression;
import org.upshot.job.JobView;
import org.upshot.testkit.Await;

/** The monitor on the real kernel: uevents caused by writing to {@code /sys/class/net/lo/uevent} (root only). */
class DeviceMonitorTest {

    private static final Path LO_UEVENT = Path.of("/sys/class/net/lo/uevent");
    private final List<Uevent> passed = new CopyOnWriteArrayList<>();

    @BeforeEach
    void needsRoot() {
        Assumptions.assumeTrue(Files.isWritable(LO_UEVENT),
                "skipped: writing " + LO_UEVENT + " to cause a uevent needs root");
    }

    private static DeviceFilter waitingFor(String event) {
        return DeviceFilter.of(List.of(new JobView("j", Path.of("/j.conf"), Optional.empty(),
                Optional.of(new EventExpression.Match(event, List.of(EventExpression.Argument.equal("INTERFACE", "lo")))),
                Optional.empty(), List.of(), Map.of(), List.of())));
    }

    private DeviceMonitor start() throws Exception {
        return DeviceMonitor.start(new DeviceMonitor.Settings(Path.of("/sys"), Path.of("/nonexistent/udev/control"),
                "auto", 4 * 1024 * 1024), passed::add);
    }

    @Test
    void aChangeWrittenToLoArrivesAsNetDeviceChanged() throws Exception {
        try (DeviceMonitor monitor = start()) {
            monitor.filter(waitingFor("net-device-changed"));
            Files.writeString(LO_UEVENT, "change");
            Await.until(Duration.ofSeconds(10), () -> passed.stream().anyMatch(e -> e.eventName()
                    .equals("net-device-changed")), () -> "net-device-changed for lo; passed " + passed);
            assertTrue(monitor.source().startsWith("kernel uevents"), monitor.source());
        }
    }

    @Test
    void aSyntheticAddCarriesItsUuid() throws Exception {
        String uuid = UUID.randomUUID().toString();
        try (DeviceMonitor monitor = start()) {
            monitor.filter(waitingFor("net-device-added"));
            // lo is present: the first filter announced it once, from the scan
            Await.until(Duration.ofSeconds(10), () -> passed.size() == 1, () -> "coldplug of lo: " + passed);
            assertTrue(passed.get(0).environment().contains("COLDPLUG=1"), passed.get(0).environment().toString());
            Files.writeString(LO_UEVENT, "add " + uuid);
            Await.until(Duration.ofSeconds(10), () -> passed.stream().anyMatch(
                    e -> e.environment().contains("SYNTH_UUID=" + uuid)), () -> "the synthetic add; passed " + passed);
            assertEquals(2, passed.size(), passed.toString());
        }
    }
}
