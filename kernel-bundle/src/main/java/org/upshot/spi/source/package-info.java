/**
 * The event-source SPI: how a plugin bundle feeds events from the outside world
 * (hardware, sockets, D-Bus, timers, files) into the engine.
 *
 * <p>A source is a Declarative Services component that registers an
 * {@link org.upshot.spi.source.EventSource} service and declares itself with
 * {@link org.upshot.spi.source.SourceDeclaration}: its name and the events it emits,
 * which bnd writes into the manifest ({@link org.upshot.spi.source.PluginDeclaration}
 * reads them back). The engine binds every source dynamically: a source bundle may
 * arrive or leave at any time, and running jobs are not disturbed either way.
 *
 * <p>Sources know nothing about the engine. They receive a
 * {@link org.upshot.spi.source.SourceContext} (the emitter, the owner of a pid, the
 * daemon's settings, lines shown under a job), see jobs only as read-only
 * {@link org.upshot.job.JobView}s, and follow instances through
 * {@link org.upshot.job.InstanceChange}s. An event may carry open descriptors to the
 * jobs it starts ({@link org.upshot.event.EventDescriptor}).
 *
 * <p>Every call the engine makes into a source is guarded: it runs on a thread the
 * engine keeps for that source, an exception or a call that does not return in time is
 * logged with the source's name and bundle, the source is disabled, and the engine goes
 * on.
 *
 * <p>History: 2.0: sources start with a {@link org.upshot.spi.source.SourceContext}, declare themselves with {@link org.upshot.spi.source.SourceDeclaration} (no {@code name()} method), and follow instances; {@link org.upshot.spi.source.PluginDeclaration} reads declarations.
 * 2.1 added {@link org.upshot.spi.source.SourceContext#describe} (lines a source shows under a job).
 * 2.2 added {@code mainProcess}, {@code moveMainProcess}, {@code abort} and {@code extendTimeout} to {@link org.upshot.spi.source.SourceContext}: what a readiness protocol reports about a running instance.
 * 2.3 added {@link org.upshot.spi.source.EventSource#pause} and {@link org.upshot.spi.source.EventSource#resume} (defaults that do nothing): a re-exec stops the intake before the state is written.
 */
@Export
@Version("2.3.0")
package org.upshot.spi.source;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
