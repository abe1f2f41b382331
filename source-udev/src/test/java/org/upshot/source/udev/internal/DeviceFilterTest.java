package org.upshot.source.udev.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.upshot.event.EventExpression;
import org.upshot.job.JobView;

class DeviceFilterTest {

    private static JobView job(String name, EventExpression startOn, EventExpression stopOn) {
        return new JobView(name, Path.of("/etc/init/" + name + ".conf"), Optional.empty(), Optional.ofNullable(startOn),
                Optional.ofNullable(stopOn), List.of(), Map.of(), List.of());
    }

    private static EventExpression.Match match(String event, EventExpression.Argument... arguments) {
        return new EventExpression.Match(event, List.of(arguments));
    }

    private static Uevent net(String action, String name) {
        return Uevent.of(Map.of("ACTION", action, "DEVPATH", "/devices/virtual/net/" + name, "SUBSYSTEM", "net",
                "INTERFACE", name)).orElseThrow();
    }

    @Test
    void passesOnlyWhatSomeConditionCouldMatch() {
        DeviceFilter filter = DeviceFilter.of(List.of(
                job("veths", match("net-device-added", EventExpression.Argument.equal("INTERFACE", "veth*")),
                        match("net-device-removed", EventExpression.Argument.equal("INTERFACE", "$INTERFACE"))),
                job("unrelated", match("startup"), null)));
        assertTrue(filter.wants(net("add", "veth3")));
        assertFalse(filter.wants(net("add", "eth0")), "INTERFACE does not match veth*");
        assertTrue(filter.wants(net("remove", "eth0")), "$INTERFACE is the engine's to judge");
        assertFalse(filter.wants(net("change", "veth3")), "no job waits for net-device-changed");
        assertEquals(List.of("veths"), filter.jobs());
    }

    @Test
    void anEventNameMadeFromAVariableLetsEveryDeviceEventThrough() {
        DeviceFilter filter = DeviceFilter.of(List.of(job("kind", match("$KIND-device-added"), null)));
        assertTrue(filter.wants(net("add", "lo")));
        assertTrue(filter.wants(net("remove", "lo")));
    }

    @Test
    void nothingPassesWhenNoJobWaitsForDevices() {
        assertFalse(DeviceFilter.of(List.of(job("boot", match("startup"), null))).wants(net("add", "lo")));
        assertFalse(DeviceFilter.none().wants(net("add", "lo")));
    }

    @Test
    void aGlobbedEventNameAndAnOrAreFollowed() {
        DeviceFilter filter = DeviceFilter.of(List.of(job("any", new EventExpression.Or(match("startup"),
                match("*-device-added")), null)));
        assertTrue(filter.wants(net("add", "lo")));
        assertFalse(filter.wants(net("remove", "lo")));
    }
}
