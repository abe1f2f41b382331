/**
 * The event model: an {@link org.upshot.event.Event} is a name and an ordered
 * list of {@code KEY=VALUE} strings; an {@link org.upshot.event.EventExpression}
 * is the condition language of {@code start on} and {@code stop on}.
 *
 * <p>Events are the only thing that moves jobs. Sources emit them through the
 * {@link org.upshot.event.EventEmitter} the engine hands them; the engine queues them
 * on its single thread, matches them against every job's conditions and reports when
 * each event has been fully handled. An event may carry open descriptors
 * ({@link org.upshot.event.EventDescriptor}) to the jobs it starts, which the engine
 * releases once the event has finished, and may ask for its runs to be scheduled as
 * background work ({@link org.upshot.event.RunPriority}).
 *
 * <p>History: 2.0 added {@link org.upshot.event.EventDescriptor} and the emitter method that carries descriptors;
 * 2.1 added {@link org.upshot.event.EventExpression#matches()}.
 * 2.2 added {@link org.upshot.event.RunPriority} and the emitter method that sets it (which an emitter now implements), and {@link org.upshot.event.Glob#escape}.
 */
@Export
@Version("2.2.0")
package org.upshot.event;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
