/**
 * The event model: an {@link org.upshot.event.Event} is a name and an ordered
 * list of {@code KEY=VALUE} strings; an {@link org.upshot.event.EventExpression}
 * is the condition language of {@code start on} and {@code stop on}.
 *
 * <p>Events are the only thing that moves jobs. Sources emit them through the
 * {@link org.upshot.event.EventEmitter} service, which the engine provides; the
 * engine queues them on its single thread, matches them against every job's
 * conditions and reports when each event has been fully handled.
 */
@Export
@Version("1.1.0")
package org.upshot.event;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
