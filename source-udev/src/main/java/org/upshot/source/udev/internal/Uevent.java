package org.upshot.source.udev.internal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.upshot.event.Event;

/**
 * One device event: what the kernel or udev said happened to which device, with every
 * property, in upstart-udev-bridge's terms.
 *
 * @param action {@code add}, {@code change}, {@code remove}, or any other action verbatim
 * @param devpath the device's path under {@code /sys}, e.g. {@code /devices/virtual/net/lo}
 * @param subsystem e.g. {@code net}
 * @param properties every property as sent, in order ({@code ACTION}, {@code DEVPATH} and
 *     {@code SUBSYSTEM} included)
 */
public record Uevent(String action, String devpath, String subsystem, Map<String, String> properties) {

    /** The variables the bridge set first, in its order. */
    private static final List<String> FIRST = List.of("KERNEL", "DEVPATH", "DEVNAME", "SUBSYSTEM", "ACTION");
    /** {@code "libudev\0"}: a message from udevd's monitor, properties after rules. */
    private static final byte[] LIBUDEV = "libudev\0".getBytes(StandardCharsets.US_ASCII);
    private static final int LIBUDEV_MAGIC = 0xfeedcafe;

    public Uevent {
        properties = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(properties));
    }

    /**
     * Reads one netlink message: the kernel's ({@code ACTION@DEVPATH\0KEY=VALUE\0...}) or
     * libudev's (a header, then {@code KEY=VALUE\0...} at the offset it names).
     *
     * @return empty for a message that is neither, or lacks ACTION, DEVPATH or SUBSYSTEM
     */
    public static Optional<Uevent> parse(byte[] message, int length) {
        int from;
        int to = length;
        if (startsWith(message, length, LIBUDEV)) {
            if (length < 40) {
                return Optional.empty();
            }
            ByteBuffer header = ByteBuffer.wrap(message, 0, length).order(ByteOrder.BIG_ENDIAN);
            if (header.getInt(8) != LIBUDEV_MAGIC) {
                return Optional.empty();
            }
            ByteBuffer sizes = ByteBuffer.wrap(message, 0, length).order(ByteOrder.nativeOrder());
            long offset = Integer.toUnsignedLong(sizes.getInt(16));
            long size = Integer.toUnsignedLong(sizes.getInt(20));
            if (offset > length || offset + size > length) {
                return Optional.empty();
            }
            from = (int) offset;
            to = (int) (offset + size);
        } else {
            int end = indexOf(message, 0, length);
            String head = new String(message, 0, end, StandardCharsets.UTF_8);
            if (!head.contains("@")) {
                return Optional.empty();
            }
            from = end + 1;
        }
        Map<String, String> properties = new LinkedHashMap<>();
        while (from < to) {
            int end = indexOf(message, from, to);
            String entry = new String(message, from, end - from, StandardCharsets.UTF_8);
            int eq = entry.indexOf('=');
            if (eq > 0) {
                properties.put(entry.substring(0, eq), entry.substring(eq + 1));
            }
            from = end + 1;
        }
        return of(properties);
    }

    /** An event from its properties, as a {@code uevent} file or a message gives them; empty without the three keys. */
    public static Optional<Uevent> of(Map<String, String> properties) {
        String action = properties.get("ACTION");
        String devpath = properties.get("DEVPATH");
        String subsystem = properties.get("SUBSYSTEM");
        if (action == null || devpath == null || subsystem == null || action.isEmpty() || subsystem.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Uevent(action, devpath, subsystem, properties));
    }

    private static boolean startsWith(byte[] message, int length, byte[] prefix) {
        if (length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (message[i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    private static int indexOf(byte[] message, int from, int to) {
        for (int i = from; i < to; i++) {
            if (message[i] == 0) {
                return i;
            }
        }
        return to;
    }

    /** The bridge's name: {@code net-device-added}, {@code -changed}, {@code -removed}, else {@code -ACTION}. */
    public String eventName() {
        String what;
        switch (action) {
            case "add":
                what = "added";
                break;
            case "change":
                what = "changed";
                break;
            case "remove":
                what = "removed";
                break;
            default:
                what = action;
        }
        return subsystem + "-device-" + what;
    }

    /** The kernel's sequence number, or -1 if it has none (a coldplug scan, a synthetic event). */
    public long seqnum() {
        try {
            return Long.parseLong(properties.getOrDefault("SEQNUM", "-1"));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /**
     * The event's variables as the bridge set them: {@code KERNEL DEVPATH DEVNAME SUBSYSTEM
     * ACTION} first ({@code DEVNAME} as a {@code /dev} path, only for a device node), then
     * every other property in order; bytes that are not printable are dropped.
     */
    public List<String> environment() {
        List<String> out = new ArrayList<>();
        variables().forEach((key, value) -> out.add(key + "=" + value));
        return out;
    }

    /** {@link #environment()} as a map, in the same order. */
    public Map<String, String> variables() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("KERNEL", devpath.substring(devpath.lastIndexOf('/') + 1));
        env.put("DEVPATH", devpath);
        String devname = properties.get("DEVNAME");
        if (devname != null && !devname.isEmpty()) {
            env.put("DEVNAME", devname.startsWith("/") ? devname : "/dev/" + devname);
        }
        env.put("SUBSYSTEM", subsystem);
        env.put("ACTION", action);
        properties.forEach((key, value) -> {
            if (!FIRST.contains(key)) {
                env.put(key, value);
            }
        });
        Map<String, String> printable = new LinkedHashMap<>();
        env.forEach((key, value) -> printable.put(printable(key), printable(value)));
        return printable;
    }

    /** The event the engine gets. */
    public Event toEvent() {
        return new Event(eventName(), environment());
    }

    private static String printable(String text) {
        StringBuilder out = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean keep = c >= 0x20 && c != 0x7f;
            if (!keep && out == null) {
                out = new StringBuilder(text.length()).append(text, 0, i);
            } else if (keep && out != null) {
                out.append(c);
            }
        }
        return out == null ? text : out.toString();
    }

    /** The same device and properties under another action (a rescan's {@code remove}). */
    public Uevent withAction(String newAction, Map<String, String> extra) {
        Map<String, String> changed = new LinkedHashMap<>(properties);
        changed.put("ACTION", newAction);
        changed.putAll(extra);
        return new Uevent(newAction, devpath, subsystem, changed);
    }
}
