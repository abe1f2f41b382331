package org.upshot.engine.internal.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.upshot.engine.internal.config.ConfigurationLoader;
import org.upshot.engine.internal.model.JobClass;
import org.upshot.engine.internal.parse.JobParser;
import org.upshot.engine.internal.parse.ParseResult;
import org.upshot.engine.internal.parse.TestExtensions;

/** {@code check-config} against a golden output file, and {@code show-config} output that parses back. */
class ConfigToolTest {

    private static final Path FIXTURE = Path.of("src/test/resources/check-config");

    private record Run(int status, String out, String err) {}

    private static Run run(String... args) {
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
        assertEquals(ConfigTool.FAILED, run.status());
    }

    @Test
    void checkConfigExitsZeroWhenEveryFileParses() {
        Run run = run("check-config", "--confdir", "src/test/resources/jobs");
        assertEquals(ConfigTool.OK, run.status(), run.out());
    }

    @Test
    void checkConfigOfSingleFilesChecksOnlyThem(@TempDir Path dir) throws IOException {
        Path good = Files.writeString(dir.resolve("good.conf"), "start on startup\nexec /bin/true\n");
        Path bad = Files.writeString(dir.resolve("bad.conf"), "start on\n");
        assertEquals(new Run(ConfigTool.OK, "", ""), run("check-config", good.toString()));
        Run failed = run("check-config", good.toString(), bad.toString(), dir.resolve("missing.conf").toString());
        assertEquals(ConfigTool.FAILED, failed.status());
        assertTrue(failed.out().startsWith(bad + ":1:9: 'start on' needs an event expression\n"), failed.out());
        assertTrue(failed.out().contains("missing.conf:1:1: cannot read job file"), failed.out());
    }

    @Test
    void usageErrorsExitTwo() {
        assertEquals(ConfigTool.USAGE, run().status());
        assertEquals(ConfigTool.USAGE, run("frobnicate").status());
        assertEquals(ConfigTool.USAGE, run("check-config", "--bogus").status());
        assertEquals(ConfigTool.USAGE, run("show-config", "a", "b").status());
    }

    @Test
    void showConfigPrintsEachJobInSyntaxThatParsesBackEqual() {
        Path jobs = Path.of("src/test/resources/jobs");
        Run run = run("show-config", "--confdir", jobs.toString());
        assertEquals(ConfigTool.OK, run.status(), run.err());
        var loaded = new ConfigurationLoader(List.of(jobs), OfflineExtensions::lookup).load().jobs();
        JobParser parser = new JobParser(OfflineExtensions::lookup);
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
    void showConfigOfOneJob() {
        Run run = run("show-config", "--confdir", "src/test/resources/jobs", "net/dns");
        assertEquals(ConfigTool.OK, run.status());
        assertTrue(run.out().startsWith("# net/dns (src/test/resources/jobs/net/dns.conf)\n"
                + "description \"caching DNS resolver\"\n"), run.out());
        assertEquals(ConfigTool.FAILED, run("show-config", "--confdir", "src/test/resources/jobs", "nope").status());
    }
}
