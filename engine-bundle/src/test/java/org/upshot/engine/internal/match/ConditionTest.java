package org.upshot.engine.internal.match;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.upshot.engine.internal.match.Expressions.and;
import static org.upshot.engine.internal.match.Expressions.on;
import static org.upshot.engine.internal.match.Expressions.or;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.upshot.event.Event;
import org.upshot.event.EventExpression;

class ConditionTest {

    /** One occurrence of an event in a queue, with Upstart's blocker count. */
    static final class Queued {
        final Event event;
        int blockers;

        Queued(Event event) {
            this.event = event;
        }

        Event event() {
            return event;
        }
    }

    /** Counts holds on each occurrence, as the engine's queue would. */
    static final class Blockers implements Condition.Holder<Queued> {
        final Map<Queued, Integer> releases = new IdentityHashMap<>();

        @Override
        public void hold(Queued event) {
            event.blockers++;
        }

        @Override
        public void release(Queued event) {
            event.blockers--;
            releases.merge(event, 1, Integer::sum);
        }
    }

    private final Blockers blockers = new Blockers();

    private Condition<Queued> condition(EventExpression expression) {
        return Condition.of(expression, Queued::event, blockers);
    }

    private static Queued queued(String name, String... env) {
        return new Queued(Event.of(name, env));
    }

    private static List<String> names(List<Queued> events) {
        List<String> names = new ArrayList<>();
        for (Queued queued : events) {
            names.add(queued.event.name());
        }
        return names;
    }

    @Test
    void singleMatchFiresOnItsEvent() {
        Condition<Event> condition = Condition.of(on("startup"));
        assertFalse(condition.handle(Event.of("shutdown")));
        assertTrue(condition.handle(Event.of("startup")));
        assertTrue(condition.isTrue());
    }

    @Test
    void aUpAndBUpIsSatisfiedByEventsAtDifferentTimes() {
        Condition<Queued> condition = condition(and(on("a-up"), on("b-up")));
        Queued a = queued("a-up");
        assertFalse(condition.handle(a));
        assertFalse(condition.isTrue());
        assertFalse(condition.handle(queued("c-up")));
        Queued b = queued("b-up");
        assertTrue(condition.handle(b));
        assertEquals(List.of(a, b), condition.matchedEvents());
    }

    @Test
    void orFiresOnEitherSide() {
        Condition<Event> left = Condition.of(or(on("a"), on("b")));
        assertTrue(left.handle(Event.of("a")));
        Condition<Event> right = Condition.of(or(on("a"), on("b")));
        assertTrue(right.handle(Event.of("b")));
    }

    @Test
    void partlyMatchingEventIsHeldAndBlockedButTheRootStaysFalse() {
        Condition<Queued> condition = condition(and(on("wibble"), on("wobble")));
        Queued wibble = queued("wibble");
        assertFalse(condition.handle(wibble));
        assertEquals(1, wibble.blockers);
        assertEquals(List.of(wibble), condition.heldEvents());
        assertEquals(List.of(), condition.matchedEvents());
    }

    @Test
    void duplicateEventIsNotTakenByALeafThatIsAlreadyTrue() {
        Condition<Queued> condition = condition(and(on("wibble"), on("wobble")));
        Queued first = queued("wibble");
        Queued second = queued("wibble");
        condition.handle(first);
        assertFalse(condition.handle(second));
        assertEquals(1, first.blockers);
        assertEquals(0, second.blockers);
    }

    @Test
    void completingEventMakesTheRootTrueAndIsHeldToo() {
        Condition<Queued> condition = condition(and(on("wibble"), on("wobble")));
        Queued wibble = queued("wibble");
        Queued wobble = queued("wobble");
        condition.handle(wibble);
        assertTrue(condition.handle(wobble));
        assertEquals(1, wobble.blockers);
    }

    @Test
    void resetReleasesEveryHeldEventAndMakesEverythingFalse() {
        Condition<Queued> condition = condition(and(on("wibble"), or(on("wobble"), on("wiggle"))));
        Queued wibble = queued("wibble");
        Queued wiggle = queued("wiggle");
        condition.handle(wibble);
        condition.handle(wiggle);
        assertTrue(condition.isTrue());
        condition.reset();
        assertEquals(Map.of(wibble, 1, wiggle, 1), Map.copyOf(blockers.releases));
        assertEquals(0, wibble.blockers);
        assertEquals(0, wiggle.blockers);
        assertFalse(condition.isTrue());
        assertEquals(List.of(), condition.heldEvents());
    }

    @Test
    void eventTakenByTwoLeavesIsHeldTwice() {
        Condition<Queued> condition = condition(and(on("net-device-up", "IFACE=eth*"), on("net-device-up")));
        Queued up = queued("net-device-up", "IFACE=eth0");
        assertTrue(condition.handle(up));
        assertEquals(2, up.blockers);
        condition.reset();
        assertEquals(0, up.blockers);
        assertEquals(2, blockers.releases.get(up));
    }

    @Test
    void matchedEventsLeaveOutBranchesThatAreNotTrue() {
        // (a and b) or c: a arrives, then c fires the root; a's branch is false.
        Condition<Queued> condition = condition(or(and(on("a"), on("b")), on("c")));
        Queued a = queued("a");
        Queued c = queued("c");
        condition.handle(a);
        assertTrue(condition.handle(c));
        assertEquals(List.of(c), condition.matchedEvents());
        assertEquals(List.of(a, c), condition.heldEvents());
    }

    @Test
    void matchedEventsOfAnOrWithBothSidesTrueIncludeBoth() {
        Condition<Queued> condition = condition(and(or(on("a"), on("b")), on("c")));
        condition.handle(queued("b"));
        condition.handle(queued("a"));
        assertTrue(condition.handle(queued("c")));
        assertEquals(List.of("a", "b", "c"), names(condition.matchedEvents()));
    }

    @Test
    void aAndBOrCDoesNotFireAgainThroughCAfterFiringThroughB() {
        // Upstart's documented quirk: after firing through A and B, the reset forgets A,
        // so C alone is not enough; A has to happen again.
        Condition<Event> condition = Condition.of(and(on("A"), or(on("B"), on("C"))));
        condition.handle(Event.of("A"));
        assertTrue(condition.handle(Event.of("B")));
        condition.reset();
        assertFalse(condition.handle(Event.of("C")));
        assertTrue(condition.handle(Event.of("A")));
    }

    @Test
    void leftAssociativeGroupingOrThenAndNeedsTheLastOperand() {
        // "a or b and c" parses as ((a or b) and c): a alone does not fire.
        Condition<Event> condition = Condition.of(and(or(on("a"), on("b")), on("c")));
        assertFalse(condition.handle(Event.of("a")));
        assertTrue(condition.handle(Event.of("c")));
    }

    @Test
    void rightGroupedOrAndFiresOnTheFirstOperandAlone() {
        // "a or (b and c)": a alone fires.
        Condition<Event> condition = Condition.of(or(on("a"), and(on("b"), on("c"))));
        assertTrue(condition.handle(Event.of("a")));
    }

    @Test
    void eventThatMatchesNoLeafDoesNotReportAFireEvenIfTheRootIsAlreadyTrue() {
        Condition<Event> condition = Condition.of(on("a"));
        assertTrue(condition.handle(Event.of("a")));
        assertFalse(condition.handle(Event.of("b")));
        assertTrue(condition.isTrue());
    }

    @Test
    void stopOnDollarVariableUsesTheGivenEnvironment() {
        Condition<Event> stopOn = Condition.of(on("net-device-down", "IFACE=$IFACE"));
        List<String> instance = List.of("IFACE=eth0");
        assertFalse(stopOn.handle(Event.of("net-device-down", "IFACE=eth1"), instance));
        assertTrue(stopOn.handle(Event.of("net-device-down", "IFACE=eth0"), instance));
    }

    @Test
    void copiesEvaluateIndependently() {
        Condition<Event> classStopOn = Condition.of(on("net-device-down", "IFACE=$IFACE"));
        Condition<Event> eth0 = classStopOn.copy();
        Condition<Event> eth1 = classStopOn.copy();
        Event down = Event.of("net-device-down", "IFACE=eth1");
        assertFalse(eth0.handle(down, List.of("IFACE=eth0")));
        assertTrue(eth1.handle(down, List.of("IFACE=eth1")));
        assertFalse(eth0.isTrue());
        assertSame(classStopOn.matchers().get(0), eth0.matchers().get(0));
    }

    @Test
    void environmentMergesMatchedEventsAndListsTheirNames() {
        Condition<Event> condition = Condition.of(and(on("net-device-up", "IFACE=eth*"), on("local-filesystems")));
        condition.handle(Event.of("net-device-up", "IFACE=eth0", "METHOD=dhcp"));
        condition.handle(Event.of("local-filesystems", "METHOD=static"));
        List<String> env = new ArrayList<>(List.of("PATH=/bin", "TERM=linux"));
        condition.addEnvironment(env, "UPSTART_EVENTS");
        assertEquals(List.of("PATH=/bin", "TERM=linux", "IFACE=eth0", "METHOD=static",
                "UPSTART_EVENTS=net-device-up local-filesystems"), env);
    }

    @Test
    void environmentOfAStopUsesItsOwnNamesKey() {
        Condition<Event> condition = Condition.of(on("runlevel", "[016]"));
        condition.handle(Event.of("runlevel", "RUNLEVEL=0", "PREVLEVEL=2"));
        List<String> env = new ArrayList<>();
        condition.addEnvironment(env, "UPSTART_STOP_EVENTS");
        assertEquals(List.of("RUNLEVEL=0", "PREVLEVEL=2", "UPSTART_STOP_EVENTS=runlevel"), env);
    }

    @Test
    void eventNamesAreDistinctInLeftToRightOrder() {
        Condition<Event> condition = Condition.of(or(and(on("b"), on("a")), or(on("b", "x"), on("c"))));
        assertEquals(List.of("b", "a", "c"), List.copyOf(condition.eventNames()));
        assertEquals(Set.of("a", "b", "c"), condition.eventNames());
        assertEquals(4, condition.matchers().size());
    }

    @Test
    void longLeftAssociativeChainNeedsNoRecursion() {
        EventExpression chain = on("e0");
        for (int i = 1; i < 50_000; i++) {
            chain = or(chain, on("e" + i));
        }
        Condition<Event> condition = Condition.of(chain);
        assertTrue(condition.handle(Event.of("e49999")));
        assertEquals(1, condition.matchedEvents().size());
        condition.reset();
        assertFalse(condition.isTrue());
    }
}
