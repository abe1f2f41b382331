package org.upshot.engine.internal.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.upshot.engine.internal.model.ExtensionStanza;
import org.upshot.engine.internal.model.JobClass;
import org.upshot.engine.internal.parse.Diagnostic.Kind;

/** Plugin stanzas: parsed by their extension, reported when it is missing, guarded when it fails. */
class StanzaExtensionTest {

    private static final Path FILE = Path.of("foo.conf");

    private static ParseResult withExtensions(String text) {
        return new JobParser(TestExtensions.loaded()).parse("foo", FILE, text);
    }

    private static ParseResult withoutExtensions(String text) {
        return new JobParser(TestExtensions.declaredOnly()).parse("foo", FILE, text);
    }

    @Test
    void extensionStanzaIsKeptWithWhatItContributed() {
        JobClass job = withExtensions("exec /bin/srv\nsocket tcp \"127.0.0.1:8080\"\n").job().orElseThrow();
        ExtensionStanza stanza = job.extensions().get(0);
        assertEquals("socket", stanza.keyword());
        assertEquals(List.of("tcp", "127.0.0.1:8080"), stanza.arguments());
        assertEquals(2, stanza.line());
        assertEquals("socket ADDR=127.0.0.1:8080", stanza.contribution().startOn().orElseThrow().toString());
    }

    @Test
    void builtInStanzasComeBeforeExtensions() {
        JobClass job = withExtensions("exec /bin/true\n").job().orElseThrow();
        assertEquals("/bin/true", job.main().orElseThrow().command());
        assertTrue(job.extensions().isEmpty());
    }

    @Test
    void missingExtensionIsReportedAndTheJobWaits() {
        ParseResult result = withoutExtensions("description x\nexec /bin/srv\nsocket tcp 127.0.0.1:80\n");
        assertFalse(result.loaded());
        assertTrue(result.waitingForExtensions());
        assertEquals(Set.of("socket"), result.missingExtensions());
        assertEquals("foo.conf:3:1: stanza 'socket' needs plugin org.example.sleepy, which is not active",
                result.diagnostics().get(0).render());
        assertEquals(Kind.EXTENSION_NOT_LOADED, result.diagnostics().get(0).kind());
    }

    @Test
    void missingExtensionDoesNotHideLaterErrors() {
        ParseResult result = withoutExtensions("watch /var/spool/x\nnice 99\n");
        assertEquals(List.of(Kind.EXTENSION_NOT_LOADED, Kind.ILLEGAL_NICE),
                result.diagnostics().stream().map(Diagnostic::kind).toList());
        assertFalse(result.waitingForExtensions());
    }

    @Test
    void everyDeclaredKeywordIsKnownWhenItsPluginIsNotActive() {
        // the keywords come from the plugin's declaration: the parser holds none of its own.
        for (String keyword : List.of("socket", "watch")) {
            ParseResult result = withoutExtensions(keyword + " arg\n");
            assertEquals(Set.of(keyword), result.missingExtensions(), keyword);
            assertTrue(result.diagnostics().get(0).message().startsWith("stanza '" + keyword + "' needs plugin "),
                    result.diagnostics().get(0).render());
        }
    }

    @Test
    void aKeywordNoPluginDeclaresIsAnUnknownStanza() {
        // without any plugin, a plugin's keyword is just an unknown word.
        ParseResult result = new JobParser(StanzaLookup.NONE).parse("foo", FILE, "watch /tmp\n");
        assertEquals(Kind.UNKNOWN_STANZA, result.diagnostics().get(0).kind());
        assertFalse(result.waitingForExtensions());
    }

    @Test
    void expectPluginFormsAreLookedUpAsTwoWords() {
        JobClass job = withExtensions("expect notify\n").job().orElseThrow();
        assertEquals("expect notify", job.extensions().get(0).keyword());
        ParseResult missing = withoutExtensions("expect dbus org.example.Foo\n");
        assertEquals("foo.conf:1:1: stanza 'expect dbus' needs plugin org.example.sleepy, which is not active",
                missing.diagnostics().get(0).render());
    }

    @Test
    void extensionRejectionIsReportedWhereItSays() {
        ParseResult result = withExtensions("task\nsocket sctp 1.2.3.4:5\n");
        Diagnostic error = result.diagnostics().get(0);
        assertEquals(Kind.EXTENSION_REJECTED, error.kind());
        assertEquals(2, error.line());
        assertEquals(8, error.column());
        assertEquals("foo.conf:2:8: stanza 'socket': unknown protocol 'sctp'", error.render());
    }

    @Test
    void extensionThatThrowsBecomesADiagnostic() {
        ParseResult result = withExtensions("cron \"0 * * * *\"\n");
        assertFalse(result.loaded());
        Diagnostic error = result.diagnostics().get(0);
        assertEquals(Kind.EXTENSION_FAILED, error.kind());
        assertEquals(1, error.line());
        assertEquals(1, error.column());
        assertTrue(error.message().contains("plugin bug"), error.message());
    }

    @Test
    void unknownKeywordIsStillAnError() {
        ParseResult result = withExtensions("sockets tcp x\n");
        assertEquals(Kind.UNKNOWN_STANZA, result.diagnostics().get(0).kind());
    }

    @Test
    void unknownExpectFormIsUnknownArgument() {
        ParseResult result = withExtensions("expect wonders\n");
        assertEquals(Kind.UNKNOWN_ARGUMENT, result.diagnostics().get(0).kind());
        assertEquals(8, result.diagnostics().get(0).column());
    }
}
