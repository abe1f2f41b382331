package org.upshot.engine.internal.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.upshot.engine.internal.config.Configuration;
import org.upshot.engine.internal.config.ConfigurationLoader;
import org.upshot.engine.internal.model.JobClass;

/**
 * Our own corpus of realistic job files ({@code src/test/resources/jobs}): every one
 * loads, together they use every stanza, and each survives the {@code show-config}
 * round trip.
 */
class JobCorpusTest {

    private static final Path JOBS = Path.of("src/test/resources/jobs");

    private static Configuration load() {
        return new ConfigurationLoader(List.of(JOBS), TestExtensions.loaded()).load();
    }

    @Test
    void everyJobFileLoadsWithoutDiagnostics() throws IOException {
        Configuration config = load();
        assertEquals(List.of(), config.diagnostics());
        long files;
        try (Stream<Path> walk = Files.walk(JOBS)) {
            files = walk.filter(f -> f.toString().endsWith(".conf")).count();
        }
        assertTrue(files >= 40, "at least 40 job files, found " + files);
        assertEquals(files, config.jobs().size());
        assertEquals(30, config.jobs().get("net/apache").killTimeout(), "override applied");
    }

    @Test
    void everyJobRoundTripsThroughCanonicalSyntax() {
        JobParser parser = new JobParser(TestExtensions.loaded());
        for (JobClass job : load().jobs().values()) {
            String canonical = JobWriter.write(job);
            ParseResult again = parser.parse(job.name(), job.file(), canonical);
            assertEquals(List.of(), again.diagnostics(), canonical);
            assertEquals(TestExtensions.withoutLines(job), TestExtensions.withoutLines(again.job().orElseThrow()), canonical);
        }
    }

    @Test
    void togetherTheFilesUseEveryStanzaForm() throws IOException {
        String all;
        try (Stream<Path> walk = Files.walk(JOBS)) {
            all = walk.filter(Files::isRegularFile).map(JobCorpusTest::read).collect(Collectors.joining("\n"));
        }
        List<String> forms = List.of("exec", "script", "pre-start exec", "pre-start script", "post-start exec",
                "post-start script", "pre-stop exec", "pre-stop script", "post-stop exec", "post-stop script",
                "start on", "stop on", "task", "respawn", "respawn limit [0-9]+ [0-9]+", "respawn limit unlimited",
                "normal exit", "instance", "env", "export", "kill timeout", "kill signal", "reload signal",
                "expect fork", "expect daemon", "expect stop", "expect none", "console none", "console output",
                "console owner", "console log", "umask", "nice", "oom score", "oom -?[0-9]+", "oom never", "limit",
                "chdir", "chroot", "setuid", "setgid", "description", "author", "version", "emits", "usage", "manual",
                "apparmor load", "apparmor switch", "cgroup \\S+$", "cgroup \\S+ \\S+$", "cgroup \\S+ \\S+ \\S+$",
                "cgroup \\S+ \\S+ \\S+ \\S+$", "debug", "socket", "every", "expect notify", "needs");
        for (String form : forms) {
            assertTrue(Pattern.compile("(?m)^\\s*" + form + "(\\s|$)").matcher(all).find(), "no job uses " + form);
        }
        for (String keyword : Stanzas.TABLE.keySet()) {
            assertTrue(forms.stream().anyMatch(f -> f.startsWith(keyword)), "form list misses " + keyword);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
