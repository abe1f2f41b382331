package org.upshot.engine.internal.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.upshot.engine.internal.config.ConfigurationLoader;
import org.upshot.engine.internal.model.JobClass;
import org.upshot.engine.internal.parse.JobParser;
import org.upshot.engine.internal.parse.ParseResult;
import org.upshot.engine.internal.parse.TestExtensions;
import org.upshot.engine.internal.plugin.PluginCatalog;
import org.upshot.engine.internal.plugin.PluginJars;

/** {@code check-config} against a golden output file, and {@code show-config} output that parses back. */
class ConfigToolTest {

    private static final Path FIXTURE = Path.of("src/test/resources/check-config");

    private record Run(int status, String out, String err) {}

    @TempDir
    static Path pluginDir;

    @BeforeAll
    static void plugins() throws IOException {
        TestPluginJar.write(pluginDir);
    }

    /** The tool with the test plugin jar's directory as plugin directory. */
    private static Run run(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        if (!all.isEmpty()) {
            all.add(1, "--plugin-dir=" + pluginDir);
        }
        return runBare(all.toArray(String[]::new));
    }

    private static Run runBare(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = ConfigTool.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void checkConfigMatchesTheGoldenOutput() throws IOException {
        Run run = run("check-config", "--confdir", FIXTURE.resolve("confdir").toString());
        String expected = Files.readString(FIXTURE.resolve("expected.txt"));
        assertEquals(expected, run.out());
        assertEquals(ExitStatus.FAILED, run.status());
    }

    @Test
    void checkConfigExitsZeroWhenEveryFileParses() {
        Run run = run("check-config", "--confdir", "src/test/resources/jobs");
        assertEquals(ExitStatus.OK, run.status(), run.out());
    }

    @Test
    void checkConfigOfSingleFilesChecksOnlyThem(@TempDir Path dir) throws IOException {
        Path good = Files.writeString(dir.resolve("good.conf"), "start on startup\nexec /bin/true\n");
        Path bad = Files.writeString(dir.resolve("bad.conf"), "start on\n");
        assertEquals(new Run(ExitStatus.OK, "", ""), run("check-config", good.toString()));
        Run failed = run("check-config", good.toString(), bad.toString(), dir.resolve("missing.conf").toString());
        assertEquals(ExitStatus.FAILED, failed.status());
        assertTrue(failed.out().startsWith(bad + ":1:9: 'start on' needs an event expression\n"), failed.out());
        assertTrue(failed.out().contains("missing.conf:1:1: cannot read job file"), failed.out());
    }

    @Test
    void usageErrorsExitTwo() {
        assertEquals(ExitStatus.USAGE, runBare().status());
        assertEquals(ExitStatus.USAGE, run("frobnicate").status());
        assertEquals(ExitStatus.USAGE, run("check-config", "--bogus").status());
        assertEquals(ExitStatus.USAGE, run("show-config", "a", "b").status());
    }

    @Test
    void showConfigPrintsEachJobInSyntaxThatParsesBackEqual() {
        Path jobs = Path.of("src/test/resources/jobs");
        Run run = run("show-config", "--confdir", jobs.toString());
        assertEquals(ExitStatus.OK, run.status(), run.err());
        PluginCatalog plugins = PluginJars.load(pluginDir, warning -> { });
        var loaded = new ConfigurationLoader(List.of(jobs), plugins).load().jobs();
        assertTrue(loaded.containsKey("web-socket"), "a job with a plugin stanza loads offline");
        JobParser parser = new JobParser(plugins);
        List<JobClass> inOrder = List.copyOf(loaded.values());
        for (int i = 0; i < inOrder.size(); i++) {
            JobClass original = inOrder.get(i);
            String name = original.name();
            int start = run.out().indexOf(header(original));
            int end = i + 1 < inOrder.size() ? run.out().indexOf(header(inOrder.get(i + 1))) : run.out().length();
            assertTrue(start >= 0 && end > start, "section for " + name);
            String section = run.out().substring(start, end);
            ParseResult again = parser.parse(name, original.file(), section);
            assertEquals(List.of(), again.diagnostics(), section);
            assertEquals(TestExtensions.withoutLines(original), TestExtensions.withoutLines(again.job().orElseThrow()),
                    section);
        }
    }

    private static String header(JobClass job) {
        return "# " + job.name() + " (" + job.file() + ")\n";
    }

    @Test
    void pluginStanzasAreParsedByThePluginsOwnExtension(@TempDir Path dir) throws IOException {
        // the jar's extension checks the arguments offline as it would in the daemon.
        Path job = Files.writeString(dir.resolve("web.conf"), "exec /bin/web\nsocket sctp 1.2.3.4:5\n");
        Run run = run("check-config", job.toString());
        assertEquals(ExitStatus.FAILED, run.status());
        assertEquals(job + ":2:8: stanza 'socket': unknown protocol 'sctp'\n", run.out());
    }

    @Test
    void withoutThePluginItsStanzaIsUnknown(@TempDir Path dir) throws IOException {
        // no jar declares the keyword: an unknown stanza, as any other word.
        Path job = Files.writeString(dir.resolve("web.conf"), "exec /bin/web\nsocket tcp 1.2.3.4:5\n");
        Run run = runBare("check-config", "--plugin-dir", dir.resolve("none").toString(), job.toString());
        assertEquals(ExitStatus.FAILED, run.status());
        assertEquals(job + ":2:1: unknown stanza 'socket'\n", run.out());
    }

    @Test
    void anExtensionThatCannotBeMadeOfflineIsReportedAndItsStanzasAccepted(@TempDir Path dir) throws IOException {
        // the class is not on the tool's class path: a warning, and the stanza taken as written.
        Path job = Files.writeString(dir.resolve("framed.conf"), "exec /bin/web\nframe anything at all\n");
        Path plugins = TestPluginJar.writeFrameworkOnly(dir.resolve("plugins"));
        Run run = runBare("check-config", "--plugin-dir", plugins.toString(), job.toString());
        assertEquals(ExitStatus.OK, run.status(), run.out());
        assertTrue(run.err().contains("cannot make stanza extension org.example.NeedsTheFramework from "), run.err());
        assertTrue(run.err().contains("its stanzas are accepted as written"), run.err());
    }

    @Test
    void eventsAPluginDeclaresAreKnownToCheckConfig(@TempDir Path dir) throws IOException {
        // declared names and globs count as emitted; without the jar they are unknown.
        Path job = Files.writeString(dir.resolve("hw.conf"), "start on eth0-device-added or socket\nexec /bin/hw\n");
        assertEquals("", run("check-config", job.toString()).out());
        assertEquals("hw\n  start on: unknown event eth0-device-added\n  start on: unknown event socket\n",
                runBare("check-config", "--plugin-dir", dir.resolve("none").toString(), job.toString()).out());
    }

    @Test
    void showConfigOfOneJob() {
        Run run = run("show-config", "--confdir", "src/test/resources/jobs", "net/dns");
        assertEquals(ExitStatus.OK, run.status());
        assertTrue(run.out().startsWith("# net/dns (src/test/resources/jobs/net/dns.conf)\n"
                + "description \"caching DNS resolver\"\n"), run.out());
        assertEquals(ExitStatus.FAILED, run("show-config", "--confdir", "src/test/resources/jobs", "nope").status());
    }
}
