package org.upshot.engine.internal.match;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.upshot.engine.internal.match.Expressions.on;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.upshot.engine.internal.match.EventMatcher.Discriminator;
import org.upshot.event.Event;
import org.upshot.event.Glob;
import org.upshot.event.EventExpression;

class EventMatcherTest {

    private static final Event HOBBITS = Event.of("wibble", "FRODO=foo", "BILBO=bar", "MERRY=baz");

    private static boolean matches(EventExpression.Match match, Event event) {
        return EventMatcher.compile(match).matches(event);
    }

    @Test
    void nameMustBeEqual() {
        assertTrue(matches(on("wibble"), HOBBITS));
        assertFalse(matches(on("wobble"), HOBBITS));
    }

    @Test
    void nameIsNotAGlob() {
        assertFalse(matches(on("wib*"), HOBBITS));
        assertTrue(matches(on("wib*"), Event.of("wib*")));
    }

    @Test
    void namedVariablesMatchWhateverOrderTheEventListsThem() {
        assertTrue(matches(on("wibble", "MERRY=baz", "FRODO=foo"), HOBBITS));
    }

    @Test
    void operatorMayListFewerVariablesThanTheEvent() {
        assertTrue(matches(on("wibble", "BILBO=bar"), HOBBITS));
    }

    @Test
    void positionalValuesAreComparedByPositionWhateverTheNames() {
        assertTrue(matches(on("wibble", "foo", "bar", "baz"), HOBBITS));
        assertFalse(matches(on("wibble", "bar", "foo"), HOBBITS));
    }

    @Test
    void morePositionalValuesThanEventVariablesDoesNotMatch() {
        assertFalse(matches(on("wibble", "foo", "bar", "baz", "*"), HOBBITS));
    }

    @Test
    void positionalValuesFollowedByANamedOneMatch() {
        assertTrue(matches(on("wibble", "foo", "bar", "MERRY=baz"), HOBBITS));
        assertFalse(matches(on("wibble", "foo", "bar", "MERRY=quux"), HOBBITS));
    }

    @Test
    void positionalShortFormInterfaceUpWlanStar() {
        EventExpression.Match match = on("interface-up", "wlan*");
        assertTrue(matches(match, Event.of("interface-up", "IFACE=wlan0")));
        assertFalse(matches(match, Event.of("interface-up", "IFACE=eth0")));
        assertFalse(matches(match, Event.of("interface-up")));
    }

    @Test
    void twoNamedGlobsIfaceEthStarAndAddrfamEthernet() {
        EventExpression.Match match = on("net-device-up", "IFACE=eth*", "ADDRFAM=Ethernet");
        assertTrue(matches(match, Event.of("net-device-up", "IFACE=eth1", "LOGICAL=eth1", "ADDRFAM=Ethernet")));
        assertFalse(matches(match, Event.of("net-device-up", "IFACE=eth1", "ADDRFAM=inet")));
        assertFalse(matches(match, Event.of("net-device-up", "IFACE=lo", "ADDRFAM=Ethernet")));
        assertFalse(matches(match, Event.of("net-device-up", "IFACE=eth1")));
    }

    @Test
    void runlevelBracketSetMatchesTheFirstVariable() {
        EventExpression.Match match = on("runlevel", "[2345]");
        assertTrue(matches(match, Event.of("runlevel", "RUNLEVEL=2", "PREVLEVEL=N")));
        assertFalse(matches(match, Event.of("runlevel", "RUNLEVEL=S", "PREVLEVEL=2")));
    }

    @Test
    void negatedRunlevelSetMatchesShutdownLevels() {
        EventExpression.Match match = on("runlevel", "[!2345]");
        assertTrue(matches(match, Event.of("runlevel", "RUNLEVEL=0", "PREVLEVEL=2")));
        assertTrue(matches(match, Event.of("runlevel", "RUNLEVEL=6", "PREVLEVEL=2")));
        assertFalse(matches(match, Event.of("runlevel", "RUNLEVEL=3", "PREVLEVEL=2")));
    }

    @Test
    void startedJobPositionalMatchesTheJobVariable() {
        EventExpression.Match match = on("started", "apache");
        assertTrue(matches(match, Event.of("started", "JOB=apache", "INSTANCE=")));
        assertFalse(matches(match, Event.of("started", "JOB=apache2", "INSTANCE=")));
    }

    @Test
    void notEqualMatchesOtherValuesAndRejectsTheGivenOne() {
        assertTrue(matches(on("wibble", "BILBO!=baz"), HOBBITS));
        assertFalse(matches(on("wibble", "BILBO!=bar"), HOBBITS));
        assertFalse(matches(on("wibble", "BILBO!=b*"), HOBBITS));
    }

    @Test
    void notEqualWithAnAbsentKeyDoesNotMatch() {
        assertFalse(matches(on("wibble", "PIPPIN!=quux"), HOBBITS));
    }

    @Test
    void equalWithAnAbsentKeyDoesNotMatch() {
        assertFalse(matches(on("wibble", "PIPPIN=*"), HOBBITS));
    }

    @Test
    void keyIsMatchedExactlyNotAsAPrefix() {
        Event event = Event.of("net-device-up", "IFACEX=eth0", "IFACE=lo");
        assertFalse(matches(on("net-device-up", "IFACE=eth*"), event));
        assertTrue(matches(on("net-device-up", "IFACE=lo"), event));
    }

    @Test
    void valuesAreGlobs() {
        assertTrue(matches(on("wibble", "BILBO=b?r"), HOBBITS));
        assertTrue(matches(on("wibble", "f*"), HOBBITS));
        assertFalse(matches(on("wibble", "BILBO=b?"), HOBBITS));
    }

    @Test
    void valueContainingEqualsSignsIsMatchedWhole() {
        Event event = Event.of("dbus", "SIGNAL=x", "ARG0=a=b");
        assertTrue(matches(on("dbus", "ARG0=a=b"), event));
        EventExpression.Match positional = new EventExpression.Match("dbus",
                List.of(EventExpression.Argument.positional("x"), EventExpression.Argument.positional("a=*")));
        assertTrue(matches(positional, event));
    }

    @Test
    void emptyPatternMatchesOnlyAnEmptyValue() {
        assertTrue(matches(on("started", "dbus", ""), Event.of("started", "JOB=dbus", "INSTANCE=")));
        assertFalse(matches(on("started", "dbus", ""), Event.of("started", "JOB=dbus", "INSTANCE=x")));
    }

    @Test
    void dollarVariableInStopOnExpandsAgainstTheInstanceEnvironment() {
        EventMatcher matcher = EventMatcher.compile(on("net-device-down", "IFACE=$IFACE"));
        List<String> instance = List.of("IFACE=eth0");
        assertTrue(matcher.matches(Event.of("net-device-down", "IFACE=eth0"), instance));
        assertFalse(matcher.matches(Event.of("net-device-down", "IFACE=eth1"), instance));
    }

    @Test
    void stoppingDollarJobPositionalExpandsTheJobName() {
        EventMatcher matcher = EventMatcher.compile(on("stopping", "$JOB"));
        assertTrue(matcher.matches(Event.of("stopping", "JOB=tty1", "INSTANCE="), List.of("JOB=tty1")));
    }

    @Test
    void negatedRunlevelSetWithDollarVariable() {
        EventMatcher matcher = EventMatcher.compile(on("runlevel", "[!$RUNLEVEL]"));
        List<String> instance = List.of("RUNLEVEL=2");
        assertFalse(matcher.matches(Event.of("runlevel", "RUNLEVEL=2"), instance));
        assertTrue(matcher.matches(Event.of("runlevel", "RUNLEVEL=3"), instance));
    }

    @Test
    void dollarVariableInStartOnNeverMatches() {
        EventMatcher matcher = EventMatcher.compile(on("net-device-up", "IFACE=$IFACE"));
        assertFalse(matcher.matches(Event.of("net-device-up", "IFACE=eth0")));
        assertFalse(matcher.matches(Event.of("net-device-up", "IFACE=$IFACE")));
    }

    @Test
    void unknownVariableFailsTheMatchQuietly() {
        EventMatcher matcher = EventMatcher.compile(on("wibble", "BILBO=$NOPE"));
        assertFalse(matcher.matches(HOBBITS, List.of("FOO=bar")));
    }

    @Test
    void badExpansionSyntaxFailsTheMatchQuietly() {
        EventMatcher matcher = EventMatcher.compile(on("wibble", "BILBO=${FOO"));
        assertFalse(matcher.matches(HOBBITS, List.of("FOO=bar")));
    }

    @Test
    void negatedExpansionErrorIsStillNoMatch() {
        EventMatcher matcher = EventMatcher.compile(on("wibble", "BILBO!=$NOPE"));
        assertFalse(matcher.matches(HOBBITS, List.of()));
    }

    @Test
    void defaultInAStartOnPatternApplies() {
        EventMatcher matcher = EventMatcher.compile(on("net-device-up", "IFACE=${IFACE:-eth*}"));
        assertTrue(matcher.matches(Event.of("net-device-up", "IFACE=eth3")));
    }

    @Test
    void literalFirstPositionalComesFirstAmongDiscriminators() {
        assertEquals(List.of(new Discriminator(Discriminator.FIRST, "apache"), new Discriminator("INSTANCE", "x")),
                EventMatcher.compile(on("started", "apache", "INSTANCE=x")).discriminators());
    }

    @Test
    void everyNonNegatedNamedLiteralIsADiscriminator() {
        assertEquals(List.of(new Discriminator("PORT", "80"), new Discriminator("X", "y")),
                EventMatcher.compile(on("socket", "PROTO!=unix", "ADDR=*", "PORT=80", "X=y")).discriminators());
        assertEquals(List.of(new Discriminator("FOO", "bar")),
                EventMatcher.compile(on("runlevel", "[2345]", "FOO=bar")).discriminators());
    }

    @Test
    void dollarsNegationsAndLeadingWildcardsGiveNoDiscriminator() {
        assertEquals(List.of(), EventMatcher.compile(on("started", "*apache")).discriminators());
        assertEquals(List.of(), EventMatcher.compile(on("runlevel", "[2345]")).discriminators());
        assertEquals(List.of(), EventMatcher.compile(on("stopping", "$JOB")).discriminators());
        assertEquals(List.of(), EventMatcher.compile(on("net-device-up", "IFACE!=lo")).discriminators());
        assertEquals(List.of(), EventMatcher.compile(on("startup")).discriminators());
    }

    @Test
    void dollarReferencesDiscriminateOnceExpandedWithAnInstanceEnvironment() {
        EventMatcher matcher = EventMatcher.compile(on("stopping", "$JOB", "IFACE=${IFACE}", "X=$NOPE"));
        assertEquals(List.of(), matcher.discriminators());
        assertEquals(List.of(new Discriminator(Discriminator.FIRST, "tty1"), new Discriminator("IFACE", "eth0")),
                matcher.discriminators(List.of("JOB=tty1", "IFACE=eth0")));
    }

    @Test
    void aGlobDiscriminatesByTheLiteralTextBeforeItsFirstWildcard() {
        assertEquals(List.of(Discriminator.prefix(Discriminator.FIRST, "apache"), Discriminator.prefix("FILE", "/var/spool/x/")),
                EventMatcher.compile(on("file", "apache*", "FILE=/var/spool/x/*.req", "EVENT!=del*")).discriminators());
        assertEquals(List.of(Discriminator.prefix("X", "a*b")), EventMatcher.compile(on("e", "X=a\\*b?")).discriminators());
        assertEquals(List.of(Discriminator.prefix("X", "a")), EventMatcher.compile(on("e", "X=a[b*")).discriminators());
    }

    @Test
    void anEscapedWildcardIsStillAnExactValue() {
        assertEquals(List.of(new Discriminator("LINE", "*/5 * * * *")),
                EventMatcher.compile(on("cron", "LINE=" + Glob.escape("*/5 * * * *"))).discriminators());
    }

    @Test
    void expansionToAGlobDiscriminatesByItsPrefix() {
        EventMatcher matcher = EventMatcher.compile(on("net-device-up", "IFACE=$PATTERN"));
        assertEquals(List.of(Discriminator.prefix("IFACE", "eth")), matcher.discriminators(List.of("PATTERN=eth*")));
        assertEquals(List.of(), matcher.discriminators(List.of("PATTERN=*0")));
    }

    @Test
    void discriminatorReadsTheEventsValue() {
        Event event = Event.of("socket", "PROTO=inet", "PORT=80");
        assertEquals("inet", new Discriminator(Discriminator.FIRST, "x").valueIn(event));
        assertEquals("80", new Discriminator("PORT", "x").valueIn(event));
        assertNull(new Discriminator("ADDR", "x").valueIn(event));
        assertNull(new Discriminator(Discriminator.FIRST, "x").valueIn(Event.of("startup")));
    }
}
