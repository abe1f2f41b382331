package org.upshot.engine.internal.model;

import java.util.Objects;

/**
 * One of a job's processes as written: an {@code exec} command line (quotes kept, as
 * Upstart stores it) or a {@code script} block (byte-exact body).
 *
 * @param command the command line or the script body
 * @param script true for a {@code script ... end script} block
 */
public record ProcessSpec(String command, boolean script) {
    public ProcessSpec {
        Objects.requireNonNull(command, "command");
    }
}
