package org.upshot.engine.internal.parse;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the team's shared material (reference corpus) lives: read in place, never copied. */
public final class SharedDir {

    private SharedDir() {}

    /** The {@code upshot.shared.dir} system property, else {@code /work/shared}. */
    public static Path get() {
        String configured = System.getProperty("upshot.shared.dir");
        if (configured != null && Files.isDirectory(Path.of(configured))) {
            return Path.of(configured).normalize();
        }
        return Path.of("/work/shared");
    }
}
