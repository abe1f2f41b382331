package org.upshot.engine.internal.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.upshot.engine.internal.parse.Parsing.error;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.upshot.engine.internal.parse.Diagnostic.Kind;

/** Every way a stanza can be wrong: the kind, the line and the column of the offending word. */
class StanzaErrorTest {

    @Test
    void unknownStanzaNamesTheWord() {
        Diagnostic d = error("task\n\n  wibble foo\n", Kind.UNKNOWN_STANZA, 3, 3);
        assertEquals("test.conf:3:3: unknown stanza 'wibble'", d.render());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        // Stanzas Upstart 1.x dropped
        "depends foo|1|1", "daemon|1|1", "pid file /run/x|1|1", "service|1|1", "normalexit 0|1|1",
        "session leader|1|1", "\"task\"|1|1"})
    void oldOrQuotedKeywordsAreUnknownStanzas(String text, int line, int column) {
        error(text + "\n", Kind.UNKNOWN_STANZA, line, column);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "exec|1|5", "exec   # nothing|1|5", "pre-start|1|10", "post-stop|1|10", "start|1|6", "start on|1|9",
        "stop on|1|8", "emits|1|6", "export|1|7", "description|1|12", "instance|1|9", "env|1|4",
        "respawn limit|1|14", "respawn limit 10|1|17", "normal exit|1|12", "normal|1|7", "kill|1|5",
        "kill timeout|1|13", "start timeout|1|14", "kill signal|1|12", "reload signal|1|14", "reload|1|7", "expect|1|7",
        "console|1|8", "umask|1|6", "nice|1|5", "oom|1|4", "oom score|1|10", "limit|1|6", "limit core|1|11",
        "limit core 10|1|14", "apparmor|1|9", "apparmor load|1|14", "apparmor switch|1|16", "cgroup|1|7",
        "chdir|1|6", "chroot|1|7", "setuid|1|7", "setgid|1|7", "usage|1|6", "author|1|7", "version|1|8", "needs|1|6"})
    void missingArgumentIsExpectedToken(String text, int line, int column) {
        error("task\n" + text + "\n", Kind.EXPECTED_TOKEN, line + 1, column);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "description \"a test job\" \"ya ya\"|26", "env FOO=BAR oops|13", "task now|6", "respawn limit 0 1 foo|19",
        "respawn limit unlimited 5|25", "manual please|8", "debug on|7", "script foo|8", "pre-start script x|18",
        "console owner foo|15", "expect fork twice|13", "umask 022 7|11", "nice 5 5|8", "oom score 1 2|13",
        "limit core 1 2 3|16", "kill timeout 1 2|16", "start timeout 1 2|17", "kill signal TERM INT|18", "apparmor load /a /b|18",
        "cgroup a b c d e|16", "instance a b|12", "chdir /a /b|10", "setuid a b|10", "needs db web|10"})
    void extraArgumentIsUnexpectedToken(String text, int column) {
        error(text + "\n", Kind.UNEXPECTED_TOKEN, 1, column);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "pre-start foo|11", "start of x|7", "start timeouts 5|7", "stop in x|6", "respawn later|9", "normal exits 0|8", "kill softly|6",
        "reload sig|8", "expect foo|8", "expect \"fork\"|8", "console wibble|9", "apparmor unload x|10"})
    void unknownSubKeywordIsUnknownArgument(String text, int column) {
        error(text + "\n", Kind.UNKNOWN_ARGUMENT, 1, column);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "respawn limit -1 5|15|ILLEGAL_INTERVAL", "respawn limit 10 x|18|ILLEGAL_INTERVAL",
        "respawn limit 1a 5|15|ILLEGAL_INTERVAL", "respawn limit 99999999999 5|15|ILLEGAL_INTERVAL",
        "normal exit -1|13|ILLEGAL_EXIT_STATUS", "normal exit 0 foo|15|ILLEGAL_EXIT_STATUS",
        "normal exit 256|13|ILLEGAL_EXIT_STATUS", "normal exit 1x|13|ILLEGAL_EXIT_STATUS",
        "kill timeout -1|14|ILLEGAL_TIMEOUT", "kill timeout 1.5|14|ILLEGAL_TIMEOUT",
        "kill timeout 99999999999|14|ILLEGAL_TIMEOUT", "kill signal foo|13|ILLEGAL_SIGNAL",
        "start timeout -1|15|ILLEGAL_START_TIMEOUT", "start timeout 2h|15|ILLEGAL_START_TIMEOUT",
        "reload signal SIGFOO|15|ILLEGAL_SIGNAL", "reload signal 99|15|ILLEGAL_SIGNAL",
        "umask 999|7|ILLEGAL_UMASK", "umask foo|7|ILLEGAL_UMASK", "umask 99foo|7|ILLEGAL_UMASK",
        "umask -022|7|ILLEGAL_UMASK", "umask 01000|7|ILLEGAL_UMASK",
        "nice 20|6|ILLEGAL_NICE", "nice -21|6|ILLEGAL_NICE", "nice x|6|ILLEGAL_NICE",
        "oom score 1001|11|ILLEGAL_OOM", "oom score -1001|11|ILLEGAL_OOM", "oom score x|11|ILLEGAL_OOM",
        "oom 16|5|ILLEGAL_OOM", "oom -18|5|ILLEGAL_OOM",
        "limit foo 1 2|7|UNKNOWN_RESOURCE", "limit NOFILE 1 2|7|UNKNOWN_RESOURCE",
        "limit core x 2|12|ILLEGAL_LIMIT", "limit core 1 -2|14|ILLEGAL_LIMIT"})
    void illegalValues(String text, int column, Kind kind) {
        error("# header\n" + text + "\n", kind, 2, column);
    }

    @Test
    void unterminatedScriptBlockPointsAtItsOpener() {
        Diagnostic d = error("task\n  post-stop script\n  echo\n", Kind.UNTERMINATED_BLOCK, 2, 3);
        assertEquals("test.conf:2:3: 'post-stop script' has no matching 'end script'", d.render());
    }

    @Test
    void unterminatedQuotePointsAtTheQuote() {
        error("task\ndescription \"oops\nexec foo\n", Kind.UNTERMINATED_QUOTE, 2, 13);
        error("exec echo 'oops\n", Kind.UNTERMINATED_QUOTE, 1, 11);
    }

    @Test
    void aHugeOrBinaryWordIsCutAndEscapedInTheMessage() {
        // a binary file is one long "stanza" word: the message must stay a readable line
        String word = "\u007fELF\u0002" + "x".repeat(1 << 20);
        Diagnostic d = error(word + "\n", Kind.UNKNOWN_STANZA, 1, 1);
        assertEquals("test.conf:1:1: unknown stanza '\\x7fELF\\x02" + "x".repeat(195) + "... (1048581 characters)'",
                d.render());
    }

    @Test
    void firstErrorStopsTheFile() {
        ParseResult result = Parsing.parse("nice 99\nwibble\n");
        assertEquals(1, result.diagnostics().size());
        assertEquals(Kind.ILLEGAL_NICE, result.diagnostics().get(0).kind());
    }

    @Test
    void errorMessagesNameTheBadWord() {
        assertEquals("test.conf:1:13: illegal signal 'foo'", error("kill signal foo\n", Kind.ILLEGAL_SIGNAL, 1, 13)
                .render());
        assertEquals("test.conf:1:13: unexpected 'oops' after 'env'",
                error("env FOO=BAR oops\n", Kind.UNEXPECTED_TOKEN, 1, 13).render());
        assertEquals("test.conf:1:19: 'limit nofile' needs a hard limit",
                error("limit nofile 65536\n", Kind.EXPECTED_TOKEN, 1, 19).render());
        assertEquals("test.conf:1:6: 'needs' needs a job name", error("needs\n", Kind.EXPECTED_TOKEN, 1, 6).render());
        assertEquals("test.conf:1:9: unknown argument 'wibble' to 'console'",
                error("console wibble\n", Kind.UNKNOWN_ARGUMENT, 1, 9).render());
    }
}
