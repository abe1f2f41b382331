package org.upshot.engine.internal.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.upshot.engine.internal.model.JobClass;
import org.upshot.engine.internal.parse.Diagnostic.Kind;
import org.upshot.engine.internal.parse.Diagnostic;
import org.upshot.engine.internal.parse.TestExtensions;
import org.upshot.engine.internal.plugin.PluginCatalog;
import org.upshot.event.EventExpression;
import org.upshot.spi.stanza.StanzaContribution;
import org.upshot.spi.stanza.StanzaExtension;

/** Confdirs on real files: names, overrides, clashes, broken edits, extensions arriving. */
class ConfigurationLoaderTest {

    @TempDir
    Path root;

    /** A plugin declares socket and watch; the tests activate and deactivate its extensions. */
    private final PluginCatalog plugins = TestExtensions.declaredOnly();

    private ConfigurationLoader loader(Path... confdirs) {
        return new ConfigurationLoader(List.of(confdirs), plugins);
    }

    private Path write(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        return Files.writeString(file, text);
    }

    @Test
    void jobsInSubdirectoriesAreNamedByTheirPath() throws IOException {
        Path etc = root.resolve("init");
        write(etc.resolve("foo.conf"), "exec /bin/foo\n");
        write(etc.resolve("net/apache.conf"), "exec /bin/apache\n");
        write(etc.resolve("README"), "not a job\n");
        write(etc.resolve("foo.conf.dpkg-old"), "wibble\n");
        Configuration config = loader(etc).load();
        assertEquals(Set.of("foo", "net/apache"), config.jobs().keySet());
        assertEquals(List.of(), config.diagnostics());
        assertEquals(etc.resolve("net/apache.conf"), config.jobs().get("net/apache").file());
    }

    @Test
    void anUnreadableFileIsReportedAndReadOnceItCanBe() throws IOException {
        if (ProcessHandle.current().info().user().orElse("").equals("root")) {
            System.out.println("ConfigurationLoaderTest: root reads any file; the unreadable case is not tried");
            Assumptions.assumeTrue(false, "root reads any file");
        }
        Path etc = root.resolve("init");
        Path foo = write(etc.resolve("foo.conf"), "exec /bin/foo\n");
        Files.setPosixFilePermissions(foo, Set.of());
        ConfigurationLoader loader = loader(etc);
        Configuration first = loader.load();
        assertEquals(Set.of(), first.jobs().keySet());
        assertEquals(Diagnostic.Kind.UNREADABLE, loader.problems().get(0).kind());
        Files.setPosixFilePermissions(foo, PosixFilePermissions.fromString("rw-r--r--"));
        assertEquals(Set.of("foo"), loader.refresh().updated().keySet(), "the same bytes, now readable");
        assertEquals(List.of(), loader.problems());
    }

    @Test
    void overrideAppliesOnTopOfConf() throws IOException {
        Path etc = root.resolve("init");
        write(etc.resolve("foo.conf"), "start on startup\nenv A=1\nexec /bin/foo\n");
        write(etc.resolve("foo.override"), "manual\nenv B=2\n");
        JobClass foo = loader(etc).load().jobs().get("foo");
        assertTrue(foo.manual());
        assertEquals(Optional.empty(), foo.startOn());
        assertEquals(List.of("A=1", "B=2"), foo.env());
    }

    @Test
    void brokenOverrideIsIgnoredWithADiagnostic() throws IOException {
        Path etc = root.resolve("init");
        write(etc.resolve("foo.conf"), "start on startup\nexec /bin/foo\n");
        Path override = write(etc.resolve("foo.override"), "manual\nnice 99\n");
        Configuration config = loader(etc).load();
        assertEquals("startup", config.jobs().get("foo").startOn().orElseThrow().toString());
        Diagnostic error = config.diagnostics().get(0);
        assertEquals(override, error.file());
        assertEquals(Kind.ILLEGAL_NICE, error.kind());
        assertEquals(2, error.line());
    }

    @Test
    void overrideWithoutConfIsIgnored() throws IOException {
        Path etc = root.resolve("init");
        write(etc.resolve("lonely.override"), "manual\n");
        Configuration config = loader(etc).load();
        assertTrue(config.jobs().isEmpty());
        assertEquals(List.of(), config.diagnostics());
    }

    @Test
    void earlierConfdirWinsAndTheClashIsReportedOnce() throws IOException {
        Path first = root.resolve("first");
        Path second = root.resolve("second");
        write(first.resolve("foo.conf"), "exec /bin/first\n");
        Path shadowed = write(second.resolve("foo.conf"), "exec /bin/second\n");
        write(second.resolve("bar.conf"), "exec /bin/bar\n");
        ConfigurationLoader loader = loader(first, second);
        Configuration config = loader.load();
        assertEquals("/bin/first", config.jobs().get("foo").main().orElseThrow().command());
        assertEquals(Set.of("foo", "bar"), config.jobs().keySet());
        Diagnostic clash = config.diagnostics().get(0);
        assertEquals(Kind.NAME_CLASH, clash.kind());
        assertEquals(shadowed, clash.file());
        assertFalse(clash.isError());
        assertEquals(List.of(), loader.refresh().diagnostics(), "reported once");
    }

    @Test
    void jobsOnANeedsCycleAreLeftOutWithAnErrorAtEachNeedsStanza() throws IOException {
        Path etc = root.resolve("init");
        Path a = write(etc.resolve("a.conf"), "exec /bin/a\nneeds b\n");
        Path b = write(etc.resolve("b.conf"), "exec /bin/b\n  needs a\n");
        Path self = write(etc.resolve("self.conf"), "needs db\nneeds self\n");
        Path x = write(etc.resolve("x.conf"), "needs y\n");
        Path y = write(etc.resolve("y.conf"), "needs z\n");
        Path z = write(etc.resolve("z.conf"), "\n\nneeds x\n");
        write(etc.resolve("db.conf"), "exec /bin/db\n");
        write(etc.resolve("web.conf"), "exec /bin/web\nneeds a\nneeds db\n");
        Configuration config = loader(etc).load();
        assertEquals(Set.of("db", "web"), config.jobs().keySet(), "a job needing a left-out one still loads");
        assertEquals(List.of(
                a + ":2:1: 'needs b' makes a cycle: a -> b -> a",
                b + ":2:3: 'needs a' makes a cycle: b -> a -> b",
                self + ":2:1: 'needs self' makes a cycle: self -> self",
                x + ":1:1: 'needs y' makes a cycle: x -> y -> z -> x",
                y + ":1:1: 'needs z' makes a cycle: y -> z -> x -> y",
                z + ":3:1: 'needs x' makes a cycle: z -> x -> y -> z"),
                config.diagnostics().stream().map(Diagnostic::render).toList());
        assertTrue(config.diagnostics().stream().allMatch(d -> d.kind() == Kind.NEEDS_CYCLE && d.kind().isError()));
    }

    @Test
    void needsCycleIsReportedOnceAndItsJobsLoadWhenItIsBroken() throws IOException {
        Path etc = root.resolve("init");
        write(etc.resolve("a.conf"), "exec /bin/a\nneeds b\n");
        Path b = write(etc.resolve("b.conf"), "exec /bin/b\nneeds a\n");
        ConfigurationLoader loader = loader(etc);
        assertEquals(2, loader.load().diagnostics().size());
        write(etc.resolve("c.conf"), "exec /bin/c\n");
        ChangeSet unrelated = loader.refresh();
        assertEquals(List.of(), unrelated.diagnostics(), "an unchanged cycle is not reported again");
        assertEquals(Set.of("c"), unrelated.updated().keySet());
        write(b, "exec /bin/b --no-cycle\n");
        ChangeSet broken = loader.refresh();
        assertEquals(List.of(), broken.diagnostics());
        assertEquals(Set.of("a", "b"), broken.updated().keySet());
        assertEquals(Set.of("a", "b", "c"), loader.current().jobs().keySet());
    }

    @Test
    void oneBadFileNeverStopsTheOthers() throws IOException {
        Path etc = root.resolve("init");
        write(etc.resolve("a.conf"), "exec /bin/a\n");
        write(etc.resolve("b.conf"), "wibble\n");
        write(etc.resolve("c.conf"), "exec /bin/c\n");
        Configuration config = loader(etc).load();
        assertEquals(Set.of("a", "c"), config.jobs().keySet());
        assertEquals(1, config.diagnostics().size());
        assertTrue(config.hasErrors());
    }

    @Test
    void brokenEditKeepsThePreviousDefinition() throws IOException {
        Path etc = root.resolve("init");
        Path foo = write(etc.resolve("foo.conf"), "exec /bin/foo\n");
        ConfigurationLoader loader = loader(etc);
        JobClass before = loader.load().jobs().get("foo");
        write(foo, "exec /bin/foo\nrespawn limit x\n");
        ChangeSet changes = loader.refresh();
        assertFalse(changes.changesJobs());
        assertEquals(Kind.ILLEGAL_INTERVAL, changes.diagnostics().get(0).kind());
        assertEquals(before, loader.current().jobs().get("foo"));
    }

    @Test
    void refreshReportsOnlyWhatChanged() throws IOException {
        Path etc = root.resolve("init");
        write(etc.resolve("a.conf"), "exec /bin/a\n");
        Path b = write(etc.resolve("b.conf"), "exec /bin/b\n");
        ConfigurationLoader loader = loader(etc);
        loader.load();
        assertTrue(loader.refresh().isEmpty());
        write(etc.resolve("c.conf"), "exec /bin/c\n");
        Files.delete(b);
        ChangeSet changes = loader.refresh();
        assertEquals(Set.of("c"), changes.updated().keySet());
        assertEquals(Set.of("b"), changes.removed());
    }

    @Test
    void jobWaitingForAnExtensionLoadsWhenItArrivesAndLeavesWhenItGoes() throws IOException {
        Path etc = root.resolve("init");
        write(etc.resolve("web.conf"), "exec /bin/web\nsocket tcp 0.0.0.0:80\n");
        ConfigurationLoader loader = loader(etc);
        Configuration config = loader.load();
        assertFalse(config.jobs().containsKey("web"));
        assertEquals(Map.of("web", Set.of("socket")), config.waiting());

        StanzaExtension socket = stanza -> StanzaContribution.startOn(
                new EventExpression.Match("socket", List.of()), "tcp");
        plugins.activate(socket, List.of("socket"), "org.example.sleepy");
        ChangeSet arrived = loader.extensionsChanged();
        assertEquals(Set.of("web"), arrived.updated().keySet());
        assertEquals(Map.of(), loader.current().waiting());
        StanzaExtension watch = stanza -> StanzaContribution.startOn(
                new EventExpression.Match("file", List.of()), "unrelated");
        plugins.activate(watch, List.of("watch"), "org.example.sleepy");
        assertTrue(loader.extensionsChanged().isEmpty(), "an unrelated extension changes nothing");

        plugins.deactivate(socket);
        plugins.deactivate(watch);
        ChangeSet left = loader.extensionsChanged();
        assertEquals(Set.of("web"), left.removed());
        assertEquals(Map.of("web", Set.of("socket")), loader.current().waiting());
    }

    @Test
    void symlinkedJobFileLoadsAndADanglingOneIsReported() throws IOException {
        Path etc = root.resolve("init");
        Path packaged = write(root.resolve("lib/foo.conf"), "exec /bin/foo\n");
        Files.createDirectories(etc);
        Files.createSymbolicLink(etc.resolve("foo.conf"), packaged);
        Path dangling = Files.createSymbolicLink(etc.resolve("gone.conf"), root.resolve("lib/gone.conf"));
        Configuration config = loader(etc).load();
        assertEquals(Set.of("foo"), config.jobs().keySet());
        Diagnostic error = config.diagnostics().get(0);
        assertEquals(Kind.UNREADABLE, error.kind());
        assertEquals(dangling, error.file());
        assertEquals(1, error.line());
        assertEquals(1, error.column());
    }

    @Test
    void confdirThatIsALinkIsWalkedAtItsTarget() throws IOException {
        Path real = root.resolve("lib/init");
        write(real.resolve("net/foo.conf"), "exec /bin/foo\n");
        Path link = Files.createSymbolicLink(root.resolve("init"), real);
        assertEquals(Set.of("net/foo"), loader(link).load().jobs().keySet());
    }

    @Test
    void missingConfdirIsSkipped() {
        Configuration config = loader(root.resolve("nope")).load();
        assertTrue(config.jobs().isEmpty());
        assertEquals(List.of(), config.diagnostics());
    }
}
