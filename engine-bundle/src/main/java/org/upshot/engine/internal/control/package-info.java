/**
 * The control server: {@code initctl}'s daemon end, on the Unix socket
 * {@code RUNTIME_DIR/control.sock}, speaking the protocol of {@code org.upshot.control}
 * ({@code docs/control-protocol.md}).
 *
 * <p><b>Threads.</b> One I/O thread ({@code upshot-control}) owns every connection: it
 * accepts, reads, frames, decodes, checks permissions and calls
 * {@link org.upshot.engine.internal.api.JobControl}, whose methods post to the engine
 * thread and return a stage at once. The stage completes on the engine thread, which
 * only encodes the reply, queues it on the connection and wakes the selector; the I/O
 * thread writes it. So a slow or hostile client can never stall the engine, and the
 * engine never waits on a socket. jnr-unixsocket's channels and poll selector are used
 * instead of the JDK's Unix channels because only jnr reports the peer's numeric
 * uid, gid and pid ({@code SO_PEERCRED}).
 *
 * <p><b>Bad input.</b> Every request line gets a reply: malformed JSON, bad UTF-8, a
 * wrong version, an unknown command or a mistyped field each get an error reply and the
 * connection reads on. A line over the bound gets one error and a close. A client that
 * goes silent with nothing in progress is closed after the idle timeout; one that leaves
 * mid-reply is dropped on the failed write. Event followers that stop reading are
 * dropped once their backlog passes a bound. None of these reaches the engine, and
 * any exception while serving one connection is logged and the loop goes on.
 *
 * <p><b>Permissions.</b> {@link org.upshot.engine.internal.control.AccessPolicy}: a
 * system daemon lets root do everything and others only read; a session daemon serves
 * its owner alone. The check happens before a request is decoded into an engine call.
 */
package org.upshot.engine.internal.control;
