package org.upshot.source.files.internal;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import org.upshot.event.Glob;

/**
 * A {@code FILE=} value understood as a set of paths inside one directory.
 *
 * <ul>
 *   <li>{@code /run/app.pid} — one path: the entry {@code app.pid} of {@code /run};
 *   <li>{@code /var/spool/cups/} (trailing slash) — every entry of that directory;
 *   <li>{@code /var/crash/*.crash} — the entries of {@code /var/crash} whose name
 *       matches the wildcard; wildcards are allowed in the last component only.
 * </ul>
 *
 * A path starting with {@code ~/} is taken from the home directory; other paths must
 * be absolute. The text is kept as written, because {@code file} events carry it
 * back in {@code FILE=} so that the job's own match compares equal.
 *
 * @param text the value as written in the job
 * @param directory the directory whose entries are matched
 * @param name the last component (a wildcard when {@code wildcard}), or empty for a
 *     directory pattern, which matches every entry
 * @param wildcard whether {@code name} holds a wildcard
 */
public record PathPattern(String text, Path directory, Optional<String> name, boolean wildcard) {

    public PathPattern {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(directory, "directory");
        Objects.requireNonNull(name, "name");
    }

    /**
     * Reads a pattern.
     *
     * @param home the directory {@code ~/} stands for
     * @throws IllegalArgumentException with a message fit for a diagnostic
     */
    public static PathPattern parse(String text, Path home) {
        if (text.isEmpty()) {
            throw new IllegalArgumentException("empty path");
        }
        if (text.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("path holds a NUL character");
        }
        String absolute;
        if (text.startsWith("~/")) {
            absolute = home.toAbsolutePath() + text.substring(1);
        } else if (text.startsWith("/")) {
            absolute = text;
        } else {
            throw new IllegalArgumentException("path must be absolute (start with / or ~/): '" + text + "'");
        }
        int slash = absolute.lastIndexOf('/');
        String parent = absolute.substring(0, slash);
        String last = absolute.substring(slash + 1);
        if (PathWildcards.hasWildcard(parent)) {
            throw new IllegalArgumentException(
                    "a wildcard is allowed only in the last component: '" + text + "'");
        }
        Path directory = Path.of(parent.isEmpty() ? "/" : PathWildcards.unquote(parent)).normalize();
        if (last.isEmpty()) {
            return new PathPattern(text, directory, Optional.empty(), false);
        }
        if (last.equals(".") || last.equals("..")) {
            throw new IllegalArgumentException("path must not end in '" + last + "': '" + text + "'");
        }
        boolean wildcard = PathWildcards.hasWildcard(last);
        return new PathPattern(text, directory, Optional.of(wildcard ? last : PathWildcards.unquote(last)), wildcard);
    }

    /** Whether this pattern names every entry of its directory ({@code /var/spool/cups/}). */
    public boolean isDirectory() {
        return name.isEmpty();
    }

    /** Whether the entry {@code entry} of {@link #directory()} is one of this pattern's paths. */
    public boolean matches(String entry) {
        if (name.isEmpty()) {
            return true;
        }
        return wildcard ? Glob.compile(name.get()).matches(entry) : name.get().equals(entry);
    }
}
