/**
 * Offline tools over job files, run as a plain {@code main} with no OSGi framework and no
 * daemon: {@link org.upshot.engine.internal.tools.ConfigTool} is the entry point
 * ({@code java -cp kernel.jar:engine.jar org.upshot.engine.internal.tools.ConfigTool
 * check-config|show-config ...}), which {@code bin/upshot} calls.
 *
 * <p>They use the same loader as the daemon, so what they accept the daemon loads. With
 * no plugins present, stanzas of known plugins are accepted as written and printed back
 * unchanged ({@code OfflineExtensions}); the plugin checks their arguments when the
 * daemon loads the job. {@code check-config}'s list of events that need no
 * {@code emits} is {@code KnownEvents}: engine events, {@code runlevel}, and the names
 * the sources emit.
 */
package org.upshot.engine.internal.tools;
