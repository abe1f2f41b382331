package org.upshot.source.socket.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.upshot.spi.stanza.StanzaException;
import org.upshot.spi.stanza.StanzaInput;

class SocketSpecTest {

    /** The stanza on line 3, its words one column apart after {@code socket } at column 1. */
    private static StanzaInput stanza(String text) {
        List<StanzaInput.Word> words = new ArrayList<>();
        int column = "socket ".length() + 1;
        for (String word : text.split(" ")) {
            words.add(new StanzaInput.Word(word, 3, column));
            column += word.length() + 1;
        }
        return new StanzaInput("web", "socket", words, 3, 1);
    }

    @Test
    void readsEachKindAndWritesItBackCanonically() throws StanzaException {
        SocketSpec tcp = SocketSpec.parse(stanza("tcp 127.0.0.1:8080"));
        assertEquals(new SocketAddress(SocketAddress.Kind.TCP, "127.0.0.1", 8080, ""), tcp.address());
        assertEquals("socket tcp 127.0.0.1:8080", tcp.settings());
        assertEquals("tcp:0.0.0.0:80", SocketSpec.parse(stanza("tcp 80")).address().id());
        assertEquals("tcp6:[::1]:8080", SocketSpec.parse(stanza("tcp6 [::1]:8080")).address().id());
        assertEquals("tcp6:[::]:8080", SocketSpec.parse(stanza("tcp6 8080")).address().id());
        assertEquals("udp:0.0.0.0:5353", SocketSpec.parse(stanza("udp 5353")).address().id());
        SocketSpec unix = SocketSpec.parse(stanza("unix /run/echo.sock accept mode=0660 max-connections=5"));
        assertTrue(unix.accept());
        assertEquals(0660, unix.mode());
        assertEquals(5, unix.maxConnections());
        assertEquals("socket unix /run/echo.sock accept mode=0660 max-connections=5", unix.settings());
        assertTrue(SocketSpec.parse(stanza("unix @echo")).address().isAbstract());
    }

    @Test
    void optionsDefaultToSystemdsValues() throws StanzaException {
        SocketSpec spec = SocketSpec.parse(stanza("unix /run/a.sock"));
        assertFalse(spec.accept());
        assertEquals(0666, spec.mode());
        assertEquals(64, spec.maxConnections());
        assertEquals(4096, spec.backlog());
        assertEquals(new SocketSpec.TriggerLimit(20, 2), spec.effectiveTriggerLimit());
        assertEquals(new SocketSpec.TriggerLimit(200, 2),
                SocketSpec.parse(stanza("unix /run/a.sock accept")).effectiveTriggerLimit());
    }

    @Test
    void theTriggerLimitCanBeSetOrTurnedOff() throws StanzaException {
        SocketSpec spec = SocketSpec.parse(stanza("tcp 80 accept trigger-limit=1000/5"));
        assertEquals(new SocketSpec.TriggerLimit(1000, 5), spec.effectiveTriggerLimit());
        assertEquals("socket tcp 0.0.0.0:80 accept trigger-limit=1000/5", spec.settings());
        assertEquals(0, SocketSpec.parse(stanza("tcp 80 trigger-limit=off")).effectiveTriggerLimit().burst());
        assertError("tcp 80 trigger-limit=5", 15, "expected BURST/SECONDS");
    }

    @Test
    void badInputIsReportedAtTheWordThatIsWrong() {
        assertError("tcp 127.0.0.1:99999", 12, "bad port '99999'");
        assertError("sctp 80", 8, "unknown socket kind 'sctp'");
        assertError("tcp 300.1.1.1:80", 12, "bad IPv4 address '300.1.1.1'");
        assertError("tcp6 ::1:80", 13, "write an IPv6 address as [ADDR]:PORT");
        assertError("udp 53 accept", 15, "accept needs a stream socket");
        assertError("tcp 80 mode=0660", 15, "applies only to a unix socket");
        assertError("unix run/a.sock", 13, "is not absolute");
        assertError("tcp 80 backlog=lots", 15, "bad number in 'backlog=lots'");
        assertError("tcp 80 name=a:b", 15, "no ':'");
        assertError("tcp 80 reuse", 15, "unknown socket option 'reuse'");
        assertError("tcp", 1, "expected 'socket KIND ADDRESS");
    }

    private static void assertError(String text, int column, String message) {
        StanzaException e = assertThrows(StanzaException.class, () -> SocketSpec.parse(stanza(text)), text);
        assertTrue(e.getMessage().contains(message), e.getMessage());
        assertEquals(column, e.column(), text);
        assertEquals(3, e.line(), text);
    }

    @Test
    void readsUpstartBridgeKeys() {
        assertEquals("tcp:127.0.0.1:80",
                SocketAddress.fromEventKeys(Map.of("PROTO", "inet", "PORT", "80", "ADDR", "127.0.0.1")).id());
        assertEquals("tcp6:[::]:80", SocketAddress.fromEventKeys(Map.of("PROTO", "inet6", "PORT", "80")).id());
        assertEquals("unix:/run/x.sock",
                SocketAddress.fromEventKeys(Map.of("PROTO", "unix", "SOCKET_PATH", "/run/x.sock")).id());
        assertEquals("unix:@x", SocketAddress.fromEventKeys(Map.of("PROTO", "unix", "PATH", "@x")).id());
        assertThrows(IllegalArgumentException.class, () -> SocketAddress.fromEventKeys(Map.of("PROTO", "inet")));
        assertThrows(IllegalArgumentException.class, () -> SocketAddress.fromEventKeys(Map.of("PROTO", "ipx")));
    }

    @Test
    void theStanzasConditionMatchesItsListenerLiterally() {
        assertEquals("tcp6:\\[::1\\]:80", SocketEvents.literal("tcp6:[::1]:80"));
        assertEquals("unix:/run/a\\*b", SocketEvents.literal("unix:/run/a*b"));
    }

    @Test
    void eventVariablesNeverIncludePath() {
        Map<String, String> env = SocketAddress.parse("unix", "/run/x.sock").eventEnvironment();
        assertEquals(Map.of("PROTO", "unix", "SOCKET_PATH", "/run/x.sock"), env);
    }
}
