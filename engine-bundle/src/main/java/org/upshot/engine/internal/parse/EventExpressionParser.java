package org.upshot.engine.internal.parse;

import java.util.ArrayList;
import java.util.List;
import org.upshot.engine.internal.parse.Diagnostic.Kind;
import org.upshot.engine.internal.parse.Lexer.Word;
import org.upshot.event.EventExpression;
import org.upshot.event.EventExpression.Argument;

/**
 * Parses the expression of {@code start on} / {@code stop on}:
 *
 * <pre>
 * expr  := term { ("and" | "or") term }     one precedence level, left-associative
 * term  := "(" expr ")" | match
 * match := EVENT { POSITIONAL } { KEY=VALUE | KEY!=VALUE }
 * </pre>
 *
 * <p>A newline ends the expression unless a parenthesis is open. {@code and} and
 * {@code or} are operators only when unquoted.
 */
final class EventExpressionParser {

    private final Lexer lexer;

    private EventExpressionParser(Lexer lexer) {
        this.lexer = lexer;
    }

    /** Parses an expression running to the end of the stanza; {@code stanza} names it in errors. */
    static EventExpression parse(Lexer lexer, String stanza) throws ParseException {
        EventExpressionParser parser = new EventExpressionParser(lexer);
        Word first = parser.peek(0);
        if (first == null) {
            throw lexer.error(Kind.EXPECTED_TOKEN, stanza, "an event expression");
        }
        return parser.expression(0);
    }

    private EventExpression expression(int depth) throws ParseException {
        EventExpression left = term(depth);
        while (true) {
            Word next = peek(depth);
            if (next == null) {
                return left;
            }
            if (next.is(")")) {
                if (depth == 0) {
                    throw Lexer.error(lexer.file(), next, Kind.MISMATCHED_PARENTHESES, ")");
                }
                return left;
            }
            if (next.is("and") || next.is("or")) {
                take(depth);
                EventExpression right = term(depth);
                left = next.is("and") ? new EventExpression.And(left, right)
                        : new EventExpression.Or(left, right);
            } else {
                throw Lexer.error(lexer.file(), next, Kind.EXPECTED_OPERATOR, quote(next));
            }
        }
    }

    private EventExpression term(int depth) throws ParseException {
        Word word = take(depth);
        if (word == null) {
            throw lexer.error(Kind.EXPECTED_EVENT, "end of line");
        }
        if (word.is("(")) {
            EventExpression inner = expression(depth + 1);
            Word close = take(depth + 1);
            if (close == null || !close.is(")")) {
                throw Lexer.error(lexer.file(), word, Kind.MISMATCHED_PARENTHESES, "(");
            }
            return inner;
        }
        if (word.is(")") || word.is("and") || word.is("or")) {
            throw Lexer.error(lexer.file(), word, Kind.EXPECTED_EVENT, quote(word));
        }
        return match(word, depth);
    }

    private EventExpression match(Word name, int depth) throws ParseException {
        List<Argument> arguments = new ArrayList<>();
        boolean named = false;
        while (true) {
            Word next = peek(depth);
            if (next == null || next.is("(") || next.is(")") || next.is("and") || next.is("or")) {
                return new EventExpression.Match(name.text(), arguments);
            }
            take(depth);
            String text = next.text();
            int equals = text.indexOf('=');
            if (equals < 0) {
                if (named) {
                    throw Lexer.error(lexer.file(), next, Kind.EXPECTED_VARIABLE, text);
                }
                arguments.add(Argument.positional(text));
            } else {
                named = true;
                boolean negated = equals > 0 && text.charAt(equals - 1) == '!';
                String key = text.substring(0, negated ? equals - 1 : equals);
                String pattern = text.substring(equals + 1);
                arguments.add(negated ? Argument.notEqual(key, pattern) : Argument.equal(key, pattern));
            }
        }
    }

    /** Inside parentheses an expression may run over several lines. */
    private Word take(int depth) throws ParseException {
        return lexer.word(true, depth > 0);
    }

    private Word peek(int depth) throws ParseException {
        Lexer.Mark mark = lexer.mark();
        Word word = take(depth);
        lexer.reset(mark);
        return word;
    }

    private static String quote(Word word) {
        return "'" + word.text() + "'";
    }
}
