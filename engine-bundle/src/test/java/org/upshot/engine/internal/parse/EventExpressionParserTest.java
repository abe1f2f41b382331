package org.upshot.engine.internal.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.upshot.engine.internal.parse.Parsing.error;
import static org.upshot.engine.internal.parse.Parsing.job;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.upshot.engine.internal.parse.Diagnostic.Kind;
import org.upshot.event.EventExpression;
import org.upshot.event.EventExpression.And;
import org.upshot.event.EventExpression.Argument;
import org.upshot.event.EventExpression.Match;
import org.upshot.event.EventExpression.Or;

/** The grammar of {@code start on} / {@code stop on}, feature by feature, and its errors. */
class EventExpressionParserTest {

    private static EventExpression startOn(String expression) {
        return job("start on " + expression + "\n").startOn().orElseThrow();
    }

    private static Match match(String event, Argument... arguments) {
        return new Match(event, List.of(arguments));
    }

    @Test
    void singleEventWithoutArguments() {
        assertEquals(match("startup"), startOn("startup"));
    }

    @Test
    void positionalValuesInOrder() {
        assertEquals(match("runlevel", Argument.positional("[2345]")), startOn("runlevel [2345]"));
        assertEquals(match("foo", Argument.positional("bar"), Argument.positional("baz")), startOn("foo bar baz"));
    }

    @Test
    void namedValuesEqualAndNotEqual() {
        assertEquals(match("net-device-up", Argument.equal("IFACE", "eth0"), Argument.notEqual("ADDRFAM", "inet6")),
                startOn("net-device-up IFACE=eth0 ADDRFAM!=inet6"));
    }

    @Test
    void positionalThenNamedIsAllowed() {
        assertEquals(match("foo", Argument.positional("bar"), Argument.equal("PIPPIN", "quux")),
                startOn("foo bar PIPPIN=quux"));
    }

    @Test
    void globsAndVariableReferencesAreKeptAsWritten() {
        assertEquals(match("stopping", Argument.equal("JOB", "$JOB"), Argument.equal("IFACE", "eth*"),
                Argument.equal("X", "${Y}")), startOn("stopping JOB=$JOB IFACE=eth* X=${Y}"));
    }

    @Test
    void quotedValuesLoseTheirQuotesAndQuotedOperatorsAreWords() {
        assertEquals(match("foo", Argument.positional("and"), Argument.equal("MSG", "a b")),
                startOn("foo \"and\" \"MSG=a b\""));
        assertEquals(match("foo", Argument.positional("or")), startOn("foo 'or'"));
    }

    @Test
    void operatorsAreLeftAssociativeWithoutPrecedence() {
        assertEquals(new Or(new Or(match("wibble"), match("wobble")), match("wiggle")),
                startOn("wibble or wobble or wiggle"));
        assertEquals(new And(new Or(match("a"), match("b")), match("c")), startOn("a or b and c"));
    }

    @Test
    void parenthesesGroupTheRightChild() {
        assertEquals(new Or(match("wibble"), new Or(match("wobble"), match("wiggle"))),
                startOn("wibble or (wobble or wiggle)"));
        assertEquals(new And(match("a"), new Or(match("b"), new And(match("c"), match("d")))),
                startOn("a and (b or ((c and d)))"));
    }

    @Test
    void parenthesesNeedNoSpaces() {
        assertEquals(new And(match("a", Argument.positional("x")), new Or(match("b"), match("c"))),
                startOn("a x and(b or c)"));
    }

    @Test
    void expressionSpansLinesOnlyInsideParenthesesWithComments() {
        EventExpression expression = job("""
                start on (filesystem # the disks
                          and (started dbus
                               or runlevel [2345]))  # trailing
                task
                """).startOn().orElseThrow();
        assertEquals("(filesystem and (started dbus or runlevel [2345]))", expression.toString());
    }

    @Test
    void newlineOutsideParenthesesEndsTheExpression() {
        error("start on foo or\nbar\n", Kind.EXPECTED_EVENT, 1, 16);
    }

    @Test
    void backslashContinuesTheExpression() {
        assertEquals(new Or(match("a"), match("b")), startOn("a \\\n   or b"));
    }

    @Test
    void stopOnUsesTheSameGrammar() {
        assertEquals(new Or(match("runlevel", Argument.positional("[!2345]")), match("stopping",
                Argument.equal("JOB", "$JOB"))), job("stop on runlevel [!2345] or stopping JOB=$JOB\n")
                .stopOn().orElseThrow());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "or foo|10|EXPECTED_EVENT", "foo or|16|EXPECTED_EVENT", "foo or and bar|17|EXPECTED_EVENT",
        "foo or (or foo)|18|EXPECTED_EVENT", "foo or (bar or)|24|EXPECTED_EVENT", "()|11|EXPECTED_EVENT",
        "foo or bar or foo)|27|MISMATCHED_PARENTHESES", "foo or (bar or foo|17|MISMATCHED_PARENTHESES",
        "((foo)|10|MISMATCHED_PARENTHESES",
        "frodo (foo or bar)|16|EXPECTED_OPERATOR", "(foo or bar) frodo|23|EXPECTED_OPERATOR",
        "wibble foo KEY=bar baz|29|EXPECTED_VARIABLE"})
    void grammarErrors(String expression, int column, Kind kind) {
        error("start on " + expression + "\n", kind, 1, column);
        error("stop on " + expression + "\n", kind, 1, column - 1);
    }

    @Test
    void mismatchedParenthesisAcrossLinesPointsAtTheOpener() {
        error("task\nstart on (a or\n  b C=d e)\n", Kind.EXPECTED_VARIABLE, 3, 9);
        error("task\nstart on (a or\n  b\n", Kind.MISMATCHED_PARENTHESES, 2, 10);
    }

    @Test
    void errorTextsNameTheWord() {
        assertEquals("test.conf:1:16: expected operator 'and' or 'or', found '('",
                error("start on frodo (foo or bar)\n", Kind.EXPECTED_OPERATOR, 1, 16).render());
        assertEquals("test.conf:1:16: expected an event, found end of line",
                error("start on foo or\n", Kind.EXPECTED_EVENT, 1, 16).render());
        assertEquals("test.conf:1:29: expected variable name before value 'baz' (positional values must come first)",
                error("start on wibble foo KEY=bar baz\n", Kind.EXPECTED_VARIABLE, 1, 29).render());
    }
}
