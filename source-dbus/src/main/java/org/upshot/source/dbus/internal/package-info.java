/**
 * How the D-Bus source works.
 *
 * <h2>Connections</h2>
 * {@link org.upshot.source.dbus.internal.BusTable} holds at most one connection per bus
 * (dbus-java 5, the JDK's unix sockets, embedded in this bundle), made only while a job
 * needs that bus: a {@code dbus} or {@code expect dbus} stanza, a {@code start on dbus}
 * or {@code dbus-activate} condition, or the Upstart API. Every blocking bus call runs on
 * one thread, {@code upshot-dbus}. A bus that is absent, goes away or refuses a name is
 * logged once (again only when the reason changes), retried after 0.25 s doubling to
 * 30 s, and shown under each job on it ({@code initctl status}); a reconnect restores the
 * signal subscriptions, {@code org.freedesktop.systemd1} and the API. The bus job's
 * {@code started} retries at once.
 *
 * <h2>Activation</h2>
 * The source owns {@code org.freedesktop.systemd1} (without queueing) on each bus a job
 * is activated on, after subscribing to {@code ActivationRequest}, so that a request the
 * bus queued before the claim is not lost. A request (from {@code org.freedesktop.DBus}
 * only) names a unit: {@code JOB.service} for a job whose {@code dbus} stanza is on that
 * bus; else {@code dbus-NAME.service}, or the {@code Name=} of an activation file whose
 * {@code SystemdService=} is the unit ({@code upshot.dbus.servicedirs}, else the usual
 * directories), and the job whose stanza claims that name, or with none the jobs whose
 * {@code start on dbus-activate} waits for it. The event is
 * {@code dbus-activate [JOB=] NAME= BUS= UNIT=}. An unknown unit, an emit the engine
 * refuses, or an event that ends {@code FAILED} (the job failed before it owned its name)
 * is answered with {@code ActivationFailure(unit, error, message)} sent to
 * {@code org.freedesktop.DBus} ({@link org.upshot.source.dbus.internal.DirectedSignal}:
 * dbus-java cannot address a signal), which fails every caller waiting for the unit.
 *
 * <h2>Readiness</h2>
 * A job with {@code dbus} or {@code expect dbus} is ready once its name has an owner whose
 * pid belongs to the instance ({@code SourceContext.ownerOf}; an owner without a pid is
 * taken). A ready instance whose name loses its owner is aborted
 * ({@code PROCESS=dbus}), as systemd ends a Type=dbus service that gives its name up.
 *
 * <h2>Signals</h2>
 * Each {@code dbus} match of a loaded job's {@code start on} or {@code stop on} is one
 * match rule ({@link org.upshot.source.dbus.internal.SignalEvents#rule}); a signal that
 * matches several is one event. Malformed signals are dropped.
 *
 * <h2>Upstart's API</h2>
 * {@link org.upshot.source.dbus.internal.UpstartApi} speaks the daemon's control protocol
 * on its control socket, one connection per call, and follows its event stream for
 * {@code EventEmitted}.
 */
package org.upshot.source.dbus.internal;
