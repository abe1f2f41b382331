package org.upshot.engine.internal.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.upshot.engine.internal.model.JobClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The real-world job files of the shared corpus load; the rejected ones fail where Upstart fails. */
class CorpusConformanceTest {

    private static final Path ACCEPTED = SharedDir.get().resolve("corpus/upstart-jobs");
    private static final Path REJECTED = SharedDir.get().resolve("corpus/upstart-jobs-rejected");

    private final JobParser parser = new JobParser(StanzaLookup.NONE);

    static Stream<Path> acceptedFiles() throws IOException {
        try (Stream<Path> files = Files.list(ACCEPTED)) {
            // Every file but the provenance table is a job file (some named .upstart, .conf.in, .override).
            return files.filter(f -> !f.getFileName().toString().equals("SOURCES.tsv")).sorted().toList().stream();
        }
    }

    @Test
    void corpusHoldsAllHundredFortySixFiles() throws IOException {
        assertEquals(146, acceptedFiles().count(), "corpus at " + ACCEPTED);
    }

    @ParameterizedTest
    @MethodSource("acceptedFiles")
    void realJobFileLoadsWithoutDiagnostics(Path file) throws IOException {
        ParseResult result = parse(file);
        assertEquals(List.of(), result.diagnostics());
        assertTrue(result.loaded());
    }

    @ParameterizedTest
    @MethodSource("acceptedFiles")
    void realJobFileRoundTripsThroughShowConfigSyntax(Path file) throws IOException {
        JobClass job = parse(file).job().orElseThrow();
        String canonical = JobWriter.write(job);
        ParseResult again = parser.parse(job.name(), file, canonical);
        assertEquals(List.of(), again.diagnostics(), canonical);
        assertEquals(job, again.job().orElseThrow(), canonical);
    }

    @Test
    void rejectedFilesFailAtTheLineTheReadmeNames() throws IOException {
        Map<String, Integer> expectedLines = Map.of(
                "CameronNemo__upstart-jobs__monitoring_elasticsearch.conf", 14,
                "CameronNemo__upstart-jobs__monitoring_grafana.conf", 9,
                "CameronNemo__upstart-jobs__sysinit_motd.conf", 5);
        String readme = Files.readString(REJECTED.resolve("README.md"));
        for (Map.Entry<String, Integer> expected : expectedLines.entrySet()) {
            assertTrue(readme.contains("`" + expected.getKey() + "` | " + expected.getValue() + " "),
                    "README names line " + expected.getValue() + " for " + expected.getKey());
            ParseResult result = parse(REJECTED.resolve(expected.getKey()));
            assertFalse(result.loaded(), expected.getKey());
            Diagnostic error = result.diagnostics().get(0);
            assertEquals(expected.getValue(), error.line(), error.render());
            assertEquals(Diagnostic.Kind.EXPECTED_TOKEN, error.kind(), error.render());
        }
    }

    private ParseResult parse(Path file) throws IOException {
        String name = file.getFileName().toString().replaceFirst("\\.conf$", "");
        return parser.parse(name, file, Files.readString(file, StandardCharsets.UTF_8));
    }
}
