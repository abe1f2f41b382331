/**
 * The event-source SPI: how a plugin bundle feeds events from the outside world
 * (hardware, sockets, D-Bus, timers, files) into the engine.
 *
 * <p>A source is a Declarative Services component that registers an
 * {@link org.upshot.spi.source.EventSource} service. The engine binds every source
 * dynamically: a source bundle may arrive or leave at any time, and running jobs
 * are not disturbed either way. Sources know nothing about the engine; they see
 * jobs only as read-only {@link org.upshot.job.JobView}s.
 *
 * <p>Every call the engine makes into a source is guarded: an exception is logged
 * with the source's name, the source is marked failed, and the engine goes on.
 */
@Export
@Version("1.0.0")
package org.upshot.spi.source;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
