package org.upshot.engine.internal.match;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.upshot.engine.internal.match.EventMatcher.Discriminator;
import org.upshot.event.Event;
import org.upshot.event.EventExpression;

/**
 * Which subscribers (job classes, in the engine) wait for which events, so that
 * handling one event touches only the subscribers that could match it instead of
 * scanning every job.
 *
 * <p>A subscriber is filed under each leaf of its expressions. A leaf with
 * {@linkplain EventMatcher#discriminators() discriminators}, exact values some
 * variables must have ({@code started apache}: first variable {@code apache};
 * {@code socket PORT=80}: {@code PORT} is {@code 80}), is filed under (name, variable,
 * value) for the one whose bucket is smallest at registration; a leaf with only
 * prefixes ({@code file FILE=/var/spool/x/*}) likewise under (name, variable, prefix);
 * any other leaf under its event name alone. {@link #subscribers(Event)}
 * returns the name's general subscribers plus, for each variable used as a
 * discriminator with that name, those filed under the event's own value of it or under
 * a prefix of that value. So a {@code started apache} event reaches the few jobs that
 * wait for apache, not the hundreds that wait for some other job. The index only
 * narrows: callers still run each subscriber's {@link Condition}, which decides.
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
    /** Event name, then discriminating variable. */
    private final Map<String, Map<String, Values<S>>> narrowed = new HashMap<>();
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
        add(subscriber, matchers, List.of());
    }

    /**
     * Registers {@code subscriber} for leaves that will be matched with {@code env}: a
     * running instance's {@code stop on}, whose {@code $VAR} patterns then narrow
     * like literals ({@code stopping $JOB}). Replaces any earlier registration of it.
     */
    public void add(S subscriber, Iterable<EventMatcher> matchers, List<String> env) {
        Objects.requireNonNull(subscriber, "subscriber");
        remove(subscriber);
        Set<Key> keys = new LinkedHashSet<>();
        for (EventMatcher matcher : matchers) {
            keys.add(new Key(matcher.eventName(), narrowest(matcher, env)));
        }
        long sequence = nextSequence++;
        for (Key key : keys) {
            bucket(key, true).put(subscriber, sequence);
        }
        registrations.put(subscriber, new Registration(keys, sequence));
    }

    /**
     * The discriminator whose bucket is smallest now (ties to an exact value over a
     * prefix, then to the first), a cheap guess at the most selective one:
     * {@code socket PROTO=inet PORT=80} should be filed under the port, shared by few,
     * rather than the protocol, shared by all, and {@code file FILE=/srv/x/* EVENT=create}
     * under its directory rather than the kind of change.
     */
    private Discriminator narrowest(EventMatcher matcher, List<String> env) {
        Discriminator best = null;
        int bestSize = Integer.MAX_VALUE;
        for (Discriminator candidate : matcher.discriminators(env)) {
            Values<S> values = narrowed.getOrDefault(matcher.eventName(), Map.of()).get(candidate.key());
            Bucket<S> bucket = values == null ? null : values.bucket(candidate, false);
            int size = bucket == null ? 0 : bucket.members.size();
            boolean better = best == null || size < bestSize
                    || (size == bestSize && best.prefix() && !candidate.prefix());
            if (better) {
                best = candidate;
                bestSize = size;
            }
        }
        return best;
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
        Map<String, Values<S>> byVariable = narrowed.get(event.name());
        if (byVariable == null) {
            return wide == null ? List.of() : wide.snapshot();
        }
        List<Bucket<S>> hits = new ArrayList<>(byVariable.size() + 1);
        if (wide != null) {
            hits.add(wide);
        }
        for (Map.Entry<String, Values<S>> variable : byVariable.entrySet()) {
            String value = EventMatcher.variable(event, variable.getKey());
            if (value != null) {
                variable.getValue().collect(value, hits);
            }
        }
        if (hits.size() == 1) {
            return hits.get(0).snapshot();
        }
        return hits.isEmpty() ? List.of() : merge(hits);
    }

    /** Every subscriber registered for the event name {@code name}, whatever its values. */
    public List<S> subscribers(String name) {
        List<Bucket<S>> buckets = new ArrayList<>();
        if (general.containsKey(name)) {
            buckets.add(general.get(name));
        }
        for (Values<S> values : narrowed.getOrDefault(name, Map.of()).values()) {
            values.addAllTo(buckets);
        }
        return merge(buckets);
    }

    private Bucket<S> bucket(Key key, boolean create) {
        if (key.discriminator == null) {
            return create ? general.computeIfAbsent(key.name, name -> new Bucket<>()) : general.get(key.name);
        }
        Discriminator discriminator = key.discriminator;
        if (!create) {
            return narrowed.get(key.name).get(discriminator.key()).bucket(discriminator, false);
        }
        return narrowed.computeIfAbsent(key.name, name -> new HashMap<>())
                .computeIfAbsent(discriminator.key(), variable -> new Values<>())
                .bucket(discriminator, true);
    }

    private void drop(Key key) {
        if (key.discriminator == null) {
            general.remove(key.name);
            return;
        }
        Map<String, Values<S>> byVariable = narrowed.get(key.name);
        Values<S> values = byVariable.get(key.discriminator.key());
        values.remove(key.discriminator);
        if (values.isEmpty()) {
            byVariable.remove(key.discriminator.key());
        }
        if (byVariable.isEmpty()) {
            narrowed.remove(key.name);
        }
    }

    /** The union of several buckets in registration order, each subscriber once. */
    private static <S> List<S> merge(List<Bucket<S>> buckets) {
        Object[] subscribers = new Object[0];
        long[] sequences = new long[0];
        for (Bucket<S> bucket : buckets) {
            Object[] otherSubscribers = bucket.snapshot().toArray();
            long[] otherSequences = bucket.sequences;
            Object[] mergedSubscribers = new Object[subscribers.length + otherSubscribers.length];
            long[] mergedSequences = new long[mergedSubscribers.length];
            int i = 0;
            int j = 0;
            int n = 0;
            while (i < subscribers.length || j < otherSubscribers.length) {
                boolean takeLeft = j == otherSubscribers.length
                        || (i < subscribers.length && sequences[i] <= otherSequences[j]);
                if (takeLeft) {
                    if (j < otherSubscribers.length && sequences[i] == otherSequences[j]) {
                        // The same subscriber filed under both keys.
                        j++;
                    }
                    mergedSequences[n] = sequences[i];
                    mergedSubscribers[n++] = subscribers[i++];
                } else {
                    mergedSequences[n] = otherSequences[j];
                    mergedSubscribers[n++] = otherSubscribers[j++];
                }
            }
            subscribers = Arrays.copyOf(mergedSubscribers, n);
            sequences = Arrays.copyOf(mergedSequences, n);
        }
        @SuppressWarnings("unchecked")
        List<S> merged = (List<S>) Collections.unmodifiableList(Arrays.asList(subscribers));
        return merged;
    }

    /** An event name and the variable value (or prefix) a leaf needs, or null for none. */
    private record Key(String name, Discriminator discriminator) {
    }

    /** The keys one subscriber is filed under, and when it was registered. */
    private record Registration(Set<Key> keys, long sequence) {
    }

    /** The buckets of one event name's one variable: by exact value, and by prefix. */
    private static final class Values<S> {
        final Map<String, Bucket<S>> exact = new HashMap<>();
        final Map<String, Bucket<S>> prefixes = new HashMap<>();
        /**
         * The distinct lengths of {@code prefixes}' keys, ascending: a value is looked up
         * once per length, as few as the distinct prefixes' lengths, not the subscribers.
         */
        int[] prefixLengths = new int[0];

        Bucket<S> bucket(Discriminator discriminator, boolean create) {
            Map<String, Bucket<S>> buckets = discriminator.prefix() ? prefixes : exact;
            if (!create || buckets.containsKey(discriminator.value())) {
                return buckets.get(discriminator.value());
            }
            Bucket<S> bucket = new Bucket<>();
            buckets.put(discriminator.value(), bucket);
            if (discriminator.prefix()) {
                measurePrefixes();
            }
            return bucket;
        }

        void remove(Discriminator discriminator) {
            if (discriminator.prefix()) {
                prefixes.remove(discriminator.value());
                measurePrefixes();
            } else {
                exact.remove(discriminator.value());
            }
        }

        private void measurePrefixes() {
            prefixLengths = prefixes.keySet().stream().mapToInt(String::length).distinct().sorted().toArray();
        }

        boolean isEmpty() {
            return exact.isEmpty() && prefixes.isEmpty();
        }

        /** Adds the buckets {@code value} reaches: its exact one, then those of its prefixes, shortest first. */
        void collect(String value, List<Bucket<S>> hits) {
            Bucket<S> same = exact.get(value);
            if (same != null) {
                hits.add(same);
            }
            for (int length : prefixLengths) {
                if (length > value.length()) {
                    break;
                }
                Bucket<S> bucket = prefixes.get(value.substring(0, length));
                if (bucket != null) {
                    hits.add(bucket);
                }
            }
        }

        void addAllTo(List<Bucket<S>> buckets) {
            buckets.addAll(exact.values());
            buckets.addAll(prefixes.values());
        }
    }

    /** Subscribers under one key, in registration order, with a cached snapshot. */
    private static final class Bucket<S> {
        final LinkedHashMap<S, Long> members = new LinkedHashMap<>();
        private List<S> snapshot;
        /** Registration sequence of each snapshot member, ascending. */
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
