package org.upshot.engine.internal.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.upshot.engine.internal.parse.Diagnostic;
import org.upshot.engine.internal.parse.JobParser;
import org.upshot.engine.internal.parse.ParseResult;

/** Reading one job from its {@code .conf} and optional {@code .override}. */
public final class JobFiles {

    /** The suffix of job files. */
    public static final String CONF = ".conf";
    /** The suffix of override files. */
    public static final String OVERRIDE = ".override";

    private JobFiles() {}

    /**
     * Parses {@code conf} and applies {@code override} on top. An override that does not
     * parse is ignored (its diagnostics are kept) and the {@code .conf} alone is used, as
     * in Upstart; an override waiting for an extension holds the job back.
     */
    public static ParseResult load(JobParser parser, String name, Path conf, Optional<Path> override) {
        Optional<String> confText = read(conf);
        if (confText.isEmpty()) {
            return unreadable(conf);
        }
        ParseResult base = guarded(() -> parser.parse(name, conf, confText.get()), conf);
        if (!base.loaded() || override.isEmpty()) {
            return base;
        }
        Optional<String> overrideText = read(override.get());
        if (overrideText.isEmpty()) {
            return withExtra(base, unreadable(override.get()).diagnostics());
        }
        ParseResult applied = guarded(() -> parser.parseOverride(base.job().get(), override.get(),
                overrideText.get()), override.get());
        if (applied.loaded() || applied.waitingForExtensions()) {
            return withExtra(applied, base.diagnostics());
        }
        return withExtra(base, applied.diagnostics());
    }

    /** The job name for {@code file} under {@code confdir}: relative path, no suffix, {@code /} separated. */
    public static String jobName(Path confdir, Path file) {
        String relative = confdir.relativize(file).toString().replace(file.getFileSystem().getSeparator(), "/");
        int dot = relative.lastIndexOf('.');
        return dot > relative.lastIndexOf('/') ? relative.substring(0, dot) : relative;
    }

    /** The file's text (UTF-8, malformed bytes replaced), or empty if it cannot be read. */
    static Optional<String> read(Path file) {
        try {
            return Optional.of(new String(Files.readAllBytes(file), StandardCharsets.UTF_8));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static ParseResult unreadable(Path file) {
        String cause;
        try {
            Files.readAllBytes(file);
            cause = "unknown error";
        } catch (IOException e) {
            cause = e.toString();
        }
        return new ParseResult(Optional.empty(),
                List.of(Diagnostic.of(file, 1, 1, Diagnostic.Kind.UNREADABLE, cause)), java.util.Set.of());
    }

    /** The parser reports bad input as diagnostics; anything it throws is a bug, reported the same way. */
    private static ParseResult guarded(java.util.function.Supplier<ParseResult> parse, Path file) {
        try {
            return parse.get();
        } catch (RuntimeException | StackOverflowError e) {
            return new ParseResult(Optional.empty(),
                    List.of(Diagnostic.of(file, 1, 1, Diagnostic.Kind.INTERNAL_ERROR, e.toString())), java.util.Set.of());
        }
    }

    private static ParseResult withExtra(ParseResult result, List<Diagnostic> before) {
        if (before.isEmpty()) {
            return result;
        }
        List<Diagnostic> all = new ArrayList<>(before);
        all.addAll(result.diagnostics());
        return new ParseResult(result.job(), all, result.missingExtensions());
    }
}
