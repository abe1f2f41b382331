/**
 * The engine's event queue.
 *
 * <p>An event is immutable ({@link org.upshot.event.Event}); its life on the queue is a
 * {@link org.upshot.engine.internal.event.QueuedEvent}: a progress
 * ({@code PENDING → HANDLING → FINISHED}), a blocker count and a failed flag. Handling
 * matches it against every job once; each job it starts or stops, and each condition
 * leaf that holds it, adds a blocker. It finishes when the count is back to zero: then
 * jobs waiting on it ({@code starting}/{@code stopping}) move on, the emitter's stage
 * completes, and if a job failed {@code NAME/failed} is queued (never
 * {@code NAME/failed/failed}). {@link org.upshot.engine.internal.event.EventQueue#poll}
 * drains the queue in passes until one makes no progress; handling only appends, so
 * there is no recursion however long the chain of job events. Engine thread only.
 */
package org.upshot.engine.internal.event;
