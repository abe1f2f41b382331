package org.upshot.source.udev.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SysfsTest {

    @TempDir
    Path sys;

    /**
     * A device directory {@code devpath} with a uevent file and a link to {@code subsystem}
     * ({@code class/net}, {@code bus/pci}), listed in the class or in the bus's {@code devices}.
     */
    private Path device(String devpath, String subsystem, String uevent) throws IOException {
        Path dir = Files.createDirectories(sys.resolve(devpath));
        Path subsystemDir = Files.createDirectories(sys.resolve(subsystem));
        Files.createSymbolicLink(dir.resolve("subsystem"), dir.relativize(subsystemDir));
        Files.writeString(dir.resolve("uevent"), uevent);
        Path list = Files.createDirectories(subsystem.startsWith("bus/") ? subsystemDir.resolve("devices")
                : subsystemDir);
        Files.createSymbolicLink(list.resolve(dir.getFileName()), list.relativize(dir));
        return dir;
    }

    @Test
    void whereUdevdRunsItsPropertiesAfterRulesJoinTheKernels() throws Exception {
        device("devices/pci0000:00/block/sda", "class/block", "MAJOR=8\nMINOR=0\nDEVNAME=sda\nDEVTYPE=disk\n");
        device("devices/virtual/net/veth0", "class/net", "INTERFACE=veth0\nIFINDEX=7\n");
        Path data = Files.createDirectories(sys.resolve("udev-data"));
        Files.writeString(data.resolve("b8:0"), "S:disk/by-label/data\nE:ID_FS_LABEL=data\nE:DEVTYPE=ignored\n");
        Files.writeString(data.resolve("n7"), "E:ID_NET_NAME_PATH=enp0s3\n");

        Map<String, Uevent> devices = new Sysfs(sys, data).scan();
        List<String> disk = devices.get("/devices/pci0000:00/block/sda").environment();
        assertTrue(disk.contains("ID_FS_LABEL=data"), disk.toString());
        assertTrue(disk.contains("DEVTYPE=disk"), "the kernel's value stands: " + disk);
        assertTrue(devices.get("/devices/virtual/net/veth0").environment().contains("ID_NET_NAME_PATH=enp0s3"));
    }

    @Test
    void aScanFindsEveryDeviceInTheClassAndBusListsParentsFirst() throws Exception {
        Path veth = device("devices/virtual/net/veth0", "class/net", "INTERFACE=veth0\nIFINDEX=7\n");
        Path queue = Files.createDirectories(veth.resolve("queues/rx-0"));
        Files.writeString(queue.resolve("uevent"), "");
        device("devices/pci0000:00/0000:00:03.0/net/eth0", "class/net", "INTERFACE=eth0\nIFINDEX=2\n");
        device("devices/pci0000:00/0000:00:03.0", "bus/pci", "PCI_ID=1AF4:1000\n");
        Files.createDirectories(sys.resolve("bus/nodevices")); // a bus without its devices/ list
        Path module = Files.createDirectories(sys.resolve("module/veth"));
        Files.writeString(module.resolve("uevent"), "");
        Files.createSymbolicLink(sys.resolve("class/net/stray"), sys.resolve("class/net").relativize(module));
        Files.writeString(Files.createDirectories(sys.resolve("kernel")).resolve("uevent_seqnum"), "1234\n");

        Map<String, Uevent> devices = new Sysfs(sys).scan();
        assertEquals(List.of("/devices/pci0000:00/0000:00:03.0", "/devices/pci0000:00/0000:00:03.0/net/eth0",
                "/devices/virtual/net/veth0"), List.copyOf(devices.keySet()),
                "rx-0 is in no list, the stray link leads out of devices/; parents come first");
        Uevent device = devices.get("/devices/virtual/net/veth0");
        assertEquals("net-device-added", device.eventName());
        assertTrue(device.environment().contains("INTERFACE=veth0"), device.environment().toString());
        assertEquals("pci-device-added", devices.get("/devices/pci0000:00/0000:00:03.0").eventName());
        assertEquals(1234, new Sysfs(sys).seqnum());
    }

    @Test
    void theRealSysfsHasTheLoopbackInterface() throws Exception {
        Map<String, Uevent> devices = new Sysfs(Path.of("/sys")).scan();
        assertTrue(devices.containsKey("/devices/virtual/net/lo"), "lo among " + devices.size() + " devices");
        assertTrue(new Sysfs(Path.of("/sys")).seqnum() > 0);
    }

    /**
     * The lists find what a walk of every directory under {@code /sys/devices} with a
     * uevent file and a subsystem link finds. Devices may come and go meanwhile (other
     * processes' links): the scan must hold what both walks found, and only what one did.
     */
    @Test
    void theRealSysfsListsHoldWhatAWalkOfSysDevicesFinds() throws Exception {
        Set<String> before = walk(Path.of("/sys"));
        Set<String> scanned = new Sysfs(Path.of("/sys")).scan().keySet();
        Set<String> after = walk(Path.of("/sys"));
        Set<String> both = new TreeSet<>(before);
        both.retainAll(after);
        Set<String> either = new TreeSet<>(before);
        either.addAll(after);
        Set<String> missed = new TreeSet<>(both);
        missed.removeAll(scanned);
        Set<String> extra = new TreeSet<>(scanned);
        extra.removeAll(either);
        assertTrue(missed.isEmpty(), "the walk found, the lists did not: " + missed);
        assertTrue(extra.isEmpty(), "the lists found, the walk did not: " + extra);
    }

    private static Set<String> walk(Path root) throws IOException {
        Set<String> found = new TreeSet<>();
        Files.walkFileTree(root.resolve("devices"), new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes) {
                if (Files.isSymbolicLink(dir.resolve("subsystem")) && Files.isRegularFile(dir.resolve("uevent"))) {
                    found.add("/" + root.relativize(dir));
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) {
                return FileVisitResult.CONTINUE;
            }
        });
        return found;
    }
}
