/**
 * The launcher: a plain {@code main} that turns {@code bin/upshot}'s flags into an
 * Apache Felix framework running Upshot's bundles.
 *
 * <h2>Class path and bundles</h2>
 * The JVM class path is {@code lib/upshot-launcher.jar}, whose manifest names Felix and
 * the jnr jars. jnr cannot live in bundles of its own (jffi and jnr-x86asm have no OSGi
 * headers), so it stays on the class path and the system bundle exports every package
 * found there ({@code org.osgi.framework.system.packages.extra}); bundles import them
 * with {@code version=0}. Everything else is a bundle: the core set in {@code bundle/}
 * (SCR and its three API bundles, kernel, engine) and the plugins in the plugin
 * directory. Felix's cache lives under the runtime directory and is cleaned at every
 * start, so what runs is exactly what the two directories hold.
 *
 * <h2>Settings</h2>
 * Options become framework properties ({@code upshot.mode}, {@code upshot.confdirs},
 * {@code upshot.runtime.dir}, {@code upshot.log.dir}, {@code upshot.debug},
 * {@code upshot.default.console}, {@code upshot.plugin.dir}, {@code upshot.pid1}) that
 * bundles read with {@code BundleContext.getProperty}. Logging is java.util.logging with
 * one line per record on stderr; {@code System.getLogger} in every bundle ends there.
 *
 * <h2>Failure isolation</h2>
 * Every bundle operation is guarded: a jar that does not install, or whose activator
 * throws, is logged with its name and cause and left stopped while the rest runs. The
 * plugin directory watcher catches failures per iteration. As PID 1 the launcher never
 * exits on error; the kernel bundle's reaper collects orphans, and if the framework
 * cannot start at all a fallback reaper does.
 *
 * <h2>Stopping</h2>
 * SIGTERM/SIGINT stop the framework (bundles deactivate in reverse order) and the JVM
 * exits 0, or with the status in the {@code upshot.exit.status} system property, which
 * the engine sets before stopping the system bundle after an orderly shutdown.
 */
package org.upshot.launcher;
