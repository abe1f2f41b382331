package org.upshot.engine.internal.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import org.upshot.engine.internal.model.JobClass;

/**
 * Random and mutated job files: the parser answers every one with a result (a job or
 * diagnostics), never throws, never hangs, and every job it accepts survives the
 * canonical round trip.
 *
 * <p>Tries per property come from {@code jqwik.tries.default}: 10,000 in
 * {@code junit-platform.properties} for the normal run. The long run is
 * {@code mvn -o -B -pl engine-bundle -am verify -Dtest=ParserPropertyTest
 * -Dsurefire.failIfNoSpecifiedTests=false -Djqwik.tries.default=1000000}.
 *
 * <p>Long run of 2026-11-25 (1,000,000 tries per property): 2,000,000 inputs, 476,577 of
 * them valid job files, all round-tripped; no failure; 424 s on a loaded 2-vCPU machine.
 * Its first attempt found an {@code exec} line ending in a backslash at end of file that
 * printed back as a continuation (now a regression test in {@code StanzaTest}).
 */
class ParserPropertyTest {

    /** Far beyond any real parse (microseconds); only a hang gets near it. */
    private static final long HANG_SECONDS = 5;

    private static final ExecutorService WORKER = Executors.newSingleThreadExecutor(r -> {
        Thread thread = new Thread(r, "parser-property");
        thread.setDaemon(true);
        return thread;
    });

    private static final List<String> TOKENS = List.of(
            " ", " ", "\t", "\n", "\n", "\r\n", "\\", "\\\n", "\"", "'", "#", "(", ")", "=", "!=", "$", "${", "}",
            "*", "?", "[", "]", "!", "-", "0", "7", "99", "-1", "65536", "unlimited", "never",
            "start", "stop", "on", "and", "or", "exec", "script", "end script", "end", "pre-start", "post-stop",
            "task", "respawn", "limit", "nofile", "core", "normal", "exit", "TERM", "SIGKILL", "kill", "timeout",
            "signal", "reload", "expect", "fork", "daemon", "notify", "console", "log", "owner", "umask", "nice",
            "oom", "score", "env", "export", "emits", "instance", "description", "manual", "apparmor", "load",
            "switch", "cgroup", "chdir", "setuid", "debug", "socket", "every", "watch", "runlevel", "[2345]",
            "FOO=bar", "JOB=$JOB", "<<EOF", "<<-'X'", "EOF", "X", "\u00e9", "\u0000", "\uFFFD", "wibble");

    private final JobParser parser = new JobParser(TestExtensions.loaded());

    private static final AtomicLong PARSED = new AtomicLong();
    private static final AtomicLong ACCEPTED = new AtomicLong();

    @AfterContainer
    static void stopWorker() {
        WORKER.shutdownNow();
        System.out.println("ParserPropertyTest: parsed " + PARSED.get() + " inputs, " + ACCEPTED.get()
                + " of them valid job files (each also round-tripped)");
    }

    @Property
    void randomTokenSoupNeverBreaksTheParser(@ForAll("tokenSoup") String text) {
        check(text);
    }

    @Property
    void mutatedRealJobFilesNeverBreakTheParser(@ForAll("mutatedJobFiles") String text) {
        check(text);
    }

    private void check(String text) {
        ParseResult result = parseWithDeadline(text);
        PARSED.incrementAndGet();
        long lines = text.chars().filter(c -> c == '\n').count() + 1;
        for (Diagnostic d : result.diagnostics()) {
            assertTrue(d.line() >= 1 && d.line() <= lines, d.render());
            assertTrue(d.column() >= 1, d.render());
            assertTrue(!d.message().isBlank(), d.render());
        }
        if (result.loaded()) {
            ACCEPTED.incrementAndGet();
            assertTrue(result.diagnostics().stream().noneMatch(Diagnostic::isError), result.diagnostics().toString());
            JobClass job = result.job().get();
            String canonical = JobWriter.write(job);
            ParseResult again = parseWithDeadline(canonical);
            assertEquals(List.of(), again.diagnostics(), () -> "input:\n" + text + "\ncanonical:\n" + canonical);
            assertEquals(TestExtensions.withoutLines(job), TestExtensions.withoutLines(again.job().orElseThrow()),
                    () -> "input:\n" + text + "\ncanonical:\n" + canonical);
        }
    }

    private ParseResult parseWithDeadline(String text) {
        Future<ParseResult> parse = WORKER.submit(() -> parser.parse("fuzz", Parsing.FILE, text));
        try {
            return parse.get(HANG_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            parse.cancel(true);
            throw new AssertionError("parser hung on: " + text, e);
        } catch (ExecutionException e) {
            throw new AssertionError("parser threw on: " + text, e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    @Provide
    Arbitrary<String> tokenSoup() {
        return Arbitraries.of(TOKENS).list().ofMaxSize(120).map(tokens -> String.join("", tokens));
    }

    @Provide
    Arbitrary<String> mutatedJobFiles() {
        Arbitrary<String> seed = Arbitraries.of(seeds());
        Arbitrary<List<Mutation>> mutations = Combinators.combine(
                Arbitraries.integers().between(0, 4), Arbitraries.doubles().between(0, 1),
                Arbitraries.integers().between(0, 40), Arbitraries.of(TOKENS))
                .as(Mutation::new).list().ofMinSize(1).ofMaxSize(6);
        return Combinators.combine(seed, mutations).as((text, list) -> {
            String mutated = text;
            for (Mutation m : list) {
                mutated = m.apply(mutated);
            }
            return mutated;
        });
    }

    /** One edit at a relative position: insert a token, delete, duplicate, truncate, or swap two characters. */
    private record Mutation(int kind, double where, int length, String token) {
        String apply(String text) {
            int at = (int) (where * text.length());
            int end = Math.min(text.length(), at + length);
            return switch (kind) {
                case 0 -> text.substring(0, at) + token + text.substring(at);
                case 1 -> text.substring(0, at) + text.substring(end);
                case 2 -> text.substring(0, end) + text.substring(at, end) + text.substring(end);
                case 3 -> text.substring(0, at);
                default -> end - at >= 2 ? text.substring(0, at) + text.charAt(end - 1) + text.substring(at + 1, end - 1)
                        + text.charAt(at) + text.substring(end) : text;
            };
        }
    }

    private static List<String> seeds() {
        List<String> seeds = new ArrayList<>();
        for (Path dir : List.of(Path.of("src/test/resources/jobs"), SharedDir.get().resolve("corpus/upstart-jobs"),
                SharedDir.get().resolve("corpus/upstart-jobs-rejected"))) {
            try (Stream<Path> walk = Files.walk(dir)) {
                walk.filter(Files::isRegularFile).filter(f -> !f.toString().endsWith(".tsv")
                        && !f.toString().endsWith(".md")).sorted().forEach(f -> seeds.add(read(f)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return seeds;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
