package org.upshot.source.udev.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SysfsTest {

    @TempDir
    Path sys;

    @Test
    void aScanFindsEveryDeviceWithAUeventFileAndASubsystem() throws Exception {
        Path net = Files.createDirectories(sys.resolve("class/net"));
        Path veth = Files.createDirectories(sys.resolve("devices/virtual/net/veth0"));
        Files.createSymbolicLink(veth.resolve("subsystem"), net);
        Files.writeString(veth.resolve("uevent"), "INTERFACE=veth0\nIFINDEX=7\n");
        Path queue = Files.createDirectories(veth.resolve("queues/rx-0"));
        Files.writeString(queue.resolve("uevent"), "");
        Files.writeString(Files.createDirectories(sys.resolve("kernel")).resolve("uevent_seqnum"), "1234\n");

        Map<String, Uevent> devices = new Sysfs(sys).scan();
        assertEquals(1, devices.size(), "rx-0 has no subsystem link: " + devices);
        Uevent device = devices.get("/devices/virtual/net/veth0");
        assertEquals("net-device-added", device.eventName());
        assertTrue(device.environment().contains("INTERFACE=veth0"), device.environment().toString());
        assertEquals(1234, new Sysfs(sys).seqnum());
    }

    @Test
    void theRealSysfsHasTheLoopbackInterface() throws Exception {
        Map<String, Uevent> devices = new Sysfs(Path.of("/sys")).scan();
        assertTrue(devices.containsKey("/devices/virtual/net/lo"), "lo among " + devices.size() + " devices");
        assertTrue(new Sysfs(Path.of("/sys")).seqnum() > 0);
    }
}
