package org.upshot.engine.internal;

import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.function.Consumer;
import org.upshot.engine.internal.api.JobControl.PowerAction;
import org.upshot.engine.internal.event.EngineEvents;
import org.upshot.event.Event;

/**
 * The system's runlevel, as the last {@code runlevel} event set it (Upstart's tools kept
 * it in utmp). It is recorded as {@code PREVIOUS CURRENT} ({@code N 2}) in
 * {@code RUNTIME_DIR/runlevel}, which {@code bin/runlevel} prints and {@code bin/telinit}
 * takes the next {@code PREVLEVEL} from; a daemon started again under the same PID 1
 * reads it back. Events arrive on the engine thread; {@link #shutdownEvent} may be
 * called on any.
 */
final class Runlevels implements Consumer<Event> {

    /** The record's name in the runtime directory. */
    static final String RECORD = "runlevel";
    /** Upstart's word for "no runlevel yet". */
    private static final String NONE = "N";

    private static final Logger LOG = System.getLogger(Runlevels.class.getName());

    private final Path record;
    private volatile String current;

    Runlevels(Path runtimeDir) {
        record = runtimeDir.resolve(RECORD);
        current = recorded();
    }

    @Override
    public void accept(Event event) {
        if (!event.name().equals(EngineEvents.RUNLEVEL)) {
            return;
        }
        String level = event.get("RUNLEVEL").orElse("");
        if (level.isEmpty()) {
            return;
        }
        String previous = event.get("PREVLEVEL").filter(given -> !given.isEmpty()).orElse(current);
        current = level;
        write(previous + " " + level + "\n");
    }

    /** Upstart's event for a shutdown from the current runlevel: 6 to reboot, else 0 with {@code INIT_HALT}. */
    Event shutdownEvent(PowerAction action) {
        String previous = "PREVLEVEL=" + current;
        return switch (action) {
            case REBOOT -> Event.of(EngineEvents.RUNLEVEL, "RUNLEVEL=6", previous);
            case HALT -> Event.of(EngineEvents.RUNLEVEL, "RUNLEVEL=0", previous, "INIT_HALT=HALT");
            case POWEROFF -> Event.of(EngineEvents.RUNLEVEL, "RUNLEVEL=0", previous, "INIT_HALT=POWEROFF");
        };
    }

    /** The current level of the record a daemon before this one left, else none. */
    private String recorded() {
        try {
            String[] levels = Files.readString(record, StandardCharsets.UTF_8).trim().split(" ");
            return levels.length == 2 ? levels[1] : NONE;
        } catch (NoSuchFileException e) {
            return NONE;
        } catch (IOException e) {
            LOG.log(Level.WARNING, "cannot read the runlevel record " + record + ": " + e.getMessage());
            return NONE;
        }
    }

    /** Replaces the record at once, so a reader never sees half of it. */
    private void write(String text) {
        Path fresh = record.resolveSibling("." + RECORD + ".new");
        try {
            Files.writeString(fresh, text, StandardCharsets.UTF_8);
            Files.move(fresh, record, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            LOG.log(Level.WARNING, "cannot record the runlevel in " + record + ": " + e.getMessage());
        }
    }
}
