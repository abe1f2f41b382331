package org.upshot.source.timer.internal;

import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * The last slot each {@code persistent} timer accounted for, one file per timer under
 * {@code STATE_DIR/timers/}, so that a slot missed while the daemon was down is known when
 * it is back. A stamp that cannot be read or written is logged and treated as absent:
 * the timer then runs on, only without its catch-up.
 */
final class StampStore {

    private static final Logger LOG = System.getLogger("org.upshot.source.timer");

    private final Path dir;

    /** @param stateDir the daemon's state directory */
    StampStore(Path stateDir) {
        this.dir = stateDir.resolve("timers");
    }

    /** The stamp of {@code timer}, if one was written. */
    Optional<Instant> read(TimerKey timer) {
        Path file = file(timer);
        try {
            return Optional.of(Instant.parse(Files.readString(file).strip()));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException | DateTimeParseException e) {
            LOG.log(Level.WARNING, "timer " + timer + ": cannot read its stamp " + file + ": " + e.getMessage());
            return Optional.empty();
        }
    }

    /** Records {@code slot} as the last one {@code timer} accounted for. */
    void write(TimerKey timer, Instant slot) {
        Path file = file(timer);
        try {
            Files.createDirectories(dir);
            // written aside and renamed: a crash never leaves half a stamp
            Path partial = Files.writeString(dir.resolve("." + file.getFileName()), slot + "\n");
            Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            LOG.log(Level.WARNING, "timer " + timer + ": cannot write its stamp " + file + ": " + e.getMessage());
        }
    }

    /** Forgets {@code timer}'s stamp: it is no longer loaded. */
    void delete(TimerKey timer) {
        try {
            Files.deleteIfExists(file(timer));
        } catch (IOException e) {
            LOG.log(Level.WARNING, "timer " + timer + ": cannot delete its stamp: " + e.getMessage());
        }
    }

    private Path file(TimerKey timer) {
        return dir.resolve(URLEncoder.encode(timer.job() + " " + timer.schedule().text(), StandardCharsets.UTF_8));
    }
}
