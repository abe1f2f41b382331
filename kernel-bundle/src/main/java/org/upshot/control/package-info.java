/**
 * The control protocol spoken between {@code initctl} and the daemon's control server:
 * its framing, its JSON codec, and the pinned command and error codes.
 *
 * <p><b>Framing.</b> A Unix stream socket carrying UTF-8 lines; each line is one JSON
 * object and ends with {@code \n}. A request line is at most
 * {@link org.upshot.control.Protocol#MAX_LINE_BYTES} bytes; a longer one is answered with
 * {@code REQUEST_TOO_LARGE} and the connection is closed, since the stream cannot be
 * resynchronised. Every request gets exactly one reply carrying the request's {@code id}.
 * A client may pipeline requests; the server carries out those of one connection one
 * after another, in order, so a script can pipe {@code stop} then {@code start}.
 *
 * <p><b>Messages.</b> A request is {@code {"v":1,"id":7,"cmd":"start","job":"foo",
 * "env":["A=B"],"wait":true}}; a reply is {@code {"v":1,"id":7,"ok":true,...}} or
 * {@code {"v":1,"id":7,"ok":false,"code":"UNKNOWN_JOB","message":"Unknown job: foo"}}.
 * The message is the text {@code initctl} prints, so every client shows the same words.
 * {@code docs/control-protocol.md} lists every command's fields.
 *
 * <p><b>Events.</b> After a successful reply to {@code events} the connection carries
 * one {@code {"v":1,"event":{"name":...,"env":[...]}}} line per event the engine handles,
 * until either side closes it.
 *
 * <p><b>Why here.</b> This package is shared by the server (engine bundle) and the client
 * ({@code ctl}, a plain jar that loads this bundle's jar as a library), so none of its
 * classes touches OSGi, and none uses lambdas or reflection, which would slow the
 * client's start.
 *
 * <p>History: 2.0 removed {@code Protocol.SYSTEM_RUNTIME_DIR}: {@link org.upshot.daemon.DaemonSettings} owns every directory default.
 * 2.1 added {@code Command.JOURNAL}; 2.2 {@code SOURCES}, {@code REBOOT}, {@code HALT}, {@code POWEROFF}.
 */
@Export
@Version("2.3.0")
package org.upshot.control;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
