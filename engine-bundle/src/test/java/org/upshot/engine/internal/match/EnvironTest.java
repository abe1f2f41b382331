package org.upshot.engine.internal.match;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.upshot.engine.internal.match.ExpansionException.Kind;

class EnvironTest {

    /** FOO set, BAR set, EMPTY set but empty, nothing else. */
    private static final List<String> ENV = List.of("FOO=foo", "BAR=bar", "EMPTY=", "WHICH=FOO");

    private static String expand(String text) throws ExpansionException {
        return Environ.expand(text, ENV);
    }

    private static ExpansionException failure(String text) {
        return assertThrows(ExpansionException.class, () -> expand(text));
    }

    @Test
    void textWithoutDollarIsReturnedAsIs() throws ExpansionException {
        assertEquals("plain text", expand("plain text"));
    }

    @Test
    void plainVariableIsReplacedUpToTheFirstNonNameCharacter() throws ExpansionException {
        assertEquals("foo-bar/foo_x", expand("$FOO-$BAR/${FOO}_x"));
    }

    @Test
    void bracedVariableIsReplaced() throws ExpansionException {
        assertEquals("foobar", expand("${FOO}${BAR}"));
    }

    @Test
    void unknownPlainVariableIsAnErrorNamingIt() {
        ExpansionException e = failure("a $NOPE b");
        assertEquals(Kind.UNKNOWN_VARIABLE, e.kind());
        assertEquals("NOPE", e.variable());
        assertTrue(e.getMessage().contains("NOPE"), e.getMessage());
    }

    @Test
    void unknownBracedVariableIsAnError() {
        assertEquals(Kind.UNKNOWN_VARIABLE, failure("${NOPE}").kind());
    }

    @Test
    void dashDefaultAppliesOnlyWhenUnset() throws ExpansionException {
        assertEquals("def", expand("${NOPE-def}"));
        assertEquals("", expand("${EMPTY-def}"));
        assertEquals("foo", expand("${FOO-def}"));
    }

    @Test
    void colonDashDefaultAppliesWhenUnsetOrEmpty() throws ExpansionException {
        assertEquals("def", expand("${NOPE:-def}"));
        assertEquals("def", expand("${EMPTY:-def}"));
        assertEquals("foo", expand("${FOO:-def}"));
    }

    @Test
    void plusAlternativeAppliesWhenSetEvenIfEmpty() throws ExpansionException {
        assertEquals("", expand("${NOPE+alt}"));
        assertEquals("alt", expand("${EMPTY+alt}"));
        assertEquals("alt", expand("${FOO+alt}"));
    }

    @Test
    void colonPlusAlternativeAppliesOnlyWhenSetAndNonEmpty() throws ExpansionException {
        assertEquals("", expand("${NOPE:+alt}"));
        assertEquals("", expand("${EMPTY:+alt}"));
        assertEquals("alt", expand("${FOO:+alt}"));
    }

    @Test
    void defaultTextIsItselfExpanded() throws ExpansionException {
        assertEquals("[bar]", expand("[${NOPE:-$BAR}]"));
        assertEquals("x-foo-y", expand("${NOPE-x-${FOO}-y}"));
    }

    @Test
    void nameInsideBracesIsExpandedFirst() throws ExpansionException {
        assertEquals("foo", expand("${$WHICH:-none}"));
        // EMPTY names the variable "", which is never set, so the default applies.
        assertEquals("bar", expand("${$EMPTY:-$BAR}"));
    }

    @Test
    void unknownVariableInAnUnusedDefaultIsStillAnError() {
        assertEquals(Kind.UNKNOWN_VARIABLE, failure("${FOO:-$NOPE}").kind());
    }

    @Test
    void loneDollarFollowedBySpaceIsKept() throws ExpansionException {
        assertEquals("this is a $ test", expand("this is a $ test"));
    }

    @Test
    void dollarAtTheEndIsKept() throws ExpansionException {
        assertEquals("cost: 5$", expand("cost: 5$"));
    }

    @Test
    void emptyBracesGiveALiteralDollar() throws ExpansionException {
        assertEquals("a$b", expand("a${}b"));
    }

    @Test
    void colonFollowedByAnythingButDashOrPlusIsABadOperator() {
        assertEquals(Kind.BAD_OPERATOR, failure("${FOO:!BAR}").kind());
        assertEquals(Kind.BAD_OPERATOR, failure("${FOO:}").kind());
    }

    @Test
    void missingClosingBraceIsAnError() {
        assertEquals(Kind.MISSING_BRACE, failure("${FOO").kind());
        assertEquals(Kind.MISSING_BRACE, failure("${FOO:-def").kind());
        assertEquals(Kind.MISSING_BRACE, failure("${FOO:").kind());
    }

    @Test
    void emptyEnvironmentMakesEveryPlainReferenceUnknownButDefaultsStillWork() throws ExpansionException {
        assertThrows(ExpansionException.class, () -> Environ.expand("$IFACE", List.of()));
        assertEquals("eth*", Environ.expand("${IFACE:-eth*}", List.of()));
    }

    @Test
    void firstEntryWinsOnLookup() {
        List<String> table = List.of("A=1", "A=2", "AB=3", "BARE");
        assertEquals(Optional.of("1"), Environ.lookup(table, "A"));
        assertEquals(Optional.of("3"), Environ.lookup(table, "AB"));
        assertEquals(Optional.empty(), Environ.lookup(table, "BARE"));
        assertEquals(Optional.empty(), Environ.lookup(table, "B"));
    }

    @Test
    void setReplacesInPlaceAndAppendsNewKeys() {
        List<String> table = new ArrayList<>(List.of("PATH=/bin", "TERM=linux"));
        Environ.set(table, "TERM=elmo");
        Environ.set(table, "FOO=bar");
        assertEquals(List.of("PATH=/bin", "TERM=elmo", "FOO=bar"), table);
    }

    @Test
    void setAllLetsLaterEntriesWin() {
        List<String> table = new ArrayList<>();
        Environ.setAll(table, List.of("A=1", "B=2", "A=3"));
        assertEquals(List.of("A=3", "B=2"), table);
    }

    @Test
    void setRefusesAnEntryWithoutValue() {
        assertThrows(IllegalArgumentException.class, () -> Environ.set(new ArrayList<>(), "FOO"));
        assertThrows(IllegalArgumentException.class, () -> Environ.set(new ArrayList<>(), "=x"));
    }

    @Test
    void unsetRemovesOnlyTheExactKey() {
        List<String> table = new ArrayList<>(List.of("A=1", "AB=2", "A=3"));
        assertTrue(Environ.unset(table, "A"));
        assertEquals(List.of("AB=2"), table);
        assertFalse(Environ.unset(table, "A"));
    }

    @Test
    void keyOfAnEntryIsTheTextBeforeTheFirstEquals() {
        assertEquals("KEY", Environ.keyOf("KEY=a=b"));
        assertEquals("BARE", Environ.keyOf("BARE"));
    }
}
