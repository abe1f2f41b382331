package org.upshot.source.udev.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The devices present now, found as {@code udevadm trigger} finds them: every entry of
 * {@code /sys/class/*} and {@code /sys/bus/*}{@code /devices}, a link to the device's
 * directory under {@code /sys/devices}, which has a {@code uevent} file and a
 * {@code subsystem} link. Those lists are exactly the devices with a subsystem; walking
 * {@code /sys/devices} instead finds the same ones but visits every attribute file on the
 * way, ten times as slow with a thousand interfaces, and the rescan after an overflow
 * runs while the next uevents pile up.
 */
public final class Sysfs {

    private final Path root;
    private final Path udevData;

    /** @param root the sysfs mount, {@code /sys} */
    public Sysfs(Path root) {
        this(root, Path.of("/run/udev/data"));
    }

    /**
     * @param root the sysfs mount, {@code /sys}
     * @param udevData udevd's database, {@code /run/udev/data}: where it runs, a device's
     *     properties after rules ({@code ID_*}) are added to what {@code uevent} says
     */
    public Sysfs(Path root, Path udevData) {
        this.root = root;
        this.udevData = udevData;
    }

    /** The kernel's latest uevent sequence number: events up to it are reflected in a scan made after. */
    public long seqnum() {
        try {
            return Long.parseLong(Files.readString(root.resolve("kernel/uevent_seqnum")).strip());
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
    }

    /**
     * Every present device as an {@code add} event, by DEVPATH, parents before their
     * children (in DEVPATH order).
     *
     * @throws IOException if neither {@code class} nor {@code bus} can be listed
     */
    public Map<String, Uevent> scan() throws IOException {
        List<Path> lists = new ArrayList<>();
        IOException failure = null;
        for (String kind : List.of("class", "bus")) {
            try (DirectoryStream<Path> subsystems = Files.newDirectoryStream(root.resolve(kind))) {
                for (Path subsystem : subsystems) {
                    lists.add(kind.equals("bus") ? subsystem.resolve("devices") : subsystem);
                }
            } catch (IOException e) {
                failure = e;
            }
        }
        if (lists.isEmpty() && failure != null) {
            throw failure;
        }
        Map<String, Uevent> devices = new TreeMap<>();
        for (Path list : lists) {
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(list)) {
                for (Path entry : entries) {
                    device(list, entry).ifPresent(device -> devices.putIfAbsent(device.devpath(), device));
                }
            } catch (IOException e) {
                // a bus without devices/, or a list that went while we looked
            }
        }
        return new LinkedHashMap<>(devices);
    }

    /** The device {@code entry} (a link in {@code list}) points to, if it is one with a uevent file and a subsystem. */
    /**
     * udevd keeps each device's properties in {@code b|cMAJOR:MINOR} (a node) or
     * {@code nIFINDEX} (a network interface), as {@code E:KEY=VALUE} lines.
     */
    private void addUdevProperties(Map<String, String> properties) {
        String major = properties.get("MAJOR");
        String minor = properties.get("MINOR");
        String name = major != null && minor != null
                ? ("block".equals(properties.get("SUBSYSTEM")) ? "b" : "c") + major + ":" + minor
                : properties.containsKey("IFINDEX") ? "n" + properties.get("IFINDEX") : null;
        if (name == null) {
            return;
        }
        try {
            for (String line : Files.readAllLines(udevData.resolve(name), StandardCharsets.UTF_8)) {
                if (line.startsWith("E:")) {
                    put(line.substring(2), properties);
                }
            }
        } catch (IOException e) {
            // no udevd here, or it has not seen the device: the kernel's properties alone
        }
    }

    private static void put(String line, Map<String, String> properties) {
        int eq = line.indexOf('=');
        if (eq > 0) {
            properties.putIfAbsent(line.substring(0, eq), line.substring(eq + 1));
        }
    }

    private Optional<Uevent> device(Path list, Path entry) {
        try {
            Path dir = list.resolve(Files.readSymbolicLink(entry)).normalize();
            Path relative = root.relativize(dir);
            if (!relative.startsWith("devices")) {
                return Optional.empty();
            }
            Map<String, String> properties = new LinkedHashMap<>();
            properties.put("ACTION", "add");
            properties.put("DEVPATH", "/" + relative);
            properties.put("SUBSYSTEM", Files.readSymbolicLink(dir.resolve("subsystem")).getFileName().toString());
            for (String line : Files.readAllLines(dir.resolve("uevent"), StandardCharsets.UTF_8)) {
                put(line, properties);
            }
            addUdevProperties(properties);
            return Uevent.of(properties);
        } catch (IOException | RuntimeException e) {
            return Optional.empty(); // not a link, no subsystem, or a device that went while we looked
        }
    }
}
