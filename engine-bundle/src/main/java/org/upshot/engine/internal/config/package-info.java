/**
 * Job configuration: from confdirs to a job registry, and keeping it current.
 *
 * <h2>How the engine uses it</h2>
 * <pre>{@code
 * ConfigurationLoader loader = new ConfigurationLoader(confdirs, extensionLookup);
 * Configuration initial = loader.load();            // full scan: jobs + diagnostics
 * ConfigurationWatcher watcher = ConfigurationWatcher.start(loader,
 *         changes -> engineQueue.post(new ConfigurationChanged(changes)));
 * watcher.reload();               // reload-configuration, SIGHUP
 * watcher.extensionsChanged();    // a StanzaExtension service was bound or unbound
 * watcher.close();                // engine stops
 * }</pre>
 *
 * <h2>Design</h2>
 * <p>The {@link org.upshot.engine.internal.config.ConfigurationLoader} owns the truth:
 * per job name, which files define it, their size/time/inode stamp, and the last
 * definition that parsed. Every update is a walk of all confdirs (cheap: directory
 * listings and stat calls) followed by a re-parse of only the files whose stamp
 * changed, and ends with the difference from the previous registry as a
 * {@link org.upshot.engine.internal.config.ChangeSet}. Working from a fresh walk rather
 * than from individual watch events makes lost or overflowing events harmless: any
 * event just triggers a walk, and the walk is always right.
 *
 * <p>The {@link org.upshot.engine.internal.config.ConfigurationWatcher} is only the
 * trigger: one thread, a {@link java.nio.file.WatchService} with every confdir and
 * subdirectory registered, a short quiet period so one editor save is one change set,
 * and a queue of requests from other threads so scans never overlap. The engine
 * applies each change set on its own thread, as one message.
 *
 * <h2>Where Upshot differs from Upstart</h2>
 * <p>A job whose file is edited into something that no longer parses keeps its previous
 * definition, and the error is reported (Upstart dropped the job). A job using a plugin
 * stanza whose extension is not loaded is held back and loads as soon as the extension
 * appears, with no restart.
 */
package org.upshot.engine.internal.config;
