package org.upshot.engine.internal.config;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.upshot.engine.internal.parse.Diagnostic;
import org.upshot.engine.internal.parse.JobParser;
import org.upshot.engine.internal.parse.ParseResult;

/** Reading one job from its {@code .conf} and optional {@code .override}. */
public final class JobFiles {

    /** The suffix of job files. */
    public static final String CONF = ".conf";
    /** The suffix of override files. */
    public static final String OVERRIDE = ".override";
    /**
     * The largest job file read: real ones are a few kilobytes, and a file of gigabytes
     * (or {@code /dev/zero} behind a link) must not take the daemon's memory.
     */
    public static final int MAX_BYTES = 1 << 20;

    private JobFiles() {}

    /**
     * Parses {@code conf} and applies {@code override} on top. An override that does not
     * parse is ignored (its diagnostics are kept) and the {@code .conf} alone is used, as
     * in Upstart; an override waiting for an extension holds the job back.
     */
    public static ParseResult load(JobParser parser, String name, Path conf, Optional<Path> override) {
        String confText;
        try {
            confText = read(conf);
        } catch (RefusedFile e) {
            return refused(conf, e);
        } catch (IOException e) {
            return failed(conf, Diagnostic.Kind.UNREADABLE, e.toString());
        }
        ParseResult base = guarded(() -> parser.parse(name, conf, confText), conf);
        if (!base.loaded() || override.isEmpty()) {
            return base;
        }
        String overrideText;
        try {
            overrideText = read(override.get());
        } catch (RefusedFile e) {
            return withExtra(base, refused(override.get(), e).diagnostics());
        } catch (IOException e) {
            return withExtra(base, failed(override.get(), Diagnostic.Kind.UNREADABLE, e.toString()).diagnostics());
        }
        ParseResult applied = guarded(() -> parser.parseOverride(base.job().get(), override.get(), overrideText),
                override.get());
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

    /** A job file refused before it is read: not a regular file, or too large. */
    private static final class RefusedFile extends IOException {
        private static final long serialVersionUID = 1L;
        final transient Diagnostic.Kind kind;

        RefusedFile(Diagnostic.Kind kind, String detail) {
            super(detail);
            this.kind = kind;
        }
    }

    /**
     * The file's text: UTF-8, malformed bytes replaced (the parser then reports the odd
     * word). Only a regular file (links followed) of at most {@link #MAX_BYTES} is read,
     * and never more than that, whatever its size said.
     */
    private static String read(Path file) throws IOException {
        BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
        if (!attributes.isRegularFile()) {
            throw new RefusedFile(Diagnostic.Kind.NOT_A_FILE, attributes.isDirectory() ? "a directory"
                    : attributes.isOther() ? "a device, pipe or socket" : "not a regular file");
        }
        if (attributes.size() > MAX_BYTES) {
            throw new RefusedFile(Diagnostic.Kind.TOO_LARGE, attributes.size() + " bytes");
        }
        byte[] text;
        try (InputStream in = Files.newInputStream(file)) {
            text = in.readNBytes(MAX_BYTES + 1);
        }
        if (text.length > MAX_BYTES) {
            throw new RefusedFile(Diagnostic.Kind.TOO_LARGE, "more than " + MAX_BYTES + " bytes");
        }
        return new String(text, StandardCharsets.UTF_8);
    }

    private static ParseResult refused(Path file, RefusedFile why) {
        return why.kind == Diagnostic.Kind.TOO_LARGE ? failed(file, why.kind, why.getMessage(), MAX_BYTES)
                : failed(file, why.kind, why.getMessage());
    }

    private static ParseResult failed(Path file, Diagnostic.Kind kind, Object... detail) {
        return new ParseResult(Optional.empty(), List.of(Diagnostic.of(file, 1, 1, kind, detail)), Set.of());
    }

    /** The parser reports bad input as diagnostics; anything it throws is a bug, reported the same way. */
    private static ParseResult guarded(Supplier<ParseResult> parse, Path file) {
        try {
            return parse.get();
        } catch (RuntimeException | StackOverflowError e) {
            return failed(file, Diagnostic.Kind.INTERNAL_ERROR, e.toString());
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
