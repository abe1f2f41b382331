package org.upshot.event;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * An immutable event: a name and an ordered environment of {@code KEY=VALUE} strings.
 *
 * <p>Order matters: positional arguments in an event expression are compared with
 * the values of the event's variables by position ({@code runlevel [2345]} matches
 * {@code RUNLEVEL}, the first variable of a {@code runlevel} event).
 *
 * @param name the event name, non-empty, without whitespace
 * @param env the environment, each entry {@code KEY=VALUE} with a non-empty key
 */
public record Event(String name, List<String> env) {

    /**
     * @throws IllegalArgumentException if the name is empty or holds whitespace, or an
     *     entry has no {@code =} or an empty key
     */
    public Event {
        Objects.requireNonNull(name, "name");
        if (name.isEmpty() || name.chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException("bad event name: '" + name + "'");
        }
        env = List.copyOf(env);
        for (String entry : env) {
            if (entry.indexOf('=') <= 0) {
                throw new IllegalArgumentException("event variable must be KEY=VALUE: '" + entry + "'");
            }
        }
    }

    /** An event with the given environment entries, in order. */
    public static Event of(String name, String... env) {
        return new Event(name, List.of(env));
    }

    /** The value of the first variable named {@code key}, if any. */
    public Optional<String> get(String key) {
        for (String entry : env) {
            int eq = entry.indexOf('=');
            if (eq == key.length() && entry.startsWith(key)) {
                return Optional.of(entry.substring(eq + 1));
            }
        }
        return Optional.empty();
    }

    /** This event with {@code entries} appended to its environment. */
    public Event with(List<String> entries) {
        List<String> all = new ArrayList<>(env);
        all.addAll(entries);
        return new Event(name, all);
    }

    /** The Upstart-style rendering: {@code name KEY=VALUE ...}. */
    @Override
    public String toString() {
        return env.isEmpty() ? name : name + " " + String.join(" ", env);
    }
}
