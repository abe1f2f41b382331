package org.upshot.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GlobTest {

    private static boolean matches(String pattern, String text) {
        return Glob.compile(pattern).matches(text);
    }

    @ParameterizedTest(name = "''{0}'' ~ ''{1}'' = {2}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        // literal
        "eth0|eth0|true", "eth0|eth1|false", "eth0|eth00|false", "\"\"|\"\"|true", "\"\"|x|false",
        // star
        "eth*|eth0|true", "eth*|eth|true", "eth*|wlan0|false", "*|\"\"|true", "*|anything/at/all|true",
        "*.conf|foo.conf|true", "*.conf|foo.confx|false", "a*b*c|aXXbYYc|true", "a*b*c|aXXbYY|false",
        "a**b|ab|true", "*a|ba|true", "*a|ab|false", "/var/*/x|/var/a/b/x|true", "*|.hidden|true",
        // question mark
        "b?r|bar|true", "b?r|br|false", "b?r|baar|false", "??|ab|true",
        // bracket sets
        "[2345]|2|true", "[2345]|6|false", "[2345]|23|false", "[!2345]|0|true", "[!2345]|3|false",
        "[^06]|1|true", "[^06]|6|false", "[a-c]x|bx|true", "[a-c]x|dx|false", "[!a-c]|d|true",
        "[]a]|]|true", "[]a]|a|true", "[!]a]|b|true", "[!]a]|]|false", "[a-]|-|true", "[-a]|-|true",
        "[z-a]|m|false", "[[:digit:]]*|7up|true", "[[:alpha:]]*|7up|false", "[![:space:]]|x|true",
        "[[:upper:][:digit:]]|Q|true", "[[:upper:][:digit:]]|q|false", "[[:xdigit:]]|F|true",
        // escapes
        "\\*|*|true", "\\*|x|false", "a\\?|a?|true", "a\\?|ab|false", "[\\]]|]|true", "\\[x]|[x]|true",
        // unterminated bracket is a literal '['
        "[abc|[abc|true", "[abc|a|false", "[[:alpha:|[[:alpha:|true",
        // malformed patterns match nothing
        "abc\\|abc\\|false", "[[:nonsense:]]|a|false",
    })
    void matchesLikeFnmatchWithNoFlags(String pattern, String text, boolean expected) {
        assertEquals(expected, matches(pattern, text));
    }

    @Test
    void wlanShortFormMatchesEveryWirelessInterface() {
        Glob glob = Glob.compile("wlan*");
        assertTrue(glob.matches("wlan0"));
        assertTrue(glob.matches("wlan10"));
        assertFalse(glob.matches("eth0"));
    }

    @Test
    void matchingFromAnOffsetIgnoresThePrefix() {
        Glob glob = Glob.compile("eth*");
        assertTrue(glob.matches("IFACE=eth0", 6));
        assertFalse(glob.matches("IFACE=lo", 6));
        assertTrue(Glob.compile("").matches("IFACE=", 6));
        assertTrue(Glob.compile("[0-9]?").matches("RUNLEVEL=2x", 9));
    }

    @Test
    void literalPatternsReportTheirUnescapedText() {
        assertTrue(Glob.compile("apache").isLiteral());
        assertEquals("a*b", Glob.compile("a\\*b").literal());
        assertFalse(Glob.compile("apache*").isLiteral());
        assertNull(Glob.compile("apache*").literal());
    }

    @Test
    void anEscapedTextIsALiteralPatternOfItself() {
        String cron = "cron */5 [x] ? \\ *";
        assertEquals("cron \\*/5 \\[x\\] \\? \\\\ \\*", Glob.escape(cron));
        assertEquals(cron, Glob.compile(Glob.escape(cron)).literal());
        assertFalse(Glob.compile(Glob.escape(cron)).matches("cron 1/5 [x] ? \\ 2"));
    }

    @Test
    void nonAsciiCharactersMatchRangesAndClasses() {
        assertTrue(matches("caf[é]", "café"));
        assertTrue(matches("[[:alpha:]]", "ß"));
        assertTrue(matches("[à-ü]", "é"));
        assertFalse(matches("[!à-ü]", "é"));
    }

    @Test
    void pathologicalStarsStayLinear() {
        String pattern = "*a".repeat(40) + "*b";
        String text = "a".repeat(20_000);
        Glob glob = Glob.compile(pattern);
        assertTimeoutPreemptively(Duration.ofSeconds(2), () -> assertFalse(glob.matches(text)));
    }

    @Test
    void globsWithTheSamePatternAreEqual() {
        assertEquals(Glob.compile("eth*"), Glob.compile("eth*"));
        assertEquals("eth*", Glob.compile("eth*").toString());
    }
}
