package org.upshot.engine.internal.match;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.upshot.engine.internal.match.Expressions.and;
import static org.upshot.engine.internal.match.Expressions.on;
import static org.upshot.engine.internal.match.Expressions.or;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.upshot.event.Event;

class EventIndexTest {

    private final EventIndex<String> index = new EventIndex<>();

    @Test
    void eventReachesOnlyTheSubscribersOfItsName() {
        index.add("ssh", on("runlevel", "[2345]"), on("runlevel", "[!2345]"));
        index.add("cron", on("filesystem"));
        assertEquals(List.of("ssh"), index.subscribers(Event.of("runlevel", "RUNLEVEL=2")));
        assertEquals(List.of("cron"), index.subscribers(Event.of("filesystem")));
        assertEquals(List.of(), index.subscribers(Event.of("startup")));
    }

    @Test
    void literalFirstValueNarrowsStartedEventsToTheJobsWaitingForThatJob() {
        index.add("apache-helper", on("started", "apache"));
        index.add("dbus-user", on("started", "dbus"));
        index.add("any-start-logger", on("started", "*"));
        assertEquals(List.of("apache-helper", "any-start-logger"),
                index.subscribers(Event.of("started", "JOB=apache", "INSTANCE=")));
        assertEquals(List.of("any-start-logger"),
                index.subscribers(Event.of("started", "JOB=ssh", "INSTANCE=")));
    }

    @Test
    void subscriberWithBothALiteralAndAGeneralLeafIsReturnedOnce() {
        index.add("both", or(on("started", "apache"), on("started", "JOB=a*")));
        assertEquals(List.of("both"), index.subscribers(Event.of("started", "JOB=apache")));
    }

    @Test
    void resultsKeepRegistrationOrderAcrossBuckets() {
        index.add("first", on("stopping", "dbus"));
        index.add("second", on("stopping"));
        index.add("third", on("stopping", "dbus"));
        index.add("fourth", on("stopping", "RESULT=ok"));
        assertEquals(List.of("first", "second", "third", "fourth"),
                index.subscribers(Event.of("stopping", "JOB=dbus", "RESULT=ok")));
        assertEquals(List.of("first", "second", "third", "fourth"), index.subscribers("stopping"));
    }

    @Test
    void namedLiteralNarrowsSocketEventsToTheJobOnThatPort() {
        // The first inet job is filed under PROTO (nothing to compare yet); later ones
        // go under the port, the smaller bucket.
        index.add("ssh", on("socket", "PROTO=inet", "PORT=22"));
        index.add("web", on("socket", "PROTO=inet", "PORT=80", "ADDR=*"));
        index.add("mail", on("socket", "PROTO=inet", "PORT=25"));
        index.add("any-unix", on("socket", "PROTO!=inet"));
        assertEquals(List.of("ssh", "web", "any-unix"),
                index.subscribers(Event.of("socket", "PROTO=inet", "PORT=80")));
        assertEquals(List.of("any-unix"), index.subscribers(Event.of("socket", "PROTO=unix", "PATH=/x")));
        assertEquals(List.of("ssh", "web", "mail", "any-unix"), index.subscribers("socket"));
    }

    @Test
    void globPrefixNarrowsFileEventsToTheJobsWatchingThatDirectory() {
        index.add("spool-a", on("file", "FILE=/var/spool/a/*.req"));
        index.add("spool-ab", on("file", "FILE=/var/spool/ab/*"));
        index.add("spool", on("file", "FILE=/var/spool/*"));
        index.add("anywhere", on("file", "FILE=*.req"));
        assertEquals(List.of("spool-a", "spool", "anywhere"),
                index.subscribers(Event.of("file", "FILE=/var/spool/a/*.req", "EVENT=create")));
        assertEquals(List.of("spool-ab", "spool", "anywhere"),
                index.subscribers(Event.of("file", "FILE=/var/spool/ab/*", "EVENT=create")));
        assertEquals(List.of("anywhere"), index.subscribers(Event.of("file", "FILE=/etc/x", "EVENT=create")));
        assertEquals(List.of("anywhere"), index.subscribers(Event.of("file", "FILE=/var", "EVENT=create")));
        assertEquals(List.of("spool-a", "spool-ab", "spool", "anywhere"), index.subscribers("file"));
    }

    @Test
    void theSmallerBucketWinsAndOnATieAnExactValue() {
        index.add("picky", on("net-device-up", "IFACE=eth*", "ADDRFAM=inet6"));
        assertEquals(List.of("picky"), index.subscribers(Event.of("net-device-up", "IFACE=wlan0", "ADDRFAM=inet6")));
        assertEquals(List.of(), index.subscribers(Event.of("net-device-up", "IFACE=eth1", "ADDRFAM=inet")));
        index.add("spool-a", on("file", "FILE=/srv/a/*", "EVENT=create"));
        index.add("spool-b", on("file", "FILE=/srv/b/*", "EVENT=create"));
        index.add("spool-c", on("file", "FILE=/srv/c/*", "EVENT=create"));
        // The first is filed under EVENT=create; the others, under their directories.
        assertEquals(List.of("spool-a", "spool-c"), index.subscribers(Event.of("file", "FILE=/srv/c/*", "EVENT=create")));
    }

    @Test
    void removingThePrefixSubscribersForgetsTheirPrefixes() {
        index.add("short", on("file", "FILE=/a*"));
        index.add("long", on("file", "FILE=/a/b/c*"));
        index.remove("long");
        assertEquals(List.of("short"), index.subscribers(Event.of("file", "FILE=/a/b/c/d")));
        index.remove("short");
        assertEquals(List.of(), index.subscribers(Event.of("file", "FILE=/a/b/c/d")));
        assertEquals(List.of(), index.subscribers("file"));
    }

    @Test
    void subscriberFiledUnderSeveralVariablesOfOneEventIsReturnedOnce() {
        index.add("both", or(on("socket", "PORT=80"), on("socket", "inet")));
        index.add("other", on("socket", "PORT=80"));
        index.add("general", on("socket"));
        assertEquals(List.of("both", "other", "general"),
                index.subscribers(Event.of("socket", "PROTO=inet", "PORT=80")));
    }

    @Test
    void eventWithNoVariablesReachesOnlyGeneralSubscribers() {
        index.add("literal", on("started", "apache"));
        index.add("general", on("started"));
        assertEquals(List.of("general"), index.subscribers(Event.of("started")));
    }

    @Test
    void dollarPositionalIsFiledAsGeneral() {
        index.add("tty1", on("stopping", "$JOB"));
        assertEquals(List.of("tty1"), index.subscribers(Event.of("stopping", "JOB=anything")));
    }

    @Test
    void instanceStopOnFiledWithItsEnvironmentNarrowsByTheExpandedValue() {
        EventIndex<String> instances = new EventIndex<>();
        Condition<Event> classStopOn = Condition.of(on("net-device-down", "IFACE=$IFACE"));
        instances.add("eth0", classStopOn.matchers(), List.of("IFACE=eth0"));
        instances.add("eth1", classStopOn.matchers(), List.of("IFACE=eth1"));
        instances.add("no-env", classStopOn.matchers());
        assertEquals(List.of("eth1", "no-env"), instances.subscribers(Event.of("net-device-down", "IFACE=eth1")));
    }

    @Test
    void removeForgetsEveryRegistrationOfTheSubscriber() {
        index.add("ssh", and(on("started", "dbus"), on("runlevel", "[2345]")));
        assertTrue(index.remove("ssh"));
        assertFalse(index.contains("ssh"));
        assertEquals(List.of(), index.subscribers(Event.of("started", "JOB=dbus")));
        assertEquals(List.of(), index.subscribers(Event.of("runlevel", "RUNLEVEL=2")));
        assertFalse(index.remove("ssh"));
        assertEquals(0, index.size());
    }

    @Test
    void reAddingOnConfigReloadReplacesTheOldRegistration() {
        index.add("job", on("startup"));
        index.add("job", on("filesystem"));
        assertEquals(List.of(), index.subscribers(Event.of("startup")));
        assertEquals(List.of("job"), index.subscribers(Event.of("filesystem")));
        assertEquals(Set.of("filesystem"), index.eventNames("job"));
        assertEquals(1, index.size());
    }

    @Test
    void snapshotIsUnaffectedByChangesDuringIteration() {
        index.add("a", on("startup"));
        index.add("b", on("startup"));
        List<String> snapshot = index.subscribers(Event.of("startup"));
        index.remove("a");
        index.add("c", on("startup"));
        assertEquals(List.of("a", "b"), snapshot);
        assertEquals(List.of("b", "c"), index.subscribers(Event.of("startup")));
    }

    @Test
    void nullExpressionsAreSkipped() {
        index.add("manual-job", on("stopping", "dbus"), null);
        assertEquals(Set.of("stopping"), index.eventNames("manual-job"));
        index.add("no-events", (org.upshot.event.EventExpression) null);
        assertTrue(index.contains("no-events"));
        assertEquals(Set.of(), index.eventNames("no-events"));
    }

    @Test
    void indexedHandlingReachesEveryJobAScanWouldFireAndSkipsThoseItCannot() {
        // The index only narrows: every condition that would match must be reached.
        EventIndex<Condition<Event>> conditions = new EventIndex<>();
        List<Condition<Event>> all = List.of(
                Condition.of(on("started", "dbus")),
                Condition.of(on("started", "d*")),
                Condition.of(and(on("started", "dbus"), on("runlevel", "[2345]"))),
                Condition.of(on("net-device-up", "IFACE!=lo")),
                Condition.of(on("started", "JOB=dbus")),
                Condition.of(on("started", "JOB=db*")),
                Condition.of(on("started", "JOB=dbus?")),
                Condition.of(on("started", "JOB=\\d*")),
                Condition.of(on("started", "JOB=d[ab]us")));
        Condition<Event> otherPrefix = Condition.of(on("started", "JOB=dbx*"));
        Condition<Event> otherVariable = Condition.of(on("started", "INSTANCE=x*"));
        for (Condition<Event> condition : all) {
            conditions.add(condition, condition.matchers());
        }
        conditions.add(otherPrefix, otherPrefix.matchers());
        conditions.add(otherVariable, otherVariable.matchers());
        Event started = Event.of("started", "JOB=dbus", "INSTANCE=");
        List<Condition<Event>> reached = conditions.subscribers(started);
        for (Condition<Event> condition : all) {
            boolean wouldMatch = condition.matchers().stream().anyMatch(m -> m.matches(started));
            assertTrue(!wouldMatch || reached.contains(condition), condition.toString());
        }
        assertFalse(reached.contains(otherPrefix));
        assertFalse(reached.contains(otherVariable));
    }
}
