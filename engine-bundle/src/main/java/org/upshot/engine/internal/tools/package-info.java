/**
 * Offline tools over job files, run as a plain {@code main} with no OSGi framework and no
 * daemon: {@link org.upshot.engine.internal.tools.ConfigTool} is the entry point
 * ({@code java -cp kernel.jar:engine.jar org.upshot.engine.internal.tools.ConfigTool
 * check-config|show-config ...}), which {@code bin/upshot} calls.
 *
 * <p>They use the same loader as the daemon, so what they accept the daemon loads, and
 * they parse plugin stanzas with the plugins' own extensions, made from the jars of the
 * plugin directory ({@link org.upshot.engine.internal.plugin.PluginJars}). The events a
 * job may wait for without any {@code emits} are the engine's own
 * ({@link org.upshot.engine.internal.event.EngineEvents}) and those the plugins declare.
 */
package org.upshot.engine.internal.tools;
