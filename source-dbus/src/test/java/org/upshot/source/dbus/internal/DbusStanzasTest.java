package org.upshot.source.dbus.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.upshot.daemon.DaemonSettings;
import org.upshot.event.EventExpression;
import org.upshot.spi.stanza.StanzaContribution;
import org.upshot.spi.stanza.StanzaException;
import org.upshot.spi.stanza.StanzaInput;

/** The stanzas' syntax, what they contribute, paths, and the activation files. */
class DbusStanzasTest {

    @TempDir
    Path dir;

    private static StanzaInput input(String keyword, String... words) {
        List<StanzaInput.Word> arguments = new ArrayList<>();
        int column = keyword.length() + 2;
        for (String word : words) {
            arguments.add(new StanzaInput.Word(word, 3, column));
            column += word.length() + 1;
        }
        return new StanzaInput("udisks", keyword, arguments, 3, 1);
    }

    @Test
    void theDbusStanzaStartsOnActivationIsReadyByItsNameAndGivesTheBusAddress() throws Exception {
        BusTable table = new BusTable();
        table.configure(Map.of(BusKind.SYSTEM.property(), "unix:path=/tmp/x", BusKind.SYSTEM.jobProperty(), "dbus")::get,
                variable -> null, DaemonSettings.Mode.SYSTEM);
        StanzaContribution contribution = DbusStanzas.parse(input("dbus", "system-bus", "org.freedesktop.UDisks"),
                table);
        assertEquals("dbus system-bus org.freedesktop.UDisks", contribution.settings());
        assertEquals(Optional.of(new EventExpression.Match("dbus-activate", List.of(
                EventExpression.Argument.equal("JOB", "udisks"), EventExpression.Argument.equal("BUS", "system")))),
                contribution.startOn());
        assertTrue(contribution.readiness().isPresent());
        assertEquals(Map.of("DBUS_SYSTEM_BUS_ADDRESS", "unix:path=/tmp/x"), contribution.environment());
        assertEquals(List.of("dbus"), contribution.needs());
        table.close();
    }

    @Test
    void offlineOnlyTheSyntaxIsChecked() throws Exception {
        StanzaContribution expect = DbusStanzas.parse(input("expect dbus", "org.example.Foo"), null);
        assertEquals("expect dbus session-bus org.example.Foo", expect.settings());
        assertTrue(expect.startOn().isEmpty());
        assertEquals(List.of(), expect.needs());
    }

    @Test
    void badWordsAreErrorsAtTheirColumn() {
        StanzaException bus = assertThrows(StanzaException.class,
                () -> DbusStanzas.parse(input("dbus", "user-bus", "org.example.Foo"), null));
        assertEquals("expected system-bus or session-bus, not 'user-bus'", bus.getMessage());
        assertEquals(6, bus.column());
        StanzaException name = assertThrows(StanzaException.class,
                () -> DbusStanzas.parse(input("dbus", "system-bus", "nodots"), null));
        assertTrue(name.getMessage().contains("at least two elements"), name.getMessage());
        assertThrows(StanzaException.class, () -> DbusStanzas.parse(input("dbus", "system-bus"), null));
        assertThrows(StanzaException.class, () -> DbusStanzas.parse(input("dbus", "system-bus", "a.b", "c"), null));
        assertThrows(StanzaException.class, () -> DbusStanzas.parse(input("expect dbus", "org.3x.Foo"), null));
    }

    @Test
    void objectPathsAreEscapedAsNihDid() {
        assertEquals("network_2dinterface", UpstartPaths.escape("network-interface"));
        assertEquals("a_5fb", UpstartPaths.escape("a_b"));
        assertEquals("_", UpstartPaths.escape(""));
        assertEquals("caf_c3_a9", UpstartPaths.escape("café"));
        assertEquals("/com/ubuntu/Upstart/jobs/tty/_", UpstartPaths.instance("tty", ""));
        for (String name : List.of("network-interface", "a_b", "", "café", "net/foo")) {
            assertEquals(Optional.of(name), UpstartPaths.unescape(UpstartPaths.escape(name)));
        }
        assertEquals(Optional.empty(), UpstartPaths.unescape("a_5"));
        assertEquals(Optional.empty(), UpstartPaths.unescape("a-b"));
    }

    @Test
    void activationFilesAreWrittenForEachStanzaAndChecked() throws Exception {
        Path conf = Files.createDirectories(dir.resolve("init"));
        Files.writeString(conf.resolve("udisks.conf"), "dbus system-bus org.freedesktop.UDisks\nexec udisksd\n");
        Files.createDirectories(conf.resolve("net"));
        Files.writeString(conf.resolve("net/foo.conf"), "dbus session-bus org.example.Foo # a comment\nexec foo\n");
        Files.writeString(conf.resolve("plain.conf"), "exec true\n");
        Path out = dir.resolve("services");
        assertEquals(0, ServiceFiles.run(new String[] {"--confdir", conf.toString(), out.toString()}));
        assertEquals("[D-BUS Service]\nName=org.freedesktop.UDisks\nExec=/bin/false\nUser=root\n"
                + "SystemdService=udisks.service\n", body(out.resolve("org.freedesktop.UDisks.service")));
        assertEquals("[D-BUS Service]\nName=org.example.Foo\nExec=/bin/false\n"
                + "SystemdService=dbus-org.example.Foo.service\n", body(out.resolve("org.example.Foo.service")));
        assertEquals(0, ServiceFiles.run(new String[] {"--check", "--confdir", conf.toString(), out.toString()}));
        assertEquals(List.of("org.freedesktop.UDisks"), ServiceFiles.namesFor(List.of(out), "udisks.service"));
        Files.delete(out.resolve("org.example.Foo.service"));
        assertEquals(1, ServiceFiles.run(new String[] {"--check", "--confdir", conf.toString(), out.toString()}));
        assertEquals(2, ServiceFiles.run(new String[] {"--confdir"}));
    }

    private static String body(Path file) throws Exception {
        String text = Files.readString(file);
        return text.substring(text.indexOf('\n') + 1);
    }
}
