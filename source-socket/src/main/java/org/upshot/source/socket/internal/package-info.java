/**
 * How the socket source works.
 *
 * <h2>Who owns the sockets</h2>
 * The daemon does: a {@code socket} stanza's listener is bound by
 * {@link org.upshot.source.socket.internal.ListenerTable#claim} while the job file is
 * parsed, so an address in use, a refused port (below 1024 without root) or a path that
 * exists and is not a socket is that stanza's {@code file:line:column} error and the job
 * does not load; other jobs are untouched. A reparse of an unchanged stanza keeps the
 * socket (backlog, mode and owner are applied in place), so a reload never drops a
 * waiting connection. The listener stays open across the job's stop, crash, respawn and
 * restart; the job's processes only inherit copies. It is closed, and its unix node
 * unlinked (only if it is still the node this socket made), when no loaded job names it
 * any more. A unix path's missing directories are made 0755; a socket node left there by
 * a dead process is replaced; one someone still answers on is "address in use".
 *
 * <h2>The event</h2>
 * {@code socket PROTO=inet|inet6|unix PORT= ADDR=} (or {@code SOCKET_PATH=}); a stanza's
 * also carries {@code LISTEN=ID} ({@code tcp:127.0.0.1:8080}), which is what the stanza
 * or-s into the job's {@code start on}. An accepted connection adds {@code CONNECTION=N}
 * (a daemon-wide count), {@code REMOTE_ADDR} and {@code REMOTE_PORT}, or for unix sockets
 * the peer's {@code REMOTE_PID} and {@code REMOTE_UID} from {@code SO_PEERCRED}.
 *
 * <p>A stanza's listener is bound when its file is parsed but watched only once its job
 * is among the engine's loaded jobs, so no event reaches an engine that cannot match it
 * yet; until then (at start-up, and after a re-exec hands the socket over) clients wait
 * in the backlog.
 *
 * <h2>Without accept</h2>
 * The job's main process gets the listener at 3, 4, ... with {@code LISTEN_FDS},
 * {@code LISTEN_PID}, {@code LISTEN_FDNAMES} ({@code name=}, else the job's name) and
 * {@code UPSTART_FDS}. The listener is watched (level-triggered) only while no instance
 * of its job is between starting and stopped, and no event of its is pending: a readable
 * listener emits one event; the job starts, accepts, and when it stops a connection still
 * waiting in the backlog starts it again. If an event starts nothing, the listener is
 * watched again after a short pause.
 *
 * <h2>With accept</h2>
 * The source accepts, and each connection is an event that carries it
 * ({@link org.upshot.event.EventDescriptor}, on standard input and output and at fd 3 as
 * {@code connection}); the instance is named {@code N-ADDR:PORT} (unix: {@code N-PID}).
 * Over {@code max-connections} open ones (default 64) a connection is closed and counted
 * as refused. Connections are counted from accept until their instance stops (or their
 * event finishes having started nothing).
 *
 * <h2>Trigger limit</h2>
 * systemd's defaults: a start beyond 20 (200 with accept) within 2 s pauses the listener
 * for 30 s instead of starting the job; connections wait in the backlog meanwhile, and the
 * job's status says why. Only starts count: a connection closed over
 * {@code max-connections} does not. Starting the job by hand (without accept) or changing
 * its stanza ends the pause at once. {@code trigger-limit=BURST/SECONDS} sets another
 * limit, {@code trigger-limit=off} none.
 *
 * <h2>Upstart's form</h2>
 * A {@code start on} match {@code socket PROTO=inet PORT=80 ADDR=127.0.0.1} (also
 * {@code inet6}, and {@code unix SOCKET_PATH=}) makes a listener as upstart-socket-bridge
 * did, shared by every job that names the same address; its event carries a duplicate of
 * the listener ({@code UPSTART_FDS}), which the daemon closes when the event finishes.
 * Upstart documented {@code PATH=} for unix sockets but its bridge emitted
 * {@code SOCKET_PATH=}, so such a match never fired; here {@code PATH=} still makes the
 * listener, and the daemon's log says to write {@code SOCKET_PATH=}. {@code PATH} itself is
 * never an event variable, since event variables reach the job's environment.
 *
 * <h2>sd_notify</h2>
 * {@link org.upshot.source.socket.internal.NotifyTable} binds {@code RUNTIME_DIR/notify.sock},
 * a unix datagram socket with {@code SO_PASSCRED}, and one thread reads it. A job with
 * {@code expect notify}, {@code watchdog} or {@code notify-access} gets it as
 * {@code NOTIFY_SOCKET}. A message without credentials, or of 4,096 bytes or more, is
 * dropped and counted (systemd's rules); descriptors sent with one are closed. The sender's
 * pid names the instance ({@code SourceContext.ownerOf}); only its main process may speak
 * unless the job says {@code notify-access all}, and a refused message is counted under the
 * job. {@code READY=1} makes an {@code expect notify} job ready; {@code MAINPID=} (one of
 * the instance's own processes) moves supervision, answered with the readiness before
 * ready and through {@code moveMainProcess} after; {@code STATUS=} and {@code STOPPING=1}
 * are shown under the job; {@code EXTEND_TIMEOUT_USEC=} extends the phase's timeout.
 * {@code reload} returns at the {@code READY=1} after the reload signal (with or without
 * {@code RELOADING=1} first); a daemon that says neither within a second is taken not to
 * announce reloads, and the reload returns then. The watchdog is armed once the instance is
 * {@code started} and rearmed by each {@code WATCHDOG=1}; a missed ping (or
 * {@code WATCHDOG=trigger}) aborts the main process ({@code PROCESS=watchdog}).
 * {@code WATCHDOG_USEC=} changes the interval.
 */
package org.upshot.source.socket.internal;
