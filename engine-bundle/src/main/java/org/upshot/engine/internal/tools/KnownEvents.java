package org.upshot.engine.internal.tools;

import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.upshot.event.Glob;

/**
 * Events that exist without any job declaring them in {@code emits}: what the engine
 * emits itself, what the tools emit, and what the event sources emit. {@code check-config}
 * does not report a {@code start on}/{@code stop on} that waits for one of these.
 *
 * <p>Keep this list in step with the engine and the sources: engine events from SPEC §4
 * and Upstart's {@code init/events.h}; {@code runlevel} from {@code telinit}/{@code shutdown};
 * the boot compatibility events the distribution's default jobs or sources provide
 * (SPEC §4); bridge events by Upstart's names, which Upshot's sources keep (SPEC §6).
 */
final class KnownEvents {

    /** Exact names. */
    static final Set<String> NAMES = Set.of(
            // The engine
            "startup", "starting", "started", "stopping", "stopped",
            "control-alt-delete", "keyboard-request", "power-status-changed", "session-end",
            // telinit, shutdown, reboot
            "runlevel",
            // Boot compatibility events the distribution provides (SPEC section 4)
            "filesystem", "local-filesystems", "virtual-filesystems", "remote-filesystems",
            "static-network-up",
            // Sources: socket, files, D-Bus, timer
            "socket", "file", "dbus", "idle");

    /**
     * Glob patterns: udev's {@code SUBSYSTEM-device-ACTION}, the network events
     * ({@code net-device-up IFACE=...}), and the session's copies of system events.
     */
    static final List<Glob> PATTERNS = Stream.of("net-device-*",
            "*-device-added", "*-device-changed", "*-device-removed", "*-device-online",
            "*-device-offline", "*-device-move", "*-device-bind", "*-device-unbind",
            ":sys:*").map(Glob::compile).toList();

    private KnownEvents() {}

    /** True when {@code event} is emitted by the engine, a tool or a source. */
    static boolean covers(String event) {
        String base = event.endsWith("/failed") ? event.substring(0, event.length() - "/failed".length()) : event;
        return NAMES.contains(base) || PATTERNS.stream().anyMatch(glob -> glob.matches(base));
    }
}
