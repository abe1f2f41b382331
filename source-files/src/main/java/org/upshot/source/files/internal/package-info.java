/**
 * How the files source watches paths.
 *
 * <h2>Events</h2>
 * The source emits Upstart's file-bridge event, {@code file FILE=PATTERN EVENT=KIND
 * MATCH=PATH}: {@code FILE} is the pattern exactly as the job wrote it (so the job's
 * own {@code FILE=} match compares equal), {@code EVENT} is {@code create},
 * {@code modify} or {@code delete}, and {@code MATCH} is the path that changed.
 * Upstart set {@code MATCH} only for wildcard patterns; this source always sets it, so
 * a job can always tell which file woke it, and a job that matches only on
 * {@code FILE} and {@code EVENT} sees no difference.
 *
 * <h2>Patterns</h2>
 * A {@link org.upshot.source.files.internal.PathPattern} is a set of entries of one
 * directory: a file ({@code /run/app.pid}), every entry of a directory (trailing slash:
 * {@code /var/spool/cups/}) or the entries whose name matches a wildcard
 * ({@code /var/crash/*.crash}). A directory pattern reports its entries, not the
 * directory itself. The watch set is recomputed from the jobs on every
 * {@code jobsChanged}: each {@code file} match of {@code start on} and {@code stop on}
 * and each {@code watch} stanza ({@link org.upshot.source.files.internal.WatchStanza}
 * gives the mapping). A {@code FILE=} holding {@code $VAR} cannot be watched, because
 * the value is only known per instance; it is logged and skipped. As in Upstart, the
 * engine compares the job's {@code FILE=} glob with the emitted text of the same glob:
 * {@code *} and {@code ?} match themselves, but a {@code [...]} class does not, so
 * patterns should use {@code *} and {@code ?} only.
 *
 * <h2>Threads</h2>
 * Three threads, none of them the engine's: the JDK's watch service reads inotify; a
 * poller thread takes each signalled key and posts it to the worker; the single worker
 * thread owns every piece of state (targets, snapshots, registrations, coalescing
 * windows) and is the only one that emits. {@code jobsChanged} only posts the new
 * demand to the worker, so the engine never waits on the file system. {@code stop}
 * closes the watch service, stops both threads and, under the emit lock, makes sure
 * nothing is emitted after it returns.
 *
 * <h2>Watching, missing paths, deletion</h2>
 * Every directory that patterns live in (a <em>target</em>) is watched, and so is the
 * directory above it, so that the target's deletion, renaming or creation is seen.
 * A target that does not exist is watched through its nearest existing ancestor:
 * each change there that lies on the way to a target re-evaluates the registrations
 * ({@code restructure}), moving the watch down as directories appear and back up as
 * they go. Whenever a target becomes watched or stops being watched it is listed and
 * compared with its snapshot (the matching entries reported so far), which reports
 * the files that arrived with it (a directory renamed into place) or vanished with it.
 *
 * <h2>Snapshots and overflow</h2>
 * The snapshot follows the events: a {@code create} adds the name, a {@code delete}
 * removes it, and a live event that a listing already reported is not reported twice.
 * When inotify's queue or the JDK's per-key list (512 events) overflows, the key
 * delivers {@code OVERFLOW}; the target is then listed and diffed against its snapshot
 * (by name, modification time and size), so creations, modifications and deletions
 * hidden by the overflow are still reported.
 *
 * <h2>Conditions already true</h2>
 * When a job is first seen with a {@code create} condition (a {@code start on} match
 * whose {@code EVENT} admits {@code create}, or a {@code watch ... created|nonempty}),
 * each existing path of the pattern is announced as a {@code create}, at start and at
 * any later {@code jobsChanged} that brings the job. That is how a print job left in
 * the queue before shutdown starts the printing service at boot. Announcements go
 * through the same coalescing as live events. Conditions in {@code stop on} are not
 * announced, so that loading a job never stops it.
 *
 * <h2>Bounded work</h2>
 * {@link org.upshot.source.files.internal.Coalescer} bounds the events a burst causes:
 * per (pattern, kind), a change after a quiet window is emitted at once, and later ones
 * are held (each path once, at most {@code events_per_window} per window) and emitted
 * when the window ends. 10,000 files dropped into a queue directory give a few
 * hundred events at most, while every change is still followed by an event within one
 * window. A job that must handle every file scans the directory, as CUPS does; the
 * event is the wake-up.
 *
 * <h2>Faults</h2>
 * A directory that cannot be watched (the {@code fs.inotify.max_user_watches} limit,
 * permission denied) is logged once at error level, naming the directory, the jobs and
 * the patterns that need it, and retried every {@code retry_seconds}; the other
 * patterns keep working. Every task on the worker is guarded, so one failure is logged
 * and the source goes on.
 */
package org.upshot.source.files.internal;
