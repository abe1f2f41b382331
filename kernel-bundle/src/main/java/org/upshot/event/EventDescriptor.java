package org.upshot.event;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * An open file descriptor that travels with one event to the jobs it starts: an accepted
 * connection, say, or a listening socket (Upstart's {@code UPSTART_FDS}).
 *
 * <p>The main process of every job instance the event starts inherits the descriptor,
 * after the descriptors its stanzas pass, numbered on from 3 with no gaps; its name goes
 * into {@code LISTEN_FDNAMES} and its number into {@code LISTEN_FDS} and
 * {@code UPSTART_FDS}. The engine holds it only while the event is on the queue: once
 * the event has finished (every job it started is running, or finished for a task) the
 * engine calls {@link #release()} exactly once, on the engine thread, also when the event
 * started nothing or the engine stopped first. What release means (close an accepted
 * connection, close a duplicate of a listener, nothing) is the emitter's business.
 */
@ConsumerType
public interface EventDescriptor {

    /** The daemon's own descriptor number; stays open until {@link #release()}. */
    int descriptor();

    /**
     * The name for {@code LISTEN_FDNAMES}: no {@code :}, no control characters
     * ({@code connection} for an accepted connection, by systemd's convention).
     */
    String name();

    /**
     * Whether the descriptor is also the process's standard input and output, as inetd
     * passes a connection (the job's console still takes standard error).
     */
    default boolean standardIo() {
        return false;
    }

    /** The event has finished with the descriptor; called once, must not block. */
    void release();
}
