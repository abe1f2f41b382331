package org.upshot.source.files.internal;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Bounds the events one burst of file changes can cause.
 *
 * <p>Changes are grouped by (pattern, kind). When a group has been quiet for a whole
 * window, its next change is emitted at once and opens a window; further changes in
 * the window are held, each distinct path once, and emitted together when the window
 * ends, which opens the next window if anything was emitted. A window holds at most
 * {@code limit} paths; changes beyond that are dropped and counted. So a burst lasting
 * {@code T} makes a group emit at most {@code 1 + limit * (T / window + 1)} events
 * however many files change; a lone change is never delayed; and every change, even a
 * dropped one, is followed within one window by an event of its group (a full window
 * always ends with an emission).
 *
 * <p>Dropping is safe for the jobs file events are meant for: an event is a wake-up
 * ("there is work in the queue"), the job scans the directory itself, and a group
 * that keeps changing keeps emitting every window. A job that needs one event per
 * file must not rely on bursts being reported file by file.
 *
 * <p>Not thread-safe: owned by the watcher's thread. Time is passed in (nanoseconds)
 * so the rules can be tested without a clock.
 */
public final class Coalescer {

    /** One event to emit. */
    public record Emission(PathPattern pattern, FileEventKind kind, Path path) {}

    private record Group(String pattern, FileEventKind kind) {}

    private static final class Window {
        final PathPattern pattern;
        long deadline;
        final Set<Path> seen = new HashSet<>();
        final List<Path> held = new ArrayList<>();

        Window(PathPattern pattern, long deadline) {
            this.pattern = pattern;
            this.deadline = deadline;
        }
    }

    private final long windowNanos;
    private final int limit;
    private final Map<Group, Window> windows = new LinkedHashMap<>();
    private long dropped;

    /**
     * @param windowNanos the window length
     * @param limit the most paths one group holds per window, at least 1
     */
    public Coalescer(long windowNanos, int limit) {
        if (windowNanos < 0 || limit < 1) {
            throw new IllegalArgumentException("window " + windowNanos + " ns, limit " + limit);
        }
        this.windowNanos = windowNanos;
        this.limit = limit;
    }

    /** Records a change; returns the emission to make at once, if the group was quiet. */
    public List<Emission> offer(PathPattern pattern, FileEventKind kind, Path path, long now) {
        Group group = new Group(pattern.text(), kind);
        Window window = windows.get(group);
        if (window == null) {
            window = new Window(pattern, now + windowNanos);
            windows.put(group, window);
            return List.of(new Emission(pattern, kind, path));
        }
        if (window.seen.contains(path)) {
            return List.of();
        }
        if (window.held.size() >= limit) {
            dropped++;
            return List.of();
        }
        window.seen.add(path);
        window.held.add(path);
        return List.of();
    }

    /** Ends the windows due by {@code now}; returns what they held, in arrival order per group. */
    public List<Emission> flush(long now) {
        List<Emission> out = new ArrayList<>();
        for (Iterator<Map.Entry<Group, Window>> it = windows.entrySet().iterator(); it.hasNext();) {
            Map.Entry<Group, Window> entry = it.next();
            Window window = entry.getValue();
            if (window.deadline - now > 0) {
                continue;
            }
            if (window.held.isEmpty()) {
                it.remove();
                continue;
            }
            for (Path path : window.held) {
                out.add(new Emission(window.pattern, entry.getKey().kind(), path));
            }
            window.held.clear();
            window.seen.clear();
            window.deadline = now + windowNanos;
        }
        return out;
    }

    /** When the earliest open window ends, if any is open. */
    public OptionalLong nextDeadline() {
        return windows.values().stream().mapToLong(w -> w.deadline).min();
    }

    /** Changes dropped because their window was full, since this coalescer was made. */
    public long dropped() {
        return dropped;
    }
}
