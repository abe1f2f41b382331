package org.upshot.source.files.internal;

import java.util.Locale;

/** What happened to a path, with the word the {@code file} event carries in {@code EVENT=}. */
public enum FileEventKind {
    CREATE,
    MODIFY,
    DELETE;

    /** {@code create}, {@code modify} or {@code delete}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
