package org.upshot.source.udev.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The devices present now, read from {@code /sys/devices} as {@code udevadm trigger}
 * finds them: every directory with a {@code uevent} file and a {@code subsystem} link.
 */
public final class Sysfs {

    private final Path root;

    /** @param root the sysfs mount, {@code /sys} */
    public Sysfs(Path root) {
        this.root = root;
    }

    /** The kernel's latest uevent sequence number: events up to it are reflected in a scan made after. */
    public long seqnum() {
        try {
            return Long.parseLong(Files.readString(root.resolve("kernel/uevent_seqnum")).strip());
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
    }

    /** Every present device as an {@code add} event, by DEVPATH. */
    public Map<String, Uevent> scan() throws IOException {
        Map<String, Uevent> devices = new LinkedHashMap<>();
        Path start = root.resolve("devices");
        Files.walkFileTree(start, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes) {
                device(dir).ifPresent(device -> devices.put(device.devpath(), device));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) {
                return FileVisitResult.CONTINUE; // a device that went while we looked
            }
        });
        return devices;
    }

    private java.util.Optional<Uevent> device(Path dir) {
        Path subsystem = dir.resolve("subsystem");
        Path uevent = dir.resolve("uevent");
        if (!Files.isSymbolicLink(subsystem) || !Files.isRegularFile(uevent)) {
            return java.util.Optional.empty();
        }
        try {
            Map<String, String> properties = new LinkedHashMap<>();
            properties.put("ACTION", "add");
            properties.put("DEVPATH", "/" + root.relativize(dir).toString());
            properties.put("SUBSYSTEM", Files.readSymbolicLink(subsystem).getFileName().toString());
            for (String line : Files.readAllLines(uevent, StandardCharsets.UTF_8)) {
                int eq = line.indexOf('=');
                if (eq > 0) {
                    properties.put(line.substring(0, eq), line.substring(eq + 1));
                }
            }
            return Uevent.of(properties);
        } catch (IOException | RuntimeException e) {
            return java.util.Optional.empty();
        }
    }
}
