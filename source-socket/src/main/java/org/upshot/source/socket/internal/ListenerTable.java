package org.upshot.source.socket.internal;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.upshot.daemon.DescriptorStore;
import org.upshot.event.Event;
import org.upshot.event.EventDescriptor;
import org.upshot.event.EventExpression;
import org.upshot.job.InstanceChange;
import org.upshot.job.InstanceRef;
import org.upshot.job.JobView;
import org.upshot.spi.source.SourceContext;
import org.upshot.spi.stanza.StanzaException;

/**
 * Every listening socket the daemon owns for its jobs, shared by the {@code socket} stanza
 * (which binds at load, so a bad address is an error in the job file) and the event source
 * (which watches them and turns readiness into {@code socket} events). See the package
 * documentation for the rules. Thread-safe: one lock guards the table and its listeners.
 */
@Component(service = ListenerTable.class)
public final class ListenerTable {

    private static final Logger LOG = System.getLogger("org.upshot.source.socket");
    /** Wait for a start after an event that started nothing before watching again. */
    private static final long QUIET_AFTER_NOTHING_STARTED_NANOS = 250_000_000L;
    /** Connections accepted from one listener before others get a turn. */
    private static final int ACCEPTS_PER_WAKE = 64;
    /** How long a listener rests after accept failed (out of descriptors, memory). */
    private static final long ACCEPT_RETRY_NANOS = 1_000_000_000L;
    /** How long the trigger limit pauses a listener; a start by hand ends it sooner. */
    static final long TRIGGER_PAUSE_NANOS = 30_000_000_000L;

    private final Object lock = new Object();
    /** By key: {@code JOB ID} for a stanza's listener, {@code ID} for an Upstart-form one. */
    private final Map<String, Listener> listeners = new LinkedHashMap<>();
    private SourceContext context;
    private Poller poller;
    /** Keeps the sockets across a re-exec; null outside the framework (unit tests): nothing is kept. */
    @Reference
    private volatile DescriptorStore descriptors;
    /** Where {@code expect listen} looks at processes: one daemon thread for every job. */
    private final ScheduledExecutorService checks = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "upshot-expect-listen");
        t.setDaemon(true);
        return t;
    });
    private long connectionCount;

    /**
     * The listener of {@code job}'s stanza {@code spec}: the one it already has for that
     * address (options applied in place), else a new socket.
     *
     * @throws StanzaException positioned at the stanza when the socket cannot be opened
     */
    public Listener claim(String job, SocketSpec spec, int line, int column) throws StanzaException {
        synchronized (lock) {
            String key = job + " " + spec.address().id();
            Listener listener = listeners.get(key);
            if (listener == null) {
                listener = new Listener(key, job, spec);
                listener.jobs.add(job);
            }
            boolean opened = !listener.open();
            try {
                if (opened) {
                    refuseOurOwn(spec.address(), job);
                    listener.opened(openSocket(listener, spec));
                } else {
                    NativeSockets.reconfigure(listener.fd(), spec);
                }
            } catch (NativeSockets.SocketError e) {
                throw new StanzaException("cannot listen on " + spec.address().display() + " for job " + job + ": "
                        + e.getMessage(), line, column);
            }
            boolean acceptChanged = listener.spec.accept() != spec.accept();
            if (!spec.equals(listener.spec)) {
                listener.resume(); // a changed stanza ends a trigger-limit pause; a mere re-parse does not
            }
            listener.spec = spec;
            listener.freshClaim = true;
            listeners.put(key, listener);
            if (acceptChanged) {
                listener.connections.clear();
            }
            if (opened || acceptChanged) {
                // never on a re-parse: the running service shares the flag and may have set it itself
                nonBlockingIfAccepting(listener);
            }
            describe(Set.of(job));
            wake();
            return listener;
        }
    }

    /**
     * The listening socket for {@code spec}: the one a re-exec of the daemon handed over
     * under this listener's key (its clients waited in the backlog), else a new one. Either
     * way kept for the next re-exec.
     */
    private int openSocket(Listener listener, SocketSpec spec) throws NativeSockets.SocketError {
        String name = descriptorName(listener);
        DescriptorStore store = descriptors;
        OptionalInt handedOver = store == null ? OptionalInt.empty() : store.take(name);
        int fd;
        if (handedOver.isPresent()) {
            fd = handedOver.getAsInt();
            NativeSockets.reconfigure(fd, spec);
        } else {
            fd = NativeSockets.open(spec);
        }
        if (store != null) {
            store.keep(name, fd);
        }
        return fd;
    }

    private void closeSocket(Listener listener) {
        DescriptorStore store = descriptors;
        if (store != null) {
            store.forget(descriptorName(listener));
        }
        listener.close();
    }

    private static String descriptorName(Listener listener) {
        return "socket/" + listener.key;
    }

    /** Another job's listener has the address: refused without probing it (a probe would be a client). */
    private void refuseOurOwn(SocketAddress address, String job) throws NativeSockets.SocketError {
        for (Listener other : listeners.values()) {
            if (other.open() && other.address.equals(address) && !other.jobs.contains(job)) {
                throw NativeSockets.addressInUse("by job " + String.join(", ", other.jobs));
            }
        }
    }

    /** Only the daemon accepts on an accept listener: non-blocking, so a vanished connection never blocks it. */
    private static void nonBlockingIfAccepting(Listener listener) {
        try {
            NativeSockets.nonBlocking(listener.fd(), listener.accept());
        } catch (NativeSockets.SocketError e) {
            LOG.log(Level.WARNING, "socket " + listener + ": " + e.getMessage());
        }
    }

    /**
     * The loaded jobs changed: closes the listeners of stanzas that are gone (a removed
     * job's unix node is unlinked), opens those of Upstart-form {@code start on socket}
     * conditions, and watches the listeners of the stanzas of loaded jobs (reopening one
     * closed by an earlier, stale change).
     */
    public void jobsChanged(Collection<JobView> jobs) {
        synchronized (lock) {
            Set<String> wanted = new HashSet<>();
            Map<String, Set<String>> bridged = new TreeMap<>();
            Set<String> touched = new TreeSet<>();
            for (JobView job : jobs) {
                for (List<String> arguments : job.stanzas().getOrDefault(SocketSpec.KEYWORD, List.of())) {
                    try {
                        SocketSpec spec = SocketSpec.parse(job.name(), arguments);
                        String key = job.name() + " " + spec.address().id();
                        wanted.add(key);
                        jobLoaded(key, job.name(), spec);
                    } catch (StanzaException e) {
                        LOG.log(Level.WARNING, "job " + job.name() + ": socket stanza: " + e.getMessage());
                    }
                }
                job.startOn().ifPresent(condition -> bridgedAddresses(job.name(), condition, bridged));
            }
            for (Listener listener : List.copyOf(listeners.values())) {
                boolean keep = listener.upstartForm ? bridged.containsKey(listener.key) : wanted.contains(listener.key);
                if (!keep && listener.freshClaim) {
                    // claimed while this list was made: its job is loaded next; closing now would
                    // refuse clients (and drop those a re-exec handed over in its backlog)
                    keep = true;
                }
                listener.freshClaim = false;
                if (!keep && (listener.open() || listener.failure != null)) {
                    touched.addAll(listener.jobs);
                    closeSocket(listener);
                    listener.failure = null;
                    if (listener.upstartForm) {
                        listeners.remove(listener.key);
                    } // a stanza's stays, closed: a reload may name it again and its job refers to it
                }
            }
            for (Map.Entry<String, Set<String>> entry : bridged.entrySet()) {
                Listener listener = listeners.computeIfAbsent(entry.getKey(),
                        key -> new Listener(key, "", SocketSpec.bridge(addressOf(key))));
                touched.addAll(listener.jobs);
                listener.jobs.clear();
                listener.jobs.addAll(entry.getValue());
                touched.addAll(entry.getValue());
                listener.loaded = true; // made for jobs of this very list
                if (!listener.open()) {
                    try {
                        listener.opened(openSocket(listener, listener.spec));
                    } catch (NativeSockets.SocketError e) {
                        listener.failure = e.getMessage();
                        LOG.log(Level.WARNING, "cannot listen on " + listener + " for " + entry.getValue() + ": "
                                + e.getMessage());
                    }
                }
            }
            for (Listener listener : listeners.values()) {
                if (!listener.upstartForm) {
                    touched.add(listener.owner);
                }
            }
            describe(touched);
            wake();
        }
    }

    /**
     * The job of the stanza's listener {@code key} is loaded in the engine: the listener is
     * watched from now on, reopened first if an earlier, stale list closed it.
     */
    private void jobLoaded(String key, String job, SocketSpec spec) {
        Listener listener = listeners.get(key);
        if (listener == null) {
            return;
        }
        if (!listener.open()) {
            try {
                listener.opened(openSocket(listener, spec));
                nonBlockingIfAccepting(listener);
            } catch (NativeSockets.SocketError e) {
                listener.failure = e.getMessage();
                LOG.log(Level.WARNING, "cannot listen again on " + listener + " for job " + job + ": " + e.getMessage());
            }
        }
        listener.loaded = true;
    }

    /** The ids of a {@code start on}'s Upstart-form {@code socket} matches, each with the jobs that want it. */
    private static void bridgedAddresses(String job, EventExpression condition, Map<String, Set<String>> into) {
        for (EventExpression.Match match : condition.matches()) {
            if (!match.event().equals(SocketSpec.KEYWORD)) {
                continue;
            }
            Map<String, String> keys = new LinkedHashMap<>();
            for (EventExpression.Argument argument : match.arguments()) {
                if (argument.key() != null && !argument.negated()) {
                    keys.put(argument.key(), argument.pattern());
                }
            }
            if (keys.containsKey(SocketEvents.LISTEN) || !keys.containsKey("PROTO")) {
                continue; // a stanza's own condition, or a match on events of any socket
            }
            try {
                into.computeIfAbsent(SocketAddress.fromEventKeys(keys).id(), id -> new TreeSet<>()).add(job);
                if (keys.containsKey("PATH") && !keys.containsKey("SOCKET_PATH")) {
                    LOG.log(Level.WARNING, "job " + job + ": 'start on socket ... PATH=' cannot match: the event"
                            + " carries SOCKET_PATH= (as upstart-socket-bridge's did); write SOCKET_PATH=");
                }
            } catch (IllegalArgumentException e) {
                LOG.log(Level.WARNING, "job " + job + ": ignoring 'start on " + match + "': " + e.getMessage());
            }
        }
    }

    private static SocketAddress addressOf(String id) {
        int colon = id.indexOf(':');
        return SocketAddress.parse(id.substring(0, colon), id.substring(colon + 1));
    }

    /** The source started: watching and emitting begin. */
    public void start(SourceContext sourceContext) throws NativeSockets.SocketError {
        synchronized (lock) {
            this.context = sourceContext;
            resume();
            Set<String> jobs = new TreeSet<>();
            for (Listener listener : listeners.values()) {
                jobs.addAll(listener.jobs);
            }
            describe(jobs);
        }
    }

    /**
     * A re-exec is coming: nothing more is accepted or emitted until {@link #resume}, and
     * clients wait in the backlogs. Returns once the poller has ended, its events emitted.
     */
    public void pause() {
        Poller stopping;
        synchronized (lock) {
            stopping = poller;
            poller = null;
        }
        if (stopping != null) {
            stopping.close();
        }
    }

    /** Watching goes on after {@link #pause}, if the source is started. */
    public void resume() throws NativeSockets.SocketError {
        synchronized (lock) {
            if (context != null && poller == null) {
                poller = new Poller(this);
                poller.start();
            }
        }
    }

    /** The source stopped: nothing is watched or emitted; the sockets stay open for their jobs. */
    public void stop() {
        synchronized (lock) {
            context = null;
        }
        pause();
    }

    /** The thread {@code expect listen} looks from. */
    public ScheduledExecutorService checks() {
        return checks;
    }

    /** The bundle stops: every socket is closed and every unix node removed. */
    @Deactivate
    public void close() {
        stop();
        checks.shutdownNow();
        synchronized (lock) {
            listeners.values().forEach(this::closeSocket);
            listeners.clear();
        }
    }

    /** Follows the owning jobs' instances: a listener is not watched while its job runs. */
    public void instanceChanged(InstanceChange change) {
        InstanceRef instance = change.instance();
        synchronized (lock) {
            boolean changed = false;
            for (Listener listener : listeners.values()) {
                if (!listener.jobs.contains(instance.job())) {
                    continue;
                }
                changed = true;
                switch (change.phase()) {
                    case STARTING:
                        listener.active.add(instance);
                        listener.startedSinceTrigger = true;
                        boolean ownConnection = listener.connections.containsKey(instance.instance());
                        if (ownConnection) {
                            listener.connections.put(instance.instance(), Listener.Connection.STARTED);
                        } else if (listener.limited && !listener.eventPending && !listener.accept()) {
                            // a start by hand ends the trigger limit's pause at once
                            listener.resume();
                        }
                        break;
                    case STOPPED:
                        listener.active.remove(instance);
                        listener.connections.remove(instance.instance());
                        break;
                    default:
                        break;
                }
            }
            if (changed) {
                describe(Set.of(instance.job()));
                wake();
            }
        }
    }

    // ---- on the poller's thread ---------------------------------------------------------

    /** The listeners to poll now, and how long until one of them may be watched again (ms, -1 for never). */
    Watch watchList() {
        synchronized (lock) {
            long now = System.nanoTime();
            List<Listener> watched = new ArrayList<>();
            long nextQuietEnd = Long.MAX_VALUE;
            for (Listener listener : listeners.values()) {
                if (listener.limited && now - listener.limitedUntil >= 0) {
                    listener.resume();
                    describe(listener.jobs);
                }
                if (listener.watched(now)) {
                    watched.add(listener);
                } else if (listener.open() && listener.limited) {
                    nextQuietEnd = Math.min(nextQuietEnd, listener.limitedUntil - now);
                } else if (listener.open() && listener.quietUntil - now > 0) {
                    nextQuietEnd = Math.min(nextQuietEnd, listener.quietUntil - now);
                }
            }
            int timeout = nextQuietEnd == Long.MAX_VALUE ? -1 : (int) Math.max(1, nextQuietEnd / 1_000_000L + 1);
            return new Watch(watched, timeout);
        }
    }

    /** What the poller waits on. */
    record Watch(List<Listener> listeners, int timeoutMillis) {}

    /** {@code listener} is readable: what to emit for it (done outside the lock). */
    List<Runnable> readable(Listener listener) {
        synchronized (lock) {
            SourceContext current = context;
            long now = System.nanoTime();
            if (current == null || !listener.watched(now)) {
                return List.of();
            }
            List<Runnable> emissions = new ArrayList<>();
            boolean wasLimited = listener.limited;
            if (listener.accept()) {
                acceptConnections(listener, current, now, emissions);
            } else if (listener.atLimit(now)) {
                listener.pause(now, TRIGGER_PAUSE_NANOS);
            } else {
                listener.triggered(now);
                listener.eventPending = true;
                listener.startedSinceTrigger = false;
                emissions.add(triggerEvent(listener, current));
            }
            if (listener.limited && !wasLimited) {
                LOG.log(Level.WARNING, "socket " + listener + " for " + listener.jobs + ": "
                        + SocketEvents.limitHit(listener) + "; not watched for "
                        + TRIGGER_PAUSE_NANOS / 1_000_000_000L + " s, or until the job is started by hand");
            }
            describe(listener.jobs);
            return emissions;
        }
    }

    private Runnable triggerEvent(Listener listener, SourceContext current) {
        Event event = SocketEvents.listening(listener);
        List<EventDescriptor> descriptors = new ArrayList<>();
        if (listener.upstartForm) {
            // Upstart's bridge sent the listener with the event (UPSTART_FDS); the duplicate is the event's
            try {
                descriptors.add(SocketEvents.closing(NativeSockets.duplicate(listener.fd()), "socket", false));
            } catch (NativeSockets.SocketError e) {
                LOG.log(Level.WARNING, "socket " + listener + ": " + e.getMessage());
            }
        }
        // the stage completes on the engine's thread: the source's lock is taken on its own
        return () -> current.emitter().emit(event, descriptors)
                .whenCompleteAsync((result, failure) -> eventFinished(listener), checks);
    }

    /** The event's jobs have come to rest; if none of them started, watch again soon. */
    private void eventFinished(Listener listener) {
        synchronized (lock) {
            listener.eventPending = false;
            if (!listener.startedSinceTrigger) {
                // the start may still be on its way to this source: give it a moment before watching again
                listener.quietUntil = System.nanoTime() + QUIET_AFTER_NOTHING_STARTED_NANOS;
            }
            wake();
        }
    }

    private void acceptConnections(Listener listener, SourceContext current, long now, List<Runnable> emissions) {
        for (int i = 0; i < ACCEPTS_PER_WAKE; i++) {
            // only a start counts towards the trigger limit; a connection over it waits in the backlog
            boolean room = listener.openConnections() < listener.spec.maxConnections();
            if (room && listener.atLimit(now)) {
                if (i == 0 || NativeSockets.readable(listener.fd())) {
                    listener.pause(now, TRIGGER_PAUSE_NANOS);
                }
                return;
            }
            NativeSockets.Accepted connection;
            try {
                connection = NativeSockets.accept(listener.fd(), listener.address.kind());
            } catch (NativeSockets.SocketError e) {
                // out of descriptors or memory: the listener stays readable, so look again in a second
                LOG.log(Level.WARNING, "socket " + listener + ": " + e.getMessage() + "; trying again in 1 s");
                listener.quietUntil = now + ACCEPT_RETRY_NANOS;
                return;
            }
            if (connection == null) {
                return;
            }
            if (!room) {
                NativeSockets.close(connection.fd());
                listener.refused++;
                continue;
            }
            listener.triggered(now);
            listener.served++;
            String number = Long.toString(++connectionCount);
            Event event = SocketEvents.connection(listener, number, connection.peer());
            String instance = SocketEvents.instanceName(listener.address, number, connection.peer());
            listener.connections.put(instance, Listener.Connection.PENDING);
            EventDescriptor descriptor = SocketEvents.closing(connection.fd(), "connection", true);
            emissions.add(() -> current.emitter().emit(event, List.of(descriptor))
                    .whenCompleteAsync((result, failure) -> connectionEventFinished(listener, instance), checks));
        }
    }

    private void connectionEventFinished(Listener listener, String instance) {
        synchronized (lock) {
            listener.connectionEventDone(instance);
        }
    }

    /** Writes the status lines of {@code jobs}. Under the lock. */
    private void describe(Collection<String> jobs) {
        SourceContext current = context;
        if (current == null) {
            return;
        }
        for (String job : jobs) {
            List<String> lines = new ArrayList<>();
            for (Listener listener : listeners.values()) {
                if (listener.jobs.contains(job)) {
                    SocketEvents.statusLine(listener, job).ifPresent(lines::add);
                }
            }
            current.describe(job, lines);
        }
    }

    private void wake() {
        Poller current = poller;
        if (current != null) {
            current.wake();
        }
    }

    /** For tests: the listener of a job's stanza at {@code address}. */
    Optional<Listener> listener(String job, SocketAddress address) {
        synchronized (lock) {
            return Optional.ofNullable(listeners.get(job + " " + address.id()));
        }
    }
}
