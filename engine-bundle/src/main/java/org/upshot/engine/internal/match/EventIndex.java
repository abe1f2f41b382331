package org.upshot.engine.internal.match;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.upshot.event.Event;
import org.upshot.event.EventExpression;

/**
 * Which subscribers (job classes, in the engine) wait for which events, so that
 * handling one event touches only the subscribers that could match it instead of
 * scanning every job.
 *
 * <p>A subscriber is registered under each leaf of its expressions. A leaf whose first
 * argument is a literal positional value ({@code started apache}, {@code stopping
 * dbus}) is filed under the pair (name, value), everything else under the name alone.
 * {@link #subscribers(Event)} then returns the name's general subscribers plus those
 * filed under the event's first value, so a {@code started apache} event reaches the
 * few jobs that wait for apache and not the hundreds that wait for some other
 * {@code started} event. The index only narrows: callers still run each subscriber's
 * {@link Condition}, which decides.
 *
 * <p>Results are in registration order (a re-added subscriber moves to the end), each
 * subscriber at most once. Returned lists are immutable snapshots, so the index may be
 * changed while one is iterated (a configuration reload during event handling).
 * Subscribers are told apart by {@code equals}/{@code hashCode}. Not thread-safe: the
 * engine thread owns it.
 *
 * @param <S> the subscriber type
 */
public final class EventIndex<S> {

    private final Map<String, Bucket<S>> general = new HashMap<>();
    private final Map<String, Map<String, Bucket<S>>> byFirstValue = new HashMap<>();
    private final Map<S, Registration> registrations = new HashMap<>();
    private long nextSequence;

    /**
     * Registers {@code subscriber} for the leaves of {@code expressions}, replacing any
     * earlier registration of it. Null expressions (no {@code start on}, say) are skipped.
     */
    public void add(S subscriber, EventExpression... expressions) {
        List<EventMatcher> matchers = new ArrayList<>();
        for (EventExpression expression : expressions) {
            if (expression != null) {
                matchers.addAll(Condition.of(expression).matchers());
            }
        }
        add(subscriber, matchers);
    }

    /** Registers {@code subscriber} for the given leaves, replacing any earlier registration of it. */
    public void add(S subscriber, Iterable<EventMatcher> matchers) {
        Objects.requireNonNull(subscriber, "subscriber");
        remove(subscriber);
        Set<Key> keys = new LinkedHashSet<>();
        for (EventMatcher matcher : matchers) {
            keys.add(new Key(matcher.eventName(), matcher.firstPositionalLiteral()));
        }
        long sequence = nextSequence++;
        for (Key key : keys) {
            bucket(key, true).put(subscriber, sequence);
        }
        registrations.put(subscriber, new Registration(keys, sequence));
    }

    /** Forgets {@code subscriber}; tells whether it was registered. */
    public boolean remove(S subscriber) {
        Registration registration = registrations.remove(subscriber);
        if (registration == null) {
            return false;
        }
        for (Key key : registration.keys) {
            Bucket<S> bucket = bucket(key, false);
            bucket.remove(subscriber);
            if (bucket.isEmpty()) {
                drop(key);
            }
        }
        return true;
    }

    /** Whether {@code subscriber} is registered. */
    public boolean contains(S subscriber) {
        return registrations.containsKey(subscriber);
    }

    /** How many subscribers are registered. */
    public int size() {
        return registrations.size();
    }

    /** The event names {@code subscriber} is registered for, or an empty set. */
    public Set<String> eventNames(S subscriber) {
        Registration registration = registrations.get(subscriber);
        Set<String> names = new LinkedHashSet<>();
        if (registration != null) {
            for (Key key : registration.keys) {
                names.add(key.name);
            }
        }
        return names;
    }

    /** The subscribers that may match {@code event}: a superset of those that do. */
    public List<S> subscribers(Event event) {
        Bucket<S> wide = general.get(event.name());
        Bucket<S> narrow = null;
        Map<String, Bucket<S>> values = byFirstValue.get(event.name());
        if (values != null && !event.env().isEmpty()) {
            String first = event.env().get(0);
            narrow = values.get(first.substring(first.indexOf('=') + 1));
        }
        return merge(wide, narrow);
    }

    /** Every subscriber registered for the event name {@code name}, whatever its values. */
    public List<S> subscribers(String name) {
        Set<S> all = new LinkedHashSet<>();
        Bucket<S> wide = general.get(name);
        if (wide != null) {
            all.addAll(wide.snapshot());
        }
        for (Bucket<S> bucket : byFirstValue.getOrDefault(name, Map.of()).values()) {
            all.addAll(bucket.snapshot());
        }
        List<S> ordered = new ArrayList<>(all);
        ordered.sort(Comparator.comparingLong(subscriber -> registrations.get(subscriber).sequence));
        return List.copyOf(ordered);
    }

    private Bucket<S> bucket(Key key, boolean create) {
        if (key.value == null) {
            return create ? general.computeIfAbsent(key.name, name -> new Bucket<>()) : general.get(key.name);
        }
        Map<String, Bucket<S>> values = create
                ? byFirstValue.computeIfAbsent(key.name, name -> new HashMap<>())
                : byFirstValue.get(key.name);
        return create ? values.computeIfAbsent(key.value, value -> new Bucket<>()) : values.get(key.value);
    }

    private void drop(Key key) {
        if (key.value == null) {
            general.remove(key.name);
            return;
        }
        Map<String, Bucket<S>> values = byFirstValue.get(key.name);
        values.remove(key.value);
        if (values.isEmpty()) {
            byFirstValue.remove(key.name);
        }
    }

    private static <S> List<S> merge(Bucket<S> wide, Bucket<S> narrow) {
        if (narrow == null) {
            return wide == null ? List.of() : wide.snapshot();
        }
        if (wide == null) {
            return narrow.snapshot();
        }
        List<S> a = wide.snapshot();
        List<S> b = narrow.snapshot();
        long[] aSeq = wide.sequences;
        long[] bSeq = narrow.sequences;
        List<S> merged = new ArrayList<>(a.size() + b.size());
        int i = 0;
        int j = 0;
        while (i < a.size() || j < b.size()) {
            if (j == b.size() || (i < a.size() && aSeq[i] < bSeq[j])) {
                merged.add(a.get(i++));
            } else if (i == a.size() || bSeq[j] < aSeq[i]) {
                merged.add(b.get(j++));
            } else {
                // The same subscriber in both buckets (one general leaf, one literal).
                merged.add(a.get(i++));
                j++;
            }
        }
        return merged;
    }

    /** An event name and a literal first value, or null for leaves without one. */
    private record Key(String name, String value) {
    }

    /** The keys one subscriber is filed under, and when it was registered. */
    private record Registration(Set<Key> keys, long sequence) {
    }

    /** Subscribers under one key, in registration order, with a cached snapshot. */
    private static final class Bucket<S> {
        final LinkedHashMap<S, Long> members = new LinkedHashMap<>();
        private List<S> snapshot;
        long[] sequences;

        void put(S subscriber, long sequence) {
            members.put(subscriber, sequence);
            snapshot = null;
        }

        void remove(S subscriber) {
            members.remove(subscriber);
            snapshot = null;
        }

        boolean isEmpty() {
            return members.isEmpty();
        }

        List<S> snapshot() {
            if (snapshot == null) {
                snapshot = List.copyOf(members.keySet());
                sequences = members.values().stream().mapToLong(Long::longValue).toArray();
            }
            return snapshot;
        }
    }
}
