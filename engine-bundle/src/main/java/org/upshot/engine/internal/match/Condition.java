package org.upshot.engine.internal.match;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import org.upshot.event.Event;
import org.upshot.event.EventExpression;

/**
 * The live state of one {@code start on} or {@code stop on} expression: which leaves
 * have matched, and which events they hold. A job class owns one for {@code start on};
 * each instance owns a {@link #copy()} of its class's {@code stop on}.
 *
 * <p>Semantics are Upstart's ({@code event_operator_handle}, {@code _update},
 * {@code _environment}, {@code _reset}):
 * <ul>
 *   <li>Offering an event ({@link #handle}) lets every leaf that is not yet true try
 *       to match it; a leaf that matches becomes true and <em>holds</em> the event. A
 *       leaf that is already true ignores further events, even identical ones. Then
 *       {@code and}/{@code or} nodes are recomputed bottom-up. So {@code a and b} is
 *       satisfied by events that arrive at different times.</li>
 *   <li>Leaves stay true until {@link #reset()}, which the engine calls once the
 *       condition has fired (or when the job is stopped or reloaded). Reset forgets
 *       everything, which is what makes Upstart's documented quirk: once
 *       {@code A and (B or C)} has fired through {@code A} and {@code B}, a later
 *       {@code C} alone does not fire it again, because {@code A}'s match was thrown
 *       away with the rest.</li>
 *   <li>{@link #matchedEvents()} lists the held events on branches that are true, in
 *       left-to-right order: those, and only those, give the job its environment and
 *       {@code UPSTART_EVENTS} ({@link #addEnvironment}).</li>
 * </ul>
 *
 * <p><b>Holding and blocking.</b> A held event is blocked: it is not finished while a
 * condition holds it. The type parameter {@code E} is whatever the engine's queue uses
 * for one occurrence of an event (identity matters: two equal {@link Event} records
 * emitted twice are two occurrences). The {@link Holder} given at construction is told
 * of every {@code hold} and {@code release}, one call per leaf, so the queue can keep a
 * blocker count per occurrence; {@code A and A} holds the same occurrence twice.
 *
 * <p>Not thread-safe: the engine thread owns all conditions. {@code handle} walks a
 * flat post-order array of the tree, so deep left-associative chains
 * ({@code a or b or c ...}) cost no recursion.
 *
 * @param <E> the engine's event occurrence type ({@link Event} itself in simple uses)
 */
public final class Condition<E> {

    /**
     * Told when a leaf starts ({@link #hold}) or stops ({@link #release}) holding an
     * event. Called on the engine thread, inside {@link Condition#handle} and
     * {@link Condition#reset}; it must not call back into the condition.
     *
     * @param <E> the event occurrence type
     */
    public interface Holder<E> {
        /** A leaf took {@code event}; it stays blocked until released. */
        void hold(E event);

        /** A leaf let go of {@code event}. */
        void release(E event);

        /** A holder that ignores both calls. */
        static <E> Holder<E> none() {
            return new Holder<>() {
                @Override
                public void hold(E event) {
                }

                @Override
                public void release(E event) {
                }
            };
        }
    }

    private final Shape shape;
    private final Function<? super E, Event> eventOf;
    private final Holder<? super E> holder;
    private final boolean[] values;
    private final Object[] held;

    private Condition(Shape shape, Function<? super E, Event> eventOf, Holder<? super E> holder) {
        this.shape = shape;
        this.eventOf = eventOf;
        this.holder = holder;
        this.values = new boolean[shape.kinds.length];
        this.held = new Object[shape.kinds.length];
    }

    /** A condition over plain {@link Event}s that tells no one about holds. */
    public static Condition<Event> of(EventExpression expression) {
        return new Condition<>(new Shape(expression), Function.identity(), Holder.none());
    }

    /**
     * A condition over the engine's event occurrences.
     *
     * @param eventOf gives the event an occurrence carries
     * @param holder told of every hold and release
     */
    public static <E> Condition<E> of(EventExpression expression, Function<? super E, Event> eventOf,
            Holder<? super E> holder) {
        return new Condition<>(new Shape(expression), Objects.requireNonNull(eventOf, "eventOf"),
                Objects.requireNonNull(holder, "holder"));
    }

    /** A fresh (all false) condition sharing this one's compiled matchers, accessor and holder. */
    public Condition<E> copy() {
        return new Condition<>(shape, eventOf, holder);
    }

    /** The expression this condition evaluates. */
    public EventExpression expression() {
        return shape.expression;
    }

    /** The distinct event names of its leaves, in left-to-right order. */
    public Set<String> eventNames() {
        return shape.eventNames;
    }

    /** The compiled leaves, in left-to-right order. */
    public List<EventMatcher> matchers() {
        return shape.leafMatchers;
    }

    /** {@link #handle(Object, List)} with no environment, as {@code start on} is evaluated. */
    public boolean handle(E event) {
        return handle(event, List.of());
    }

    /**
     * Offers one event occurrence to every leaf that is not yet true.
     *
     * @param env the environment for {@code $} expansion in patterns: the instance's
     *     for {@code stop on}, empty for {@code start on}
     * @return true when this event was taken by a leaf and the whole expression is now
     *     true: the condition fired, and the caller acts and then calls {@link #reset()}
     */
    public boolean handle(E event, List<String> env) {
        Event payload = eventOf.apply(event);
        String name = payload.name();
        byte[] kinds = shape.kinds;
        boolean taken = false;
        for (int i = 0; i < kinds.length; i++) {
            switch (kinds[i]) {
                case Shape.LEAF:
                    if (!values[i] && shape.names[i].equals(name) && shape.matchers[i].matchesVariables(payload, env)) {
                        values[i] = true;
                        held[i] = event;
                        holder.hold(event);
                        taken = true;
                    }
                    break;
                case Shape.AND:
                    values[i] = values[shape.left[i]] && values[shape.right[i]];
                    break;
                default:
                    values[i] = values[shape.left[i]] || values[shape.right[i]];
            }
        }
        return taken && values[kinds.length - 1];
    }

    /** Whether the whole expression is true now. */
    public boolean isTrue() {
        return values[values.length - 1];
    }

    /**
     * The events held on true branches, left to right: the ones that made the
     * expression true. Empty while the expression is false. Unmodifiable.
     */
    public List<E> matchedEvents() {
        int root = values.length - 1;
        if (!values[root]) {
            return List.of();
        }
        if (root == 0) {
            return List.of(heldAt(0));
        }
        List<E> events = new ArrayList<>();
        // An explicit stack of node indexes: no recursion on deep chains.
        int[] pending = new int[values.length];
        int top = 0;
        pending[top++] = root;
        while (top > 0) {
            int node = pending[--top];
            if (!values[node]) {
                continue;
            }
            if (shape.kinds[node] == Shape.LEAF) {
                events.add(heldAt(node));
            } else {
                pending[top++] = shape.right[node];
                pending[top++] = shape.left[node];
            }
        }
        return Collections.unmodifiableList(events);
    }

    /** Every event a leaf holds, true branch or not, left to right (one entry per leaf). */
    public List<E> heldEvents() {
        List<E> events = new ArrayList<>();
        for (int leaf : shape.leaves) {
            if (held[leaf] != null) {
                events.add(heldAt(leaf));
            }
        }
        return events;
    }

    /**
     * What each leaf holds, by the leaf's place among the leaves (left to right): the
     * condition's live state, as a re-exec hands it over ({@link #restore}).
     */
    public Map<Integer, E> heldByLeaf() {
        Map<Integer, E> byLeaf = new LinkedHashMap<>();
        for (int i = 0; i < shape.leaves.length; i++) {
            Object event = held[shape.leaves[i]];
            if (event != null) {
                byLeaf.put(i, heldType(event));
            }
        }
        return byLeaf;
    }

    /**
     * Makes the leaves in {@code byLeaf} (as {@link #heldByLeaf} numbers them) true,
     * holding their events (the holder is told), without matching: a re-executed daemon
     * takes over its predecessor's half-matched condition. Leaves out of range are
     * ignored. Returns whether the whole expression is now true.
     */
    public boolean restore(Map<Integer, E> byLeaf) {
        byLeaf.forEach((leaf, event) -> {
            if (leaf >= 0 && leaf < shape.leaves.length && held[shape.leaves[leaf]] == null) {
                values[shape.leaves[leaf]] = true;
                held[shape.leaves[leaf]] = event;
                holder.hold(event);
            }
        });
        byte[] kinds = shape.kinds;
        for (int i = 0; i < kinds.length; i++) {
            if (kinds[i] == Shape.AND) {
                values[i] = values[shape.left[i]] && values[shape.right[i]];
            } else if (kinds[i] == Shape.OR) {
                values[i] = values[shape.left[i]] || values[shape.right[i]];
            }
        }
        return isTrue();
    }

    /** Makes every node false and releases every held event, telling the holder of each. */
    public void reset() {
        for (int leaf : shape.leaves) {
            Object event = held[leaf];
            if (event != null) {
                held[leaf] = null;
                values[leaf] = false;
                holder.release(heldType(event));
            }
        }
        if (values.length > 1) {
            Arrays.fill(values, false);
        }
    }

    /**
     * Adds the environment of {@link #matchedEvents()} to a mutable table, each event's
     * variables in order with later ones replacing earlier ones of the same key, then
     * {@code namesKey=NAME NAME...} ({@code UPSTART_EVENTS} for a start,
     * {@code UPSTART_STOP_EVENTS} for a stop).
     */
    public void addEnvironment(List<String> table, String namesKey) {
        StringBuilder names = new StringBuilder();
        for (E occurrence : matchedEvents()) {
            Event event = eventOf.apply(occurrence);
            Environ.setAll(table, event.env());
            if (names.length() > 0) {
                names.append(' ');
            }
            names.append(event.name());
        }
        Environ.set(table, namesKey + "=" + names);
    }

    private E heldAt(int node) {
        return heldType(held[node]);
    }

    @SuppressWarnings("unchecked")
    private E heldType(Object event) {
        return (E) event;
    }

    @Override
    public String toString() {
        return shape.expression + (isTrue() ? " [true]" : "");
    }

    /** The compiled, immutable tree in post-order: children before parents, root last. */
    private static final class Shape {
        static final byte LEAF = 0;
        static final byte AND = 1;
        static final byte OR = 2;

        final EventExpression expression;
        final byte[] kinds;
        final int[] left;
        final int[] right;
        final EventMatcher[] matchers;
        /** Each leaf's event name, kept here to spare a pointer chase per leaf tested. */
        final String[] names;
        final int[] leaves;
        final List<EventMatcher> leafMatchers;
        final Set<String> eventNames;

        Shape(EventExpression expression) {
            this.expression = Objects.requireNonNull(expression, "expression");
            List<EventExpression> order = postOrder(expression);
            int n = order.size();
            kinds = new byte[n];
            left = new int[n];
            right = new int[n];
            matchers = new EventMatcher[n];
            names = new String[n];
            List<Integer> leafList = new ArrayList<>();
            List<EventMatcher> leafMatcherList = new ArrayList<>();
            Set<String> distinctNames = new LinkedHashSet<>();
            Deque<Integer> done = new ArrayDeque<>();
            for (int i = 0; i < n; i++) {
                EventExpression node = order.get(i);
                if (node instanceof EventExpression.Match) {
                    kinds[i] = LEAF;
                    matchers[i] = EventMatcher.compile((EventExpression.Match) node);
                    names[i] = matchers[i].eventName();
                    leafList.add(i);
                    leafMatcherList.add(matchers[i]);
                    distinctNames.add(names[i]);
                } else {
                    kinds[i] = node instanceof EventExpression.And ? AND : OR;
                    right[i] = done.pop();
                    left[i] = done.pop();
                }
                done.push(i);
            }
            leaves = leafList.stream().mapToInt(Integer::intValue).toArray();
            leafMatchers = List.copyOf(leafMatcherList);
            eventNames = Collections.unmodifiableSet(distinctNames);
        }

        private static List<EventExpression> postOrder(EventExpression root) {
            List<EventExpression> order = new ArrayList<>();
            Deque<EventExpression> pending = new ArrayDeque<>();
            Deque<Boolean> expanded = new ArrayDeque<>();
            pending.push(root);
            expanded.push(false);
            while (!pending.isEmpty()) {
                EventExpression node = pending.pop();
                boolean childrenDone = expanded.pop();
                if (node instanceof EventExpression.Match || childrenDone) {
                    order.add(node);
                    continue;
                }
                pending.push(node);
                expanded.push(true);
                pending.push(rightOf(node));
                expanded.push(false);
                pending.push(leftOf(node));
                expanded.push(false);
            }
            return order;
        }

        private static EventExpression leftOf(EventExpression node) {
            return node instanceof EventExpression.And
                    ? ((EventExpression.And) node).left() : ((EventExpression.Or) node).left();
        }

        private static EventExpression rightOf(EventExpression node) {
            return node instanceof EventExpression.And
                    ? ((EventExpression.And) node).right() : ((EventExpression.Or) node).right();
        }
    }
}
