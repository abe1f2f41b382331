/**
 * The parsed form of job files: a {@link JobClass} per {@code .conf} file (with its
 * {@code .override} applied), immutable, shared between the parser, the engine
 * thread and the tools ({@code check-config}, {@code show-config}).
 *
 * <p>Defaults are Upstart 1.13's: respawn limit 10 in 5 s, kill timeout 5 s, kill
 * signal TERM, reload signal HUP, only exit 0 normal, no {@code expect}, console
 * left to the daemon's default ({@code log} unless {@code --default-console}).
 */
package org.upshot.engine.internal.model;
